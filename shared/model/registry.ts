import { type RuledTable, tableRules } from './field-rules';

/**
 * The plan model: one entry per plan table saying what a row of it is — its columns and their field
 * kinds (field-rules.ts), the row it belongs to, what a delete of a referenced row does to it, how
 * its rows are ordered among their siblings, what a new row starts with, what it is called in
 * Japanese, and which unit(s) it belongs to (for per-unit rights later).
 *
 * Everything that needs to know "what a plan table is" reads it here: the row operations of the
 * grids and of the import merge (row-ops.ts, over either store), the merge's view of the plan
 * (shared/import/plan-schema.ts), the delete confirmation, the labels of the review. A new table
 * or column is added here and in one migration.
 */

export type PlanTableName = RuledTable;

/** What deleting the referenced row does to a row that points at it. */
export type OnDelete = 'cascade' | 'nullify';

export interface Reference {
  column: string;
  table: PlanTableName;
  /** A fixed answer, or one that depends on the row (a target with a table row only loses its branch). */
  onDelete: OnDelete | { ifSet: string; then: OnDelete; otherwise: OnDelete };
}

/**
 * How rows of a table are ordered. `siblingsBy`: the columns whose equal values make rows siblings
 * (a new row makes room among them); `moveWithin`: the columns a move stays inside (defaults to
 * siblingsBy); `columns`: the order columns, outermost first (a table row's page, then position).
 */
export interface Ordering {
  columns: readonly string[];
  siblingsBy: readonly string[];
  moveWithin?: readonly string[];
}

/**
 * Which units a row belongs to: itself (a unit), a column naming one, the units a link table lists
 * for it (主な担当), those of the row it belongs to, or none (the plan as a whole: the planning staff's).
 */
export type UnitsOf =
  | { via: 'self' }
  | { via: 'column'; column: string; unlessSet?: string }
  | { via: 'links'; table: PlanTableName }
  | { via: 'parent' }
  | { via: 'plan' };

/**
 * A link table: one row per unit of a parent row, in order (主な担当 of a table row, the units of a
 * focus text or of a joint project). The merge folds it into its parent as one list column.
 */
export interface Links {
  parentColumn: string;
  unitColumn: string;
}

export interface TableEntry<T extends PlanTableName = PlanTableName> {
  name: T;
  /** What one row is called: 「テーマ」. */
  noun: string;
  /** The part of the plan it belongs to, as the review groups changes. */
  section: string;
  /** The row this row belongs to (added and removed with it): a column of this table, or none (a root). */
  parent: { column: string; table: PlanTableName } | { either: readonly { column: string; table: PlanTableName }[] } | null;
  references: readonly Reference[];
  ordering: Ordering | null;
  links?: Links;
  /** A cell of its parent per fiscal year (a year's plan text, a target's values): `yearColumn` and the value columns. */
  perYear?: { yearColumn: string; values: readonly string[] };
  /**
   * What a new row put after `anchor` takes from it (columns listed) and which columns start with a
   * fixed value; every other column starts empty (null, '' for text that cannot be null, 0 for yes/no).
   */
  newRow?: { inherit: readonly string[]; values?: Readonly<Record<string, string | number | null>> };
  /** Deleted with the last row of this table that belongs to it (a table row is its themes). */
  goesWithLastChild?: { child: PlanTableName; column: string };
  /** Deleted when the last link to a unit goes (a focus text no unit holds any longer). */
  goesWithLastLink?: PlanTableName;
  units: UnitsOf;
}

const plan = { column: 'plan_id', table: 'plan' } as const;
const cascade = (column: string, table: PlanTableName): Reference => ({ column, table, onDelete: 'cascade' });
const nullify = (column: string, table: PlanTableName): Reference => ({ column, table, onDelete: 'nullify' });
const byPosition = (...siblingsBy: string[]): Ordering => ({ columns: ['position'], siblingsBy });

const entries: { [T in PlanTableName]: Omit<TableEntry<T>, 'name'> } = {
  plan: { noun: '計画', section: '計画', parent: null, references: [], ordering: null, units: { via: 'plan' } },
  plan_list_item: { noun: '項目', section: '計画', parent: plan, references: [cascade('plan_id', 'plan')], ordering: byPosition('plan_id', 'list'), units: { via: 'plan' } },
  challenge_group: { noun: '挑戦のグループ', section: '計画', parent: plan, references: [cascade('plan_id', 'plan')], ordering: byPosition('plan_id'), units: { via: 'plan' } },
  challenge: {
    noun: '挑戦',
    section: '計画',
    parent: { column: 'group_id', table: 'challenge_group' },
    references: [cascade('group_id', 'challenge_group')],
    ordering: byPosition('group_id'),
    units: { via: 'plan' },
  },
  pillar: { noun: '柱・指針', section: '計画', parent: plan, references: [cascade('plan_id', 'plan')], ordering: byPosition('plan_id'), units: { via: 'plan' } },
  unit: {
    noun: '組織',
    section: '組織',
    parent: null,
    references: [],
    // Units are numbered as one list; the grid shows them by kind, and a move stays among its kind.
    ordering: { columns: ['position'], siblingsBy: [], moveWithin: ['kind'] },
    newRow: { inherit: ['kind'] },
    units: { via: 'self' },
  },
  action_row: {
    noun: '表の行',
    section: 'アクションプラン',
    parent: plan,
    references: [cascade('plan_id', 'plan'), nullify('band_pillar_id', 'pillar')],
    // Rows are numbered per page; a move across a page boundary takes the other row's place.
    ordering: { columns: ['page', 'position'], siblingsBy: ['page'] },
    newRow: { inherit: ['plan_id', 'page', 'band_pillar_id'], values: { term_plan: '' } },
    goesWithLastChild: { child: 'theme', column: 'row_id' },
    units: { via: 'links', table: 'assignment' },
  },
  theme: {
    noun: 'テーマ',
    section: 'アクションプラン',
    parent: { column: 'row_id', table: 'action_row' },
    references: [cascade('row_id', 'action_row'), nullify('pillar_id', 'pillar')],
    ordering: byPosition('row_id'),
    newRow: { inherit: ['row_id', 'pillar_id'], values: { text: '' } },
    units: { via: 'parent' },
  },
  year_plan: {
    noun: '年度の事業活動計画',
    section: 'アクションプラン',
    parent: { column: 'row_id', table: 'action_row' },
    references: [cascade('row_id', 'action_row')],
    ordering: null,
    perYear: { yearColumn: 'fiscal_year', values: ['text'] },
    units: { via: 'parent' },
  },
  assignment: {
    noun: '主な担当',
    section: 'アクションプラン',
    parent: { column: 'row_id', table: 'action_row' },
    references: [cascade('row_id', 'action_row'), cascade('unit_id', 'unit')],
    ordering: byPosition('row_id'),
    links: { parentColumn: 'row_id', unitColumn: 'unit_id' },
    units: { via: 'column', column: 'unit_id' },
  },
  target: {
    noun: '目標',
    section: '目標・実績',
    // A target belongs to its table row; a branch's target (page ⑦, no table row) to its branch.
    parent: { either: [{ column: 'row_id', table: 'action_row' }, { column: 'unit_id', table: 'unit' }] },
    references: [
      cascade('row_id', 'action_row'),
      nullify('theme_id', 'theme'),
      { column: 'unit_id', table: 'unit', onDelete: { ifSet: 'row_id', then: 'nullify', otherwise: 'cascade' } },
    ],
    ordering: byPosition('row_id', 'unit_id'),
    newRow: { inherit: ['row_id', 'theme_id', 'unit_id', 'unit', 'kind', 'direction'], values: { label: '' } },
    units: { via: 'column', column: 'unit_id', unlessSet: 'row_id' },
  },
  target_value: {
    noun: '計画値・実績値',
    section: '目標・実績',
    parent: { column: 'target_id', table: 'target' },
    references: [cascade('target_id', 'target')],
    ordering: null,
    perYear: { yearColumn: 'fiscal_year', values: ['plan_value', 'plan_text', 'actual_value'] },
    units: { via: 'parent' },
  },
  unit_focus: {
    noun: '重点取組内容',
    section: '重点取組内容',
    parent: plan,
    references: [cascade('plan_id', 'plan')],
    ordering: byPosition('period'),
    goesWithLastLink: 'unit_focus_unit',
    units: { via: 'links', table: 'unit_focus_unit' },
  },
  unit_focus_unit: {
    noun: '重点取組内容の組織',
    section: '重点取組内容',
    parent: { column: 'focus_id', table: 'unit_focus' },
    references: [cascade('focus_id', 'unit_focus'), cascade('unit_id', 'unit')],
    ordering: byPosition('focus_id'),
    links: { parentColumn: 'focus_id', unitColumn: 'unit_id' },
    units: { via: 'column', column: 'unit_id' },
  },
  joint_project: {
    noun: '支部連携事業',
    section: '支部連携事業',
    parent: plan,
    references: [cascade('plan_id', 'plan')],
    ordering: byPosition('fiscal_year'),
    units: { via: 'links', table: 'joint_project_unit' },
  },
  joint_project_unit: {
    noun: '支部連携事業の支部',
    section: '支部連携事業',
    parent: { column: 'project_id', table: 'joint_project' },
    references: [cascade('project_id', 'joint_project'), cascade('unit_id', 'unit')],
    ordering: byPosition('project_id'),
    links: { parentColumn: 'project_id', unitColumn: 'unit_id' },
    units: { via: 'column', column: 'unit_id' },
  },
  overview_section: {
    noun: '概要の章',
    section: '事業活動計画（概要）',
    parent: plan,
    references: [cascade('plan_id', 'plan')],
    ordering: byPosition('fiscal_year'),
    units: { via: 'plan' },
  },
  overview_group: {
    noun: '概要のグループ',
    section: '事業活動計画（概要）',
    parent: { column: 'section_id', table: 'overview_section' },
    references: [cascade('section_id', 'overview_section')],
    ordering: byPosition('section_id'),
    units: { via: 'plan' },
  },
  overview_item: {
    noun: '概要の項目',
    section: '事業活動計画（概要）',
    parent: { column: 'group_id', table: 'overview_group' },
    references: [cascade('group_id', 'overview_group'), nullify('row_id', 'action_row')],
    ordering: byPosition('group_id'),
    newRow: { inherit: ['group_id'], values: { text: '', is_new: 0 } },
    units: { via: 'plan' },
  },
  financial_year: { noun: '財政計画の年度', section: '計画', parent: plan, references: [cascade('plan_id', 'plan')], ordering: null, units: { via: 'plan' } },
};

/** Every plan table, parents before children (the order rows are inserted in). */
export const planTableNames = Object.keys(tableRules) as PlanTableName[];

export const planTables: { readonly [T in PlanTableName]: TableEntry<T> } = Object.fromEntries(
  planTableNames.map((name) => [name, { name, ...entries[name] }]),
) as { [T in PlanTableName]: TableEntry<T> };

export const isPlanTable = (table: string): table is PlanTableName => Object.hasOwn(planTables, table);

/** What deleting the row a reference points at does to `row`. */
export function onDeleteOf(ref: Reference, row: Readonly<Record<string, unknown>>): OnDelete {
  if (typeof ref.onDelete === 'string') return ref.onDelete;
  const set = row[ref.onDelete.ifSet] !== null && row[ref.onDelete.ifSet] !== undefined;
  return set ? ref.onDelete.then : ref.onDelete.otherwise;
}

/** The references to `table` from every plan table (who points at a row of it). */
export function referencesTo(table: PlanTableName): { from: PlanTableName; ref: Reference }[] {
  return planTableNames.flatMap((from) => planTables[from].references.filter((r) => r.table === table).map((ref) => ({ from, ref })));
}

/** The link tables whose parent is `table` (主な担当 of a table row). */
export function linkTablesOf(table: PlanTableName): PlanTableName[] {
  return planTableNames.filter((t) => {
    const e: TableEntry = planTables[t];
    return e.links !== undefined && e.references.some((r) => r.column === e.links!.parentColumn && r.table === table);
  });
}
