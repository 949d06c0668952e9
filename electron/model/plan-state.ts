import type { PlanDb } from '../db/plan-db';
import type { DataTable } from '../db/schema';
import { UNITS_COLUMN, foldedTables, targetValueColumn, targetValueFields, yearPlanColumn, type TargetValueField } from '../../shared/import/plan-schema';
import type { CellValue, PlanState, StateRow } from '../../shared/import/state';
import { columnsOf } from '../../shared/model/field-rules';
import { planTableNames } from '../../shared/model/registry';

/**
 * The plan as the merge sees it, read from a database: now, or at an earlier revision (a change
 * set id) by walking the change log back from now.
 */

type PhysicalRow = Record<string, unknown> & { id: string };
/** Rows by id of every data table, as stored. */
export type PhysicalState = Map<string, Map<string, PhysicalRow>>;

/**
 * Only the columns the model knows are read (shared/model/field-rules.ts): a column some other
 * program added to a copy is never compared, shown or written back.
 */
export async function readPhysical(db: PlanDb): Promise<PhysicalState> {
  const state: PhysicalState = new Map();
  // Every table of plan data: the registry's (the change log's tables are not data). Read in one
  // consistent view, so that a write between two tables' reads cannot tear the state.
  await db.snapshot(async (tx) => {
    for (const table of planTableNames) {
      // Dynamic table and columns: rows are plain column maps.
      const rows = (await tx.q
        .selectFrom(table as DataTable)
        .select(columnsOf(table) as never[])
        .orderBy('id')
        .execute()) as PhysicalRow[];
      state.set(table, new Map(rows.map((r) => [r.id, r])));
    }
  });
  return state;
}

/** The newest revision (change set id) of a database; 0 when the log is empty. */
export async function latestRevision(db: PlanDb): Promise<number> {
  const row = await db.q
    .selectFrom('change_set')
    .select((e) => e.fn.coalesce(e.fn.max('id'), e.lit(0)).as('id'))
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * The data as it was right after change set `revision`: every change logged after it is undone,
 * newest first, on a copy of the rows read now. The log records whole rows for inserts and deletes
 * and old values per column for updates, so this is exact. The rows and the log are read in one
 * consistent view.
 */
export async function physicalAt(db: PlanDb, revision: number): Promise<PhysicalState> {
  const { state, changes } = await db.snapshot(async (tx) => ({
    state: await readPhysical(tx),
    changes: await tx.q
      .selectFrom('change')
      .select(['table_name', 'row_id', 'op', 'column_name', 'old_value'])
      .where('set_id', '>', revision)
      .orderBy('id', 'desc')
      .execute(),
  }));
  for (const c of changes) {
    const rows = state.get(c.table_name);
    if (!rows) continue;
    if (c.op === 'insert') rows.delete(c.row_id);
    else if (c.op === 'delete') rows.set(c.row_id, JSON.parse(c.old_value ?? 'null') as PhysicalRow);
    else if (c.column_name) {
      const row = rows.get(c.row_id);
      if (row) rows.set(c.row_id, { ...row, [c.column_name]: c.old_value === null ? null : (JSON.parse(c.old_value) as unknown) });
    }
  }
  return state;
}

const cellValue = (v: unknown): CellValue => (v === undefined || v === null ? null : typeof v === 'number' || typeof v === 'string' ? v : String(v));

function byPosition(rows: PhysicalRow[]): PhysicalRow[] {
  return [...rows].sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0));
}

/** Folds the per-cell and list tables into their parents (see shared/import/plan-schema.ts). */
export function toPlanState(physical: PhysicalState): PlanState {
  const state: PlanState = {};
  const folded = new Set<string>(foldedTables);
  for (const [table, rows] of physical) {
    if (folded.has(table)) continue;
    const out: Record<string, StateRow> = {};
    for (const [id, row] of rows) {
      const copy: StateRow = { id };
      for (const [k, v] of Object.entries(row)) if (k !== 'id') copy[k] = cellValue(v);
      out[id] = copy;
    }
    state[table] = out;
  }
  const rowsOf = (t: string) => [...(physical.get(t)?.values() ?? [])];
  for (const y of rowsOf('year_plan')) {
    const parent = state.action_row?.[String(y.row_id)];
    if (parent) parent[yearPlanColumn(Number(y.fiscal_year))] = cellValue(y.text);
  }
  for (const v of rowsOf('target_value')) {
    const parent = state.target?.[String(v.target_id)];
    if (!parent) continue;
    for (const [field, column] of Object.entries(targetValueFields) as [TargetValueField, string][]) {
      const value = cellValue(v[column]);
      if (value !== null) parent[targetValueColumn(field, Number(v.fiscal_year))] = value;
    }
  }
  const lists: [string, string, string][] = [
    ['assignment', 'row_id', 'action_row'],
    ['unit_focus_unit', 'focus_id', 'unit_focus'],
    ['joint_project_unit', 'project_id', 'joint_project'],
  ];
  for (const [table, parentColumn, parentTable] of lists) {
    const byParent = new Map<string, PhysicalRow[]>();
    for (const r of rowsOf(table)) {
      const p = String(r[parentColumn]);
      byParent.set(p, [...(byParent.get(p) ?? []), r]);
    }
    for (const parent of Object.values(state[parentTable] ?? {})) parent[UNITS_COLUMN] = byPosition(byParent.get(parent.id) ?? []).map((r) => String(r.unit_id));
  }
  return state;
}

export async function readPlanState(db: PlanDb): Promise<PlanState> {
  return toPlanState(await readPhysical(db));
}

export async function planStateAt(db: PlanDb, revision: number): Promise<PlanState> {
  return toPlanState(await physicalAt(db, revision));
}
