import { targetDirections, targetKinds } from '../domain/editable-fields';
import { choice, id, key, number, optional, position, ref, text, year } from './field-kinds';
import { byPosition, cascade, nullify, type PlanTableName, table, type TableDraft } from './table-entry';

/**
 * The registry's tables of targets and results (section 目標・実績): the targets (KPIs) of table
 * rows and of branches, and their plan and actual values per fiscal year.
 */

export const targetTables = {
  target: table({
    noun: '目標',
    section: '目標・実績',
    columns: {
      id: id(),
      row_id: ref('action_row', true),
      theme_id: ref('theme', true),
      /** Targets of a branch (page ⑦) belong to the branch's focus, not to an action row. */
      unit_id: ref('unit', true),
      key: key(),
      position: position(),
      label: text('line'),
      unit: text('name'),
      kind: choice(targetKinds),
      direction: choice(targetDirections),
      baseline_value: number(),
      baseline_year: year(true),
      baseline_text: optional('line'),
      term_goal_value: number(),
      term_goal_text: optional('line'),
      note: text('paragraph', { nullable: true }),
    },
    labels: {
      label: '目標',
      unit: '単位',
      kind: '集計の種類',
      direction: '以上・以下',
      baseline_value: '基準値',
      baseline_year: '基準年度',
      baseline_text: '基準の記述',
      term_goal_value: '期間の目標値',
      term_goal_text: '期間の目標の記述',
      note: '備考',
      theme_id: 'テーマ',
      row_id: '表の行',
      unit_id: '組織',
    },
    // A target belongs to its table row; a branch's target (page ⑦, no table row) to its branch.
    parent: { either: [{ column: 'row_id', table: 'action_row' }, { column: 'unit_id', table: 'unit' }] },
    references: [
      cascade('row_id', 'action_row'),
      nullify('theme_id', 'theme'),
      { column: 'unit_id', table: 'unit', onDelete: { ifSet: 'row_id', then: 'nullify', otherwise: 'cascade' } },
    ],
    ordering: byPosition('row_id', 'unit_id'),
    newRow: { inherit: ['row_id', 'theme_id', 'unit_id', 'unit', 'kind', 'direction'], values: { label: '', kind: 'cumulative', direction: 'at_least' } },
    units: { via: 'column', column: 'unit_id', unlessSet: 'row_id' },
  }),
  target_value: table({
    noun: '計画値・実績値',
    section: '目標・実績',
    columns: { id: id(), target_id: ref('target'), fiscal_year: year(), plan_value: number(), plan_text: optional('line'), actual_value: number() },
    labels: {},
    parent: { column: 'target_id', table: 'target' },
    references: [cascade('target_id', 'target')],
    ordering: null,
    perYear: { yearColumn: 'fiscal_year', values: ['plan_value', 'plan_text', 'actual_value'] },
    units: { via: 'parent' },
  }),
} satisfies Partial<Record<PlanTableName, TableDraft>>;
