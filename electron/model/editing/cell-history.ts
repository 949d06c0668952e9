import { AppError } from '../../../shared/errors/app-error';
import type { CellAddress, HistoryEntry } from '../../../shared/domain/editing';
import { ruleOf } from '../../../shared/model/field-rules';
import { storedAt } from '../../../shared/model/grid-columns';
import { planTables } from '../../../shared/model/registry';
import { formatQuantity } from '../../../shared/numbers/parse';
import type { Sqlite } from '../../db/open';

/** Where a cell's value lives: rows of one table (several when the row was deleted and made again) and a column. */
interface Source {
  table: string;
  rowIds: string[];
  column: string;
  kind: 'text' | 'number' | 'bool' | 'unit';
}

/** Ids of a child table's rows (now or ever, per the log) whose parent columns have the given values. */
function rowsEver(sqlite: Sqlite, table: string, match: Record<string, string | number>): string[] {
  const cols = Object.keys(match);
  const now = sqlite.prepare(`select id from ${table} where ${cols.map((c) => `${c} = ?`).join(' and ')}`).all(...Object.values(match)) as { id: string }[];
  const logged = sqlite
    .prepare(
      `select distinct row_id as id from change where table_name = ? and op in ('insert', 'delete') and ${cols
        .map((c) => `json_extract(coalesce(new_value, old_value), '$.${c}') = ?`)
        .join(' and ')}`,
    )
    .all(table, ...Object.values(match)) as { id: string }[];
  return [...new Set([...now, ...logged].map((r) => r.id))];
}

function sourceOf(sqlite: Sqlite, a: CellAddress): Source {
  switch (a.entity) {
    case 'focusSlot': {
      const focusIds = rowsEver(sqlite, 'unit_focus_unit', { unit_id: a.unitId }).flatMap((linkId) => {
        const row = sqlite.prepare('select focus_id from unit_focus_unit where id = ?').get(linkId) as { focus_id: string } | undefined;
        if (row) return [row.focus_id];
        const logged = sqlite.prepare("select coalesce(new_value, old_value) as v from change where table_name = 'unit_focus_unit' and row_id = ? and op in ('insert', 'delete') limit 1").get(linkId) as { v: string } | undefined;
        return logged ? [(JSON.parse(logged.v) as { focus_id: string }).focus_id] : [];
      });
      const inPeriod = new Set(rowsEver(sqlite, 'unit_focus', { period: a.period }));
      return { table: 'unit_focus', rowIds: [...new Set(focusIds)].filter((id) => inPeriod.has(id)), column: 'text', kind: 'text' };
    }
    case 'assignments':
      return { table: 'assignment', rowIds: rowsEver(sqlite, 'assignment', { row_id: a.id }), column: 'unit_id', kind: 'unit' };
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
      return { table: at.table, rowIds: rowsEver(sqlite, at.table, { [parent.column]: a.id, [entry.perYear.yearColumn]: a.fiscalYear! }), column: at.column, kind };
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

/** Who changed a cell when, from what to what: newest first. */
export function cellHistory(sqlite: Sqlite, address: CellAddress, limit = 200): HistoryEntry[] {
  const source = sourceOf(sqlite, address);
  if (source.rowIds.length === 0) return [];
  const rows = sqlite
    .prepare(
      `select c.set_id, s.at, s.user, s.label, c.op, c.column_name, c.old_value, c.new_value
       from change c join change_set s on s.id = c.set_id
       where c.table_name = ? and c.row_id in (${source.rowIds.map(() => '?').join(',')})
         and (c.op != 'update' or c.column_name = ?)
       order by c.id desc limit ?`,
    )
    .all(source.table, ...source.rowIds, source.column, limit) as LogRow[];
  const unitNames = new Map<string, string>();
  if (source.kind === 'unit') for (const u of sqlite.prepare('select id, name from unit').all() as { id: string; name: string }[]) unitNames.set(u.id, u.name);
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
