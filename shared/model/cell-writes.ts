import { columnsOf } from './field-rules';
import { linkTablesOf, type PlanTableName, planTables } from './registry';
import { inOrder, positionColumn } from './row-order';
import type { PlanStore, StoredRow, StoredValue } from './store';

/**
 * The cells that are rows of their own, written once for the grids and the import: a fiscal
 * year's cell of a parent (a year's plan text, a target's values: the registry's `perYear`) and a
 * parent's list of units (主な担当, the units of a focus text or joint project: `links`).
 */

function parentColumnOf(table: PlanTableName): string {
  const p = planTables[table].parent;
  if (!p || 'either' in p) throw new Error(`${table} has no single parent`);
  return p.column;
}

/**
 * Sets a fiscal year's values of a parent's per-year cell (columns not named keep theirs). The
 * row is made when a value is set, and deleted when every value of it is empty; a new row's id is
 * derived from its parent and year, so that copies of the plan give it the same id.
 */
export async function setPerYear(store: PlanStore, table: PlanTableName, parentId: string, fiscalYear: number, values: Readonly<Record<string, StoredValue>>): Promise<void> {
  const perYear = planTables[table].perYear;
  if (!perYear) throw new Error(`${table} holds no per-year cells`);
  const parentColumn = parentColumnOf(table);
  const existing = (await store.find(table, { [parentColumn]: parentId, [perYear.yearColumn]: fiscalYear }))[0];
  const after = { ...existing, ...values };
  if (perYear.values.every((c) => (after[c] ?? null) === null)) {
    if (existing) await store.delete(table, existing.id);
    return;
  }
  if (existing) {
    await store.update(table, existing.id, values);
    return;
  }
  const row: StoredRow = { id: store.derivedId(table, parentId, fiscalYear) };
  for (const c of columnsOf(table)) if (c !== 'id') row[c] = c === parentColumn ? parentId : c === perYear.yearColumn ? fiscalYear : (values[c] ?? null);
  await store.insert(table, row);
}

/** A table row's plan text for a fiscal year; null removes it. */
export const setYearPlan = (store: PlanStore, rowId: string, fiscalYear: number, text: string | null): Promise<void> => setPerYear(store, 'year_plan', rowId, fiscalYear, { text });

export type TargetValueColumn = 'plan_value' | 'plan_text' | 'actual_value';

/** One of a target's values for a fiscal year; the year's row goes when all its values are empty. */
export const setTargetValue = (store: PlanStore, targetId: string, fiscalYear: number, column: TargetValueColumn, value: StoredValue): Promise<void> =>
  setPerYear(store, 'target_value', targetId, fiscalYear, { [column]: value });

/** The link table listing the units of a row of `parentTable` (主な担当 of a table row), if it has one. */
export const linkTableOf = (parentTable: PlanTableName): PlanTableName | undefined => linkTablesOf(parentTable)[0];

/** The units a row lists, in order (by position; equal positions by id). */
export async function linkedUnits(store: PlanStore, linkTable: PlanTableName, parentId: string): Promise<string[]> {
  const links = planTables[linkTable].links!;
  return inOrder(linkTable, await store.find(linkTable, { [links.parentColumn]: parentId })).map((l) => String(l[links.unitColumn]));
}

/**
 * Sets the units a row lists, in this order (a unit named twice counts once): links to units no
 * longer listed are deleted, the others renumbered, new ones made (their ids derived from the
 * row and the unit).
 */
export async function setLinks(store: PlanStore, linkTable: PlanTableName, parentId: string, unitIds: readonly string[]): Promise<void> {
  const links = planTables[linkTable].links;
  if (!links) throw new Error(`${linkTable} is no link table`);
  // In list order, so that of two links to one unit (hand-made data) the first listed is the one kept.
  const current = inOrder(linkTable, await store.find(linkTable, { [links.parentColumn]: parentId }));
  const wanted = new Set(unitIds);
  const currentOf = new Map<StoredValue, StoredRow>();
  for (const c of current) if (!currentOf.has(c[links.unitColumn]!)) currentOf.set(c[links.unitColumn]!, c);
  for (const c of current) if (!wanted.has(String(c[links.unitColumn]))) await store.delete(linkTable, c.id);
  const order = positionColumn(linkTable);
  for (const [position, unitId] of [...wanted].entries()) {
    const existing = currentOf.get(unitId);
    if (existing) await store.update(linkTable, existing.id, { [order]: position });
    else {
      const row: StoredRow = { id: store.derivedId(linkTable, parentId, unitId) };
      for (const c of columnsOf(linkTable)) if (c !== 'id') row[c] = c === links.parentColumn ? parentId : c === links.unitColumn ? unitId : c === order ? position : null;
      await store.insert(linkTable, row);
    }
  }
}
