import { linkTablesOf, onDeleteOf, type PlanTableName, planTableNames, planTables, type TableEntry } from '../model/registry';
import type { RefSpec, StateRow, StateSchema, TableSpec } from './state';

/**
 * The plan database as the merge sees it. The tables that only hold one cell of a parent
 * (year_plan, target_value) or a parent's list (assignment, unit_focus_unit, joint_project_unit)
 * are folded into their parents as virtual columns, so they are matched by their parent and
 * fiscal year, never by their own ids (which may differ between copies). Everything here is read
 * from the registry (shared/model/registry.ts): owners from parents, references and what a delete
 * does, list columns from link tables, order columns from the ordering.
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

/** Physical tables folded into their parents: the per-year cells and the link tables of the registry. */
export const foldedTables: readonly PlanTableName[] = planTableNames.filter((t) => isFolded(planTables[t]));

function isFolded(e: TableEntry): boolean {
  return e.perYear !== undefined || e.links !== undefined;
}

const str = (row: StateRow, column: string) => (typeof row[column] === 'string' ? (row[column] as string) : null);

/** The row a row belongs to, by its registry parent (a target: its table row, else its branch). */
function ownerOf(parent: TableEntry['parent']): TableSpec['owner'] {
  if (parent === null) return () => null;
  const candidates = 'either' in parent ? parent.either : [parent];
  return (row) => {
    for (const { column, table } of candidates) {
      const id = str(row, column);
      if (id) return { table, id };
    }
    return null;
  };
}

/** A table of the merge from its registry entry: its link tables become list columns of unit ids. */
function specOf(table: PlanTableName): TableSpec {
  const e: TableEntry = planTables[table];
  return {
    owner: ownerOf(e.parent),
    refs: e.references.map((ref): RefSpec => ({ column: ref.column, table: ref.table, onDelete: (row) => onDeleteOf(ref, row) })),
    lists: linkTablesOf(table).map((link) => {
      const l: TableEntry = planTables[link];
      const unitRef = l.references.find((r) => r.column === l.links!.unitColumn)!;
      return { column: UNITS_COLUMN, table: unitRef.table };
    }),
    orderColumns: [...(e.ordering?.columns ?? [])],
  };
}

/** The tables the merge looks at (every plan table but the folded ones), parents before children. */
export const planSchema: StateSchema = Object.fromEntries(
  planTableNames.filter((t) => !isFolded(planTables[t])).map((t) => [t, specOf(t)]),
);
