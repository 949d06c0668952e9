import { AppError } from '../../../shared/errors/app-error';
import type { CellAddress, HistoryEntry } from '../../../shared/domain/editing';
import { ruleOf } from '../../../shared/model/field-rules';
import { storedAt } from '../../../shared/model/grid-columns';
import { planTables } from '../../../shared/model/registry';
import { formatQuantity } from '../../../shared/numbers/parse';
import { jsonMemberText } from '../../db/dialect';
import type { PlanDb } from '../../db/plan-db';
import type { DataTable } from '../../db/schema';

/** Where a cell's value lives: rows of one table (several when the row was deleted and made again) and a column. */
interface Source {
  table: string;
  rowIds: string[];
  column: string;
  kind: 'text' | 'number' | 'bool' | 'unit';
}

/** Ids of a child table's rows (now or ever, per the log) whose parent columns have the given values. */
async function rowsEver(db: PlanDb, table: DataTable, match: Record<string, string | number>): Promise<string[]> {
  let now = db.q.selectFrom(table).select('id');
  // Dynamic table and columns: the callers name columns of `table` (the registry's).
  for (const [column, value] of Object.entries(match)) now = now.where(column as never, '=', value as never);
  const logged = db.q
    .selectFrom('change')
    .select('row_id as id')
    .distinct()
    .where('table_name', '=', table)
    .where('op', 'in', ['insert', 'delete'])
    .where((e) => e.and(Object.entries(match).map(([column, value]) => e(jsonMemberText(db, e.fn.coalesce('new_value', 'old_value'), column), '=', String(value)))));
  const rows = [...(await now.execute()), ...(await logged.execute())] as { id: string }[];
  return [...new Set(rows.map((r) => r.id))];
}

/** The focus text each unit_focus_unit link points to: as the link is now, else as the log first recorded it (two queries, not one per link). */
async function focusOfLinks(db: PlanDb, linkIds: string[]): Promise<string[]> {
  if (linkIds.length === 0) return [];
  const now = new Map((await db.q.selectFrom('unit_focus_unit').select(['id', 'focus_id']).where('id', 'in', linkIds).execute()).map((r) => [r.id, r.focus_id]));
  const gone = linkIds.filter((id) => !now.has(id));
  const logged = new Map<string, string>();
  if (gone.length > 0) {
    const rows = await db.q
      .selectFrom('change')
      .select(['row_id', 'new_value', 'old_value'])
      .where('table_name', '=', 'unit_focus_unit')
      .where('row_id', 'in', gone)
      .where('op', 'in', ['insert', 'delete'])
      .orderBy('id')
      .execute();
    // A link never changes its focus: its first logged version says which it was.
    for (const r of rows) if (!logged.has(r.row_id)) logged.set(r.row_id, (JSON.parse(r.new_value ?? r.old_value ?? 'null') as { focus_id: string }).focus_id);
  }
  return linkIds.flatMap((id) => {
    const focus = now.get(id) ?? logged.get(id);
    return focus === undefined ? [] : [focus];
  });
}

async function sourceOf(db: PlanDb, a: CellAddress): Promise<Source> {
  switch (a.entity) {
    case 'focusSlot': {
      const focusIds = await focusOfLinks(db, await rowsEver(db, 'unit_focus_unit', { unit_id: a.unitId }));
      const inPeriod = new Set(await rowsEver(db, 'unit_focus', { period: a.period }));
      return { table: 'unit_focus', rowIds: [...new Set(focusIds)].filter((id) => inPeriod.has(id)), column: 'text', kind: 'text' };
    }
    case 'assignments':
      return { table: 'assignment', rowIds: await rowsEver(db, 'assignment', { row_id: a.id }), column: 'unit_id', kind: 'unit' };
    case 'unitName':
      return { table: 'unit', rowIds: [a.id], column: 'name', kind: 'text' };
    default: {
      // Where the field is stored and what it holds: the one map of the grids' fields (shared/model/grid-columns.ts).
      const at = storedAt(a.entity, a.field);
      const entry = at ? planTables[at.table] : undefined;
      if (!at || !entry || (entry.perYear && a.fiscalYear === undefined)) throw new AppError('invalid_arguments', 'この欄の履歴はありません。', `no history for ${a.entity}.${a.field}`);
      const rule = ruleOf(at.table, at.column);
      const kind: Source['kind'] = rule?.kind === 'number' ? 'number' : rule?.kind === 'bool' ? 'bool' : 'text';
      const parent = entry.parent;
      if (!entry.perYear || !parent || 'either' in parent) return { table: at.table, rowIds: [a.id], column: at.column, kind };
      return { table: at.table, rowIds: await rowsEver(db, at.table, { [parent.column]: a.id, [entry.perYear.yearColumn]: a.fiscalYear! }), column: at.column, kind };
    }
  }
}

interface LogRow {
  set_id: number;
  at: string;
  user: string;
  label: string;
  op: 'insert' | 'update' | 'delete';
  column_name: string | null;
  old_value: string | null;
  new_value: string | null;
}

/** Who changed a cell when, from what to what: newest first. Read in one consistent view. */
export function cellHistory(db: PlanDb, address: CellAddress, limit = 200): Promise<HistoryEntry[]> {
  return db.snapshot((tx) => historyOf(tx, address, limit));
}

async function historyOf(db: PlanDb, address: CellAddress, limit: number): Promise<HistoryEntry[]> {
  const source = await sourceOf(db, address);
  if (source.rowIds.length === 0) return [];
  const rows: LogRow[] = await db.q
    .selectFrom('change as c')
    .innerJoin('change_set as s', 's.id', 'c.set_id')
    .select(['c.set_id', 's.at', 's.user', 's.label', 'c.op', 'c.column_name', 'c.old_value', 'c.new_value'])
    .where('c.table_name', '=', source.table)
    .where('c.row_id', 'in', source.rowIds)
    .where((e) => e.or([e('c.op', '!=', 'update'), e('c.column_name', '=', source.column)]))
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  const unitNames = new Map<string, string>();
  if (source.kind === 'unit') for (const u of await db.q.selectFrom('unit').select(['id', 'name']).execute()) unitNames.set(u.id, u.name);
  const show = (v: unknown): string | null => {
    if (v === null || v === undefined) return null;
    if (source.kind === 'number' && typeof v === 'number') return formatQuantity(v);
    if (source.kind === 'bool') return v ? '新' : null;
    if (source.kind === 'unit') return unitNames.get(String(v)) ?? '（削除された組織）';
    return String(v);
  };
  const columnOf = (json: string | null): unknown => (json === null ? null : (JSON.parse(json) as Record<string, unknown>)[source.column]);
  return rows.map((r) => {
    const from = r.op === 'insert' ? null : r.op === 'delete' ? columnOf(r.old_value) : JSON.parse(r.old_value ?? 'null');
    const to = r.op === 'delete' ? null : r.op === 'insert' ? columnOf(r.new_value) : JSON.parse(r.new_value ?? 'null');
    return { changeSetId: r.set_id, at: r.at, user: r.user, label: r.label, from: show(from), to: show(to) };
  });
}
