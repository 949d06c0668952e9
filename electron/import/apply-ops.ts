import { AppError } from '../../shared/contract/errors';
import type { MergeOp } from '../../shared/import/ops';
import { orderOps } from '../../shared/import/ops';
import { perYearColumn, planSchema, targetValueFields, UNITS_COLUMN, type TargetValueField } from '../../shared/import/plan-schema';
import type { CellValue, StateRow } from '../../shared/import/state';
import type { ChangeWriter } from '../db/change-writer';
import type Database from 'better-sqlite3';
import type { Sqlite } from '../db/open';
import type { DataTable } from '../db/schema';
import { assignmentId, derivedId, targetValueId, yearPlanId } from '../model/derived-id';
import { checkOpValues } from './op-checks';

/**
 * Writes the merge's operations (on the neutral model) to the database through the ChangeWriter,
 * inside the caller's transaction: so an import is logged cell by cell and undoes as one step.
 * Virtual columns become the rows that hold them (a year plan, a target value, an assignment).
 */

interface ListTable {
  table: 'assignment' | 'unit_focus_unit' | 'joint_project_unit';
  parentColumn: 'row_id' | 'focus_id' | 'project_id';
  id: (parentId: string, unitId: string) => string;
}
const listTables: Record<string, ListTable> = {
  action_row: { table: 'assignment', parentColumn: 'row_id', id: assignmentId },
  unit_focus: { table: 'unit_focus_unit', parentColumn: 'focus_id', id: (p, u) => derivedId('unit_focus_unit', p, u) },
  joint_project: { table: 'joint_project_unit', parentColumn: 'project_id', id: (p, u) => derivedId('joint_project_unit', p, u) },
};

/** Statements prepared once per database: preparing one per written row was a third of a large import's time. */
const statementCache = new WeakMap<Sqlite, Map<string, Database.Statement<unknown[]>>>();
function prepared(sqlite: Sqlite, sql: string): Database.Statement<unknown[]> {
  let cache = statementCache.get(sqlite);
  if (!cache) statementCache.set(sqlite, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = sqlite.prepare(sql)));
  return stmt;
}

const columnCache = new WeakMap<Sqlite, Map<string, string[]>>();
function physicalColumns(sqlite: Sqlite, table: string): string[] {
  let cache = columnCache.get(sqlite);
  if (!cache) columnCache.set(sqlite, (cache = new Map()));
  let cols = cache.get(table);
  if (!cols) cache.set(table, (cols = (sqlite.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name)));
  return cols;
}

function checkTable(table: string): DataTable {
  if (!Object.hasOwn(planSchema, table)) throw new AppError('internal', '取り込みの内容が不正です。', `merge op on unknown table ${table}`);
  return table as DataTable;
}

const asList = (v: CellValue | undefined): string[] => (Array.isArray(v) ? [...(v as string[])] : []);

function setList(sqlite: Sqlite, w: ChangeWriter, parentTable: string, parentId: string, unitIds: string[]): void {
  const spec = listTables[parentTable];
  if (!spec) throw new AppError('internal', '取り込みの内容が不正です。', `no list column on ${parentTable}`);
  const current = prepared(sqlite, `select id, unit_id, position from ${spec.table} where ${spec.parentColumn} = ?`).all(parentId) as { id: string; unit_id: string; position: number }[];
  const wantedSet = new Set(unitIds);
  const wanted = [...wantedSet];
  const currentOf = new Map<string, (typeof current)[number]>();
  for (const c of current) if (!currentOf.has(c.unit_id)) currentOf.set(c.unit_id, c);
  for (const c of current) if (!wantedSet.has(c.unit_id)) w.delete(spec.table, c.id);
  wanted.forEach((unitId, position) => {
    const existing = currentOf.get(unitId);
    if (existing) w.update(spec.table, existing.id, { position });
    else w.insert(spec.table, { id: spec.id(parentId, unitId), [spec.parentColumn]: parentId, unit_id: unitId, position } as never);
  });
}

function removeFromList(sqlite: Sqlite, w: ChangeWriter, parentTable: string, parentId: string, unitIds: string[]): void {
  const spec = listTables[parentTable];
  if (!spec) throw new AppError('internal', '取り込みの内容が不正です。', `no list column on ${parentTable}`);
  const current = prepared(sqlite, `select unit_id from ${spec.table} where ${spec.parentColumn} = ? order by position`).all(parentId) as { unit_id: string }[];
  const removed = new Set(unitIds);
  setList(sqlite, w, parentTable, parentId, current.map((c) => c.unit_id).filter((u) => !removed.has(u)));
}

function setYearPlan(sqlite: Sqlite, w: ChangeWriter, rowId: string, fiscalYear: number, value: CellValue): void {
  const existing = prepared(sqlite, 'select id from year_plan where row_id = ? and fiscal_year = ?').get(rowId, fiscalYear) as { id: string } | undefined;
  const text = typeof value === 'string' ? value : value === null ? null : String(value);
  if (text === null) {
    if (existing) w.delete('year_plan', existing.id);
  } else if (existing) w.update('year_plan', existing.id, { text });
  else w.insert('year_plan', { id: yearPlanId(rowId, fiscalYear), row_id: rowId, fiscal_year: fiscalYear, text });
}

function setTargetValue(sqlite: Sqlite, w: ChangeWriter, targetId: string, fiscalYear: number, field: TargetValueField, value: CellValue): void {
  const column = targetValueFields[field];
  const v = value === null ? null : field === 'planText' ? String(value) : Number(value);
  const existing = prepared(sqlite, 'select * from target_value where target_id = ? and fiscal_year = ?').get(targetId, fiscalYear) as
    | { id: string; plan_value: number | null; plan_text: string | null; actual_value: number | null }
    | undefined;
  if (existing) {
    w.update('target_value', existing.id, { [column]: v });
    const after = { ...existing, [column]: v };
    if (after.plan_value === null && after.actual_value === null && after.plan_text === null) w.delete('target_value', existing.id);
  } else if (v !== null)
    w.insert('target_value', { id: targetValueId(targetId, fiscalYear), target_id: targetId, fiscal_year: fiscalYear, plan_value: null, plan_text: null, actual_value: null, [column]: v });
}

function setVirtual(sqlite: Sqlite, w: ChangeWriter, table: string, id: string, column: string, value: CellValue): boolean {
  if (column === UNITS_COLUMN && listTables[table]) {
    setList(sqlite, w, table, id, asList(value));
    return true;
  }
  const perYear = perYearColumn(column);
  if (!perYear) return false;
  if (perYear.field === 'yearPlan' && table === 'action_row') setYearPlan(sqlite, w, id, perYear.fiscalYear, value);
  else if (perYear.field !== 'yearPlan' && table === 'target') setTargetValue(sqlite, w, id, perYear.fiscalYear, perYear.field, value);
  else return false;
  return true;
}

function insertRow(sqlite: Sqlite, w: ChangeWriter, table: DataTable, row: StateRow): void {
  const physical: Record<string, unknown> = {};
  for (const c of physicalColumns(sqlite, table)) physical[c] = row[c] ?? null;
  w.insert(table, physical as never);
  for (const [column, value] of Object.entries(row)) if (!physicalColumns(sqlite, table).includes(column)) setVirtual(sqlite, w, table, row.id, column, value);
}

function deleteRow(sqlite: Sqlite, w: ChangeWriter, table: DataTable, id: string): void {
  if (listTables[table]) setList(sqlite, w, table, id, []);
  if (table === 'action_row') for (const y of prepared(sqlite, 'select id from year_plan where row_id = ?').all(id) as { id: string }[]) w.delete('year_plan', y.id);
  if (table === 'target') for (const v of prepared(sqlite, 'select id from target_value where target_id = ?').all(id) as { id: string }[]) w.delete('target_value', v.id);
  w.delete(table, id);
}

function sqliteCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/** Applies the operations in an order the foreign keys accept; a constraint the data breaks aborts the whole import. */
export function applyMergeOps(sqlite: Sqlite, w: ChangeWriter, ops: MergeOp[]): void {
  // Every value passes the field rules first (the same as a typed cell), whatever file it came from.
  for (const o of orderOps(checkOpValues(ops), planSchema)) {
    const table = checkTable(o.table);
    try {
      if (o.op === 'insert') insertRow(sqlite, w, table, o.row);
      else if (o.op === 'delete') deleteRow(sqlite, w, table, o.id);
      else if (o.op === 'removeFromList') removeFromList(sqlite, w, table, o.id, o.values);
      else if (!setVirtual(sqlite, w, table, o.id, o.column, o.value)) {
        if (!physicalColumns(sqlite, table).includes(o.column)) throw new AppError('internal', '取り込みの内容が不正です。', `no column ${table}.${o.column}`);
        if (!w.read(table, o.id)) throw new AppError('conflict', '取り込もうとした行が見つかりません。もう一度ファイルを読み込んでください。', `update of missing ${table} ${o.id}`);
        w.update(table, o.id, { [o.column]: o.value } as never);
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      const code = sqliteCode(e);
      if (code.startsWith('SQLITE_CONSTRAINT'))
        throw new AppError(
          'conflict',
          '選んだ変更だけでは計画のつながりが保てないため、取り込めません（ほかの変更も一緒に選んでください）。何も変更していません。',
          `${o.op} ${table} ${o.op === 'insert' ? o.row.id : o.id}: ${code}: ${e instanceof Error ? e.message : String(e)}`,
        );
      throw e;
    }
  }
}
