import type { RefSpec, StateRow, StateSchema, TableSpec } from './state';

/**
 * The plan database as the merge sees it. The tables that only hold one cell of a parent
 * (year_plan, target_value) or a parent's list (assignment, unit_focus_unit, joint_project_unit)
 * are folded into their parents as virtual columns, so they are matched by their parent and
 * fiscal year, never by their own ids (which may differ between copies).
 */

/** Virtual columns: `yearPlan:2021` (action_row), `planValue:2021` / `actualValue:2021` / `planText:2021` (target), `units` (lists). */
export const yearPlanColumn = (fiscalYear: number) => `yearPlan:${fiscalYear}`;
export const targetValueColumn = (field: TargetValueField, fiscalYear: number) => `${field}:${fiscalYear}`;
export const UNITS_COLUMN = 'units';

export type TargetValueField = 'planValue' | 'actualValue' | 'planText';
export const targetValueFields: Record<TargetValueField, 'plan_value' | 'actual_value' | 'plan_text'> = {
  planValue: 'plan_value',
  actualValue: 'actual_value',
  planText: 'plan_text',
};

/** A virtual column of a per-year value, split into its field and year (null for other columns). */
export function perYearColumn(column: string): { field: 'yearPlan' | TargetValueField; fiscalYear: number } | null {
  const m = /^(yearPlan|planValue|actualValue|planText):(\d{4})$/.exec(column);
  return m ? { field: m[1] as 'yearPlan' | TargetValueField, fiscalYear: Number(m[2]) } : null;
}

/** Physical tables folded into their parents. */
export const foldedTables = ['year_plan', 'target_value', 'assignment', 'unit_focus_unit', 'joint_project_unit'] as const;

const cascade = () => 'cascade' as const;
const nullify = () => 'nullify' as const;
const ref = (column: string, table: string, onDelete: RefSpec['onDelete'] = cascade): RefSpec => ({ column, table, onDelete });
const str = (row: StateRow, column: string) => (typeof row[column] === 'string' ? (row[column] as string) : null);
const ownedBy = (column: string, table: string) => (row: StateRow) => {
  const id = str(row, column);
  return id ? { table, id } : null;
};

function spec(owner: TableSpec['owner'], refs: RefSpec[], extra: Partial<Pick<TableSpec, 'lists' | 'orderColumns'>> = {}): TableSpec {
  return { owner, refs, lists: extra.lists ?? [], orderColumns: extra.orderColumns ?? ['position'] };
}

const ofPlan = spec(ownedBy('plan_id', 'plan'), [ref('plan_id', 'plan')]);

export const planSchema: StateSchema = {
  plan: spec(() => null, [], { orderColumns: [] }),
  unit: spec(() => null, []),
  pillar: ofPlan,
  plan_list_item: ofPlan,
  challenge_group: ofPlan,
  challenge: spec(ownedBy('group_id', 'challenge_group'), [ref('group_id', 'challenge_group')]),
  action_row: spec(ownedBy('plan_id', 'plan'), [ref('plan_id', 'plan'), ref('band_pillar_id', 'pillar', nullify)], {
    lists: [{ column: UNITS_COLUMN, table: 'unit' }],
    orderColumns: ['page', 'position'],
  }),
  theme: spec(ownedBy('row_id', 'action_row'), [ref('row_id', 'action_row'), ref('pillar_id', 'pillar', nullify)]),
  // A target belongs to its table row; a branch's target (no row) to its branch.
  target: spec(
    (row) => (str(row, 'row_id') ? { table: 'action_row', id: str(row, 'row_id')! } : str(row, 'unit_id') ? { table: 'unit', id: str(row, 'unit_id')! } : null),
    [
      ref('row_id', 'action_row'),
      ref('theme_id', 'theme', nullify),
      ref('unit_id', 'unit', (row) => (str(row, 'row_id') ? 'nullify' : 'cascade')),
    ],
  ),
  unit_focus: spec(ownedBy('plan_id', 'plan'), [ref('plan_id', 'plan')], { lists: [{ column: UNITS_COLUMN, table: 'unit' }] }),
  joint_project: spec(ownedBy('plan_id', 'plan'), [ref('plan_id', 'plan')], { lists: [{ column: UNITS_COLUMN, table: 'unit' }] }),
  overview_section: spec(ownedBy('plan_id', 'plan'), [ref('plan_id', 'plan')]),
  overview_group: spec(ownedBy('section_id', 'overview_section'), [ref('section_id', 'overview_section')]),
  overview_item: spec(ownedBy('group_id', 'overview_group'), [ref('group_id', 'overview_group'), ref('row_id', 'action_row', nullify)]),
  financial_year: spec(ownedBy('plan_id', 'plan'), [ref('plan_id', 'plan')], { orderColumns: [] }),
};
