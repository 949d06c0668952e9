import type { PlanDb } from '../../electron/db/plan-db';

/** Which cells the crash worker writes: a 10-row block, 30 single rows, 5 target values, 10 rows brought in by imports. */
export async function crashLayout(db: PlanDb) {
  const rows = (await db.q.selectFrom('action_row').select('id').orderBy('page').orderBy('position').execute()).map((r) => r.id);
  const targets = (await db.q.selectFrom('target').select('id').where('unit', '=', '社').orderBy('id').limit(5).execute()).map((r) => r.id);
  return { blockRows: rows.slice(0, 10), singleRows: rows.slice(10, 25), importRows: rows.slice(25, 35), targets };
}
