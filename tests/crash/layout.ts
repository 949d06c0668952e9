import type { Sqlite } from '../../electron/db/open';

/** Which cells the crash worker writes: a 10-row block, 30 single rows, 5 target values, 10 rows brought in by imports. */
export function crashLayout(sqlite: Sqlite) {
  const rows = (sqlite.prepare('select id from action_row order by page, position').all() as { id: string }[]).map((r) => r.id);
  const targets = (sqlite.prepare("select id from target where unit = '社' order by id limit 5").all() as { id: string }[]).map((r) => r.id);
  return { blockRows: rows.slice(0, 10), singleRows: rows.slice(10, 25), importRows: rows.slice(25, 35), targets };
}
