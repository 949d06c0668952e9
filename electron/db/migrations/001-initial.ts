import type { CompiledQuery, CreateTableBuilder } from 'kysely';
import { qb } from '../query-builder';

type Table = CreateTableBuilder<string, never>;
const id = (t: Table) => t.addColumn('id', 'text', (c) => c.primaryKey().notNull());
const ref = (t: Table, column: string, target: string, nullable = false) =>
  t.addColumn(column, 'text', (c) => {
    const col = c.references(`${target}.id`);
    return nullable ? col : col.notNull();
  });
const text = (t: Table, column: string, nullable = false) => t.addColumn(column, 'text', (c) => (nullable ? c : c.notNull()));
const int = (t: Table, column: string, nullable = false) => t.addColumn(column, 'integer', (c) => (nullable ? c : c.notNull()));
const real = (t: Table, column: string) => t.addColumn(column, 'real');

function table(name: string, ...cols: ((t: Table) => Table)[]): CompiledQuery {
  let t = id(qb.schema.createTable(name) as unknown as Table);
  for (const c of cols) t = c(t);
  return t.compile();
}

/** The plan model (issue: the plan model, and the two source documents as the default plan). */
export function up(): CompiledQuery[] {
  const s = qb.schema;
  return [
    table('plan', (t) => text(t, 'title'), (t) => text(t, 'period_label'), (t) => int(t, 'start_year'), (t) => int(t, 'end_year'),
      (t) => text(t, 'slogan'), (t) => text(t, 'slogan_subtitle'), (t) => text(t, 'missions_title'), (t) => text(t, 'vision_title'),
      (t) => text(t, 'challenges_title'), (t) => text(t, 'common_goal_title'), (t) => text(t, 'financial_title')),
    table('plan_list_item', (t) => ref(t, 'plan_id', 'plan'), (t) => text(t, 'list'), (t) => int(t, 'position'), (t) => text(t, 'text')),
    table('challenge_group', (t) => ref(t, 'plan_id', 'plan'), (t) => int(t, 'position'), (t) => text(t, 'heading')),
    table('challenge', (t) => ref(t, 'group_id', 'challenge_group'), (t) => int(t, 'position'), (t) => int(t, 'no'), (t) => text(t, 'text')),
    table('pillar', (t) => ref(t, 'plan_id', 'plan'), (t) => text(t, 'key'), (t) => text(t, 'kind'), (t) => int(t, 'no'),
      (t) => text(t, 'name'), (t) => int(t, 'position')),
    table('unit', (t) => text(t, 'kind'), (t) => text(t, 'name'), (t) => text(t, 'short_name', true), (t) => int(t, 'position')),
    table('action_row', (t) => ref(t, 'plan_id', 'plan'), (t) => text(t, 'key', true), (t) => int(t, 'page'), (t) => int(t, 'position'),
      (t) => text(t, 'heading', true), (t) => ref(t, 'band_pillar_id', 'pillar', true), (t) => text(t, 'term_plan')),
    table('theme', (t) => ref(t, 'row_id', 'action_row'), (t) => text(t, 'key', true), (t) => int(t, 'position'), (t) => text(t, 'text'),
      (t) => ref(t, 'pillar_id', 'pillar', true)),
    table('year_plan', (t) => ref(t, 'row_id', 'action_row'), (t) => int(t, 'fiscal_year'), (t) => text(t, 'text')),
    table('assignment', (t) => ref(t, 'row_id', 'action_row'), (t) => ref(t, 'unit_id', 'unit'), (t) => int(t, 'position')),
    table('target', (t) => ref(t, 'row_id', 'action_row', true), (t) => ref(t, 'theme_id', 'theme', true), (t) => ref(t, 'unit_id', 'unit', true),
      (t) => text(t, 'key', true), (t) => int(t, 'position'), (t) => text(t, 'label'), (t) => text(t, 'unit'), (t) => text(t, 'kind'),
      (t) => text(t, 'direction'), (t) => real(t, 'baseline_value'), (t) => int(t, 'baseline_year', true), (t) => text(t, 'baseline_text', true),
      (t) => real(t, 'term_goal_value'), (t) => text(t, 'term_goal_text', true), (t) => text(t, 'note', true)),
    table('target_value', (t) => ref(t, 'target_id', 'target'), (t) => int(t, 'fiscal_year'), (t) => real(t, 'plan_value'),
      (t) => text(t, 'plan_text', true), (t) => real(t, 'actual_value')),
    table('unit_focus', (t) => ref(t, 'plan_id', 'plan'), (t) => text(t, 'period'), (t) => text(t, 'group_heading', true),
      (t) => int(t, 'position'), (t) => text(t, 'text')),
    table('unit_focus_unit', (t) => ref(t, 'focus_id', 'unit_focus'), (t) => ref(t, 'unit_id', 'unit'), (t) => int(t, 'position')),
    table('joint_project', (t) => ref(t, 'plan_id', 'plan'), (t) => text(t, 'key', true), (t) => int(t, 'fiscal_year'), (t) => int(t, 'position'),
      (t) => text(t, 'title'), (t) => text(t, 'project_names'), (t) => text(t, 'text')),
    table('joint_project_unit', (t) => ref(t, 'project_id', 'joint_project'), (t) => ref(t, 'unit_id', 'unit'), (t) => int(t, 'position')),
    table('overview_section', (t) => ref(t, 'plan_id', 'plan'), (t) => text(t, 'key', true), (t) => int(t, 'fiscal_year'),
      (t) => int(t, 'position'), (t) => text(t, 'title'), (t) => text(t, 'subtitle', true)),
    table('overview_group', (t) => ref(t, 'section_id', 'overview_section'), (t) => int(t, 'position'), (t) => text(t, 'heading', true),
      (t) => text(t, 'category', true)),
    table('overview_item', (t) => ref(t, 'group_id', 'overview_group'), (t) => int(t, 'position'), (t) => int(t, 'no', true),
      (t) => text(t, 'text'), (t) => int(t, 'is_new'), (t) => ref(t, 'row_id', 'action_row', true)),
    table('financial_year', (t) => ref(t, 'plan_id', 'plan'), (t) => int(t, 'fiscal_year'), (t) => text(t, 'text'), (t) => real(t, 'amount_yen')),
    s.createTable('change_set')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('user', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('source', 'text')
      .addColumn('reverts_id', 'integer', (c) => c.references('change_set.id'))
      .compile(),
    s.createTable('change')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('set_id', 'integer', (c) => c.notNull().references('change_set.id'))
      .addColumn('table_name', 'text', (c) => c.notNull())
      .addColumn('row_id', 'text', (c) => c.notNull())
      .addColumn('op', 'text', (c) => c.notNull())
      .addColumn('column_name', 'text')
      .addColumn('old_value', 'text')
      .addColumn('new_value', 'text')
      .compile(),
    s.createIndex('change_by_set').on('change').column('set_id').compile(),
    s.createIndex('change_by_row').on('change').columns(['row_id', 'column_name']).compile(),
    s.createIndex('theme_by_row').on('theme').columns(['row_id', 'position']).compile(),
    s.createIndex('year_plan_by_row').on('year_plan').columns(['row_id', 'fiscal_year']).unique().compile(),
    s.createIndex('assignment_by_row').on('assignment').columns(['row_id', 'unit_id']).unique().compile(),
    s.createIndex('assignment_by_unit').on('assignment').column('unit_id').compile(),
    s.createIndex('target_by_row').on('target').columns(['row_id', 'position']).compile(),
    s.createIndex('target_value_by_target').on('target_value').columns(['target_id', 'fiscal_year']).unique().compile(),
    s.createIndex('focus_unit_by_unit').on('unit_focus_unit').column('unit_id').compile(),
    s.createIndex('focus_unit_by_focus').on('unit_focus_unit').column('focus_id').compile(),
    s.createIndex('action_row_order').on('action_row').columns(['page', 'position']).compile(),
  ];
}
