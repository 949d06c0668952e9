import type { StoredRow } from './field-kinds';
import { type PlanTableName, planTableNames, type Reference, type OnDelete, type TableEntry } from './table-entry';
import { actionPlanTables } from './tables-action-plan';
import { branchTables } from './tables-branches';
import { overviewTables } from './tables-overview';
import { financialTables, planPartTables } from './tables-plan';
import { targetTables } from './tables-targets';
import { unitTables } from './tables-units';

/**
 * The plan model: one entry per plan table saying what a row of it is — its columns and their field
 * kinds (field-kinds.ts), the row it belongs to, what a delete of a referenced row does to it, how
 * its rows are ordered among their siblings, what a new row starts with, what it and its columns
 * are called in Japanese, and which unit(s) it belongs to (for per-unit rights later). The entries
 * are written in one module per part of the plan (tables-*.ts); the shape of an entry is in
 * table-entry.ts.
 *
 * Everything that needs to know "what a plan table is" reads it here: the field rules and the
 * schema's CHECK constraints (field-rules.ts, electron/db/field-checks-sql.ts), the database's row
 * types (`RowOf`, electron/db/schema.ts), the row operations of the grids and of the import merge,
 * the merge's view of the plan (shared/import/plan-schema.ts), the delete confirmation, the labels
 * of the review. A new table or column is added here and in one migration; a test
 * (tests/unit/registry.test.ts) checks the entries against the migrations' schema.
 */

export { planTableNames };
export type { Links, OnDelete, Ordering, PlanTableName, Reference, TableEntry, UnitsOf } from './table-entry';

const drafts = { ...planPartTables, ...unitTables, ...actionPlanTables, ...targetTables, ...branchTables, ...overviewTables, ...financialTables };

/** The columns of each plan table, with their literal field kinds. */
export type TableColumns = { [T in PlanTableName]: (typeof drafts)[T]['columns'] };

/** A row of a plan table as stored: `RowOf<'target'>['note']` is `string | null`. The Kysely tables are these. */
export type RowOf<T extends PlanTableName> = StoredRow<TableColumns[T]>;

/** A column of a plan table: `ColumnOf<'target'>` is `'id' | 'row_id' | …`. */
export type ColumnOf<T extends PlanTableName> = keyof TableColumns[T] & string;

export const planTables: { readonly [T in PlanTableName]: TableEntry<T, TableColumns[T]> } = Object.fromEntries(
  planTableNames.map((name) => [name, { name, ...drafts[name] }]),
) as { [T in PlanTableName]: TableEntry<T, TableColumns[T]> };

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

/** Whether a column's text may carry emphasised phrases as `**…**` marks (shared/text/emphasis.ts). */
export function carriesEmphasis(table: PlanTableName, column: string): boolean {
  const rule = (planTables[table].columns as Record<string, { kind: string; emphasis?: boolean }>)[column];
  return rule?.kind === 'text' && rule.emphasis === true;
}
