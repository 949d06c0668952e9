import { AppError } from '../../shared/errors/app-error';
import type { MergeOp } from '../../shared/import/ops';
import { orderOps } from '../../shared/import/ops';
import { foldedTables, perYearColumn, planSchema, targetValueFields, UNITS_COLUMN } from '../../shared/import/plan-schema';
import type { CellValue, StateRow } from '../../shared/import/state';
import { linkedUnits, linkTableOf, setLinks, setTargetValue, setYearPlan } from '../../shared/model/cell-writes';
import { columnsOf } from '../../shared/model/field-rules';
import { isPlanTable, type PlanTableName } from '../../shared/model/registry';
import { planDelete, runDelete } from '../../shared/model/row-delete';
import type { StoredRow, StoredValue } from '../../shared/model/store';
import type { ChangeWriter } from '../db/change-writer';
import type { PlanDb } from '../db/plan-db';
import type { DataTable } from '../db/schema';
import { SqlStore } from '../model/sql-store';
import { checkOpValues } from './op-checks';

/**
 * Writes the merge's operations (on the neutral model) to the database through the ChangeWriter,
 * inside the caller's transaction: so an import is logged cell by cell and undoes as one step.
 * Virtual columns become the rows that hold them (a year plan, a target value, an assignment),
 * written by the same cell writes as the grids' (shared/model/cell-writes.ts); a deleted row takes
 * with it what the registry says, as a delete in the grid does (shared/model/row-delete.ts).
 */

/** The columns a table holds in the database (the registry's, which tests/unit/registry.test.ts holds against the schema). */
const physicalColumnSets = new Map<string, ReadonlySet<string>>();
function physicalColumns(table: PlanTableName): ReadonlySet<string> {
  let set = physicalColumnSets.get(table);
  if (!set) physicalColumnSets.set(table, (set = new Set(columnsOf(table))));
  return set;
}

function checkTable(table: string): PlanTableName {
  if (!Object.hasOwn(planSchema, table) || !isPlanTable(table)) throw new AppError('internal', '取り込みの内容が不正です。', `merge op on unknown table ${table}`);
  return table;
}

const asList = (v: CellValue | undefined): string[] => (Array.isArray(v) ? [...(v as string[])] : []);

function linkTable(parentTable: PlanTableName): PlanTableName {
  const table = linkTableOf(parentTable);
  if (!table) throw new AppError('internal', '取り込みの内容が不正です。', `no list column on ${parentTable}`);
  return table;
}

async function removeFromList(store: SqlStore, parentTable: PlanTableName, parentId: string, unitIds: string[]): Promise<void> {
  const table = linkTable(parentTable);
  const removed = new Set(unitIds);
  await setLinks(store, table, parentId, (await linkedUnits(store, table, parentId)).filter((u) => !removed.has(u)));
}

async function setVirtual(store: SqlStore, table: PlanTableName, id: string, column: string, value: CellValue): Promise<boolean> {
  if (column === UNITS_COLUMN && linkTableOf(table)) {
    await setLinks(store, linkTable(table), id, asList(value));
    return true;
  }
  const perYear = perYearColumn(column);
  if (!perYear) return false;
  if (perYear.field === 'yearPlan' && table === 'action_row') await setYearPlan(store, id, perYear.fiscalYear, typeof value === 'string' ? value : value === null ? null : String(value));
  else if (perYear.field !== 'yearPlan' && table === 'target')
    await setTargetValue(store, id, perYear.fiscalYear, targetValueFields[perYear.field], value === null ? null : perYear.field === 'planText' ? String(value) : Number(value));
  else return false;
  return true;
}

async function insertRow(store: SqlStore, table: PlanTableName, row: StateRow): Promise<void> {
  const physical: StoredRow = { id: row.id };
  const columns = physicalColumns(table);
  for (const c of columns) physical[c] = (row[c] ?? null) as StoredValue;
  await store.insert(table, physical);
  for (const [column, value] of Object.entries(row)) if (!columns.has(column)) await setVirtual(store, table, row.id, column, value);
}

function errorCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/** A constraint the data breaks: SQLite's SQLITE_CONSTRAINT_*, PostgreSQL's class 23 (integrity constraint violation). */
const isConstraintError = (code: string) => code.startsWith('SQLITE_CONSTRAINT') || /^23[0-9A-Z]{3}$/.test(code);

const brokenLinks = (log: string) =>
  new AppError('conflict', '選んだ変更だけでは計画のつながりが保てないため、取り込めません（ほかの変更も一緒に選んでください）。何も変更していません。', log);

/**
 * A delete of the import, by the registry's rules, but never taking with it a row the review did
 * not show as deleted: the last theme of a table row would take the row (its year plans, 主な担当
 * and targets) with it, and a person who ticked only the theme's removal never saw that. Rows
 * folded into their parent (per-year cells, unit lists) are part of the row the review shows.
 */
async function deleteShown(store: SqlStore, table: PlanTableName, id: string, shown: ReadonlySet<string>): Promise<void> {
  const plan = await planDelete(store, table, id);
  const unshown = plan.deleted.find((d) => !foldedTables.includes(d.table) && !shown.has(`${d.table}|${d.row.id}`));
  if (unshown) throw brokenLinks(`delete ${table} ${id} would also delete ${unshown.table} ${unshown.row.id}, which no chosen change deletes`);
  await runDelete(store, plan);
}

/**
 * Applies the operations in an order the foreign keys accept; a constraint the data breaks aborts
 * the whole import. `tx`: the transaction of the import's change set (withChange), which `w` writes in.
 */
export async function applyMergeOps(tx: PlanDb, w: ChangeWriter, ops: MergeOp[]): Promise<void> {
  // Every value passes the field rules first (the same as a typed cell), whatever file it came from.
  const store = new SqlStore(tx, w);
  const shown = new Set(ops.flatMap((o) => (o.op === 'delete' ? [`${o.table}|${o.id}`] : [])));
  for (const o of orderOps(checkOpValues(ops), planSchema)) {
    const table = checkTable(o.table);
    try {
      if (o.op === 'insert') await insertRow(store, table, o.row);
      // A row an earlier delete took with it is gone already.
      else if (o.op === 'delete') await deleteShown(store, table, o.id, shown);
      else if (o.op === 'removeFromList') await removeFromList(store, table, o.id, o.values);
      else if (!(await setVirtual(store, table, o.id, o.column, o.value))) {
        if (!physicalColumns(table).has(o.column)) throw new AppError('internal', '取り込みの内容が不正です。', `no column ${table}.${o.column}`);
        if (!(await store.get(table, o.id))) throw new AppError('conflict', '取り込もうとした行が見つかりません。もう一度ファイルを読み込んでください。', `update of missing ${table} ${o.id}`);
        await w.update(table as DataTable, o.id, { [o.column]: o.value } as never);
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      const code = errorCode(e);
      if (isConstraintError(code))
        throw brokenLinks(`${o.op} ${table} ${o.op === 'insert' ? o.row.id : o.id}: ${code}: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }
  // The writer holds inserted rows back to send them many at a time (change-writer.ts): a constraint
  // they break shows when they go, at a later operation's query (above) or here, the last of them.
  try {
    await w.flush();
  } catch (e) {
    const code = errorCode(e);
    if (isConstraintError(code)) throw brokenLinks(`inserting the import's rows: ${code}: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
}
