import { type Kysely, sql } from 'kysely';
import { AppError } from '../../shared/errors/app-error';
import { planTableNames, planTables } from '../../shared/model/registry';
import { moveIdsPastRows } from './dialect';
import type { PlanDb } from './plan-db';

/**
 * Copies a whole plan from one database to another, on either engine (a file to PostgreSQL and
 * back, for `npm run plan -- copy`): every plan table of the registry and the change log, every
 * row with its own id, so that undo, per-cell history and a dump of the copy are those of the
 * original.
 *
 * The source is read inside one snapshot (a consistent plan while others keep writing), the target
 * written in one transaction (a copy that fails leaves the target as it was). A target that holds
 * any plan row or change set is refused unless `force`, which first empties it, children first.
 * Tables are read page by page in id order (the same binary order on both engines: texts are
 * collate "C" on PostgreSQL) and written a few hundred rows per statement, so a plan of 100 000
 * rows is a few hundred round trips, not 100 000. Both databases must be at the same schema
 * version, which every database the app opens is (its own).
 */

export interface CopyOptions {
  /** Empty a target that holds a plan, instead of refusing it. */
  force?: boolean;
}

export interface CopyResult {
  /** Rows copied, per table. */
  rows: Record<string, number>;
}

/** The change log's tables and columns (electron/db/schema.ts), after the plan tables they point into. */
const logColumns = {
  change_set: ['id', 'at', 'user', 'label', 'source', 'reverts_id'],
  change: ['id', 'set_id', 'table_name', 'row_id', 'op', 'column_name', 'old_value', 'new_value'],
} as const;

/** Every table copied, parents before children (planTableNames is in that order; change_set before change). */
export const copiedTables: readonly string[] = [...planTableNames, 'change_set', 'change'];

function columnsOf(table: string): readonly string[] {
  if (table === 'change_set' || table === 'change') return logColumns[table];
  return Object.keys(planTables[table as keyof typeof planTables].columns);
}

/** Rows read per query. */
const PAGE_ROWS = 2000;
/** Values per insert statement: well under SQLite's 32 766 parameters and PostgreSQL's 65 535. */
const VALUES_PER_INSERT = 4000;
const MAX_ROWS_PER_INSERT = 500;

/** The tables by name as strings: the names come from the registry at run time, not from the DB type. */
type AnyTables = Kysely<Record<string, Record<string, unknown>>>;

export async function copyPlan(from: PlanDb, to: PlanDb, options: CopyOptions = {}): Promise<CopyResult> {
  if (from === to || (from.engine === 'sqlite' && to.engine === 'sqlite' && from.path === to.path))
    throw new AppError('invalid_arguments', 'コピー元とコピー先が同じデータベースです。', `copy from ${from.name} to itself refused`);
  const result = await from.snapshot((source) =>
    to.transaction(async (target) => {
      const filled = await tablesWithRows(target);
      if (filled.length > 0) {
        if (!options.force)
          throw new AppError(
            'conflict',
            `コピー先の「${to.name}」には計画（または変更履歴）がすでに入っています。上書きするときは --force を指定してください。何も変更していません。`,
            `copy to ${to.name} refused: the target is not empty (${filled.join(', ')}); --force empties it first`,
          );
        for (const table of [...copiedTables].reverse()) await (target.q as unknown as AnyTables).deleteFrom(table).execute();
      }
      const rows: Record<string, number> = {};
      for (const table of copiedTables) rows[table] = await copyTable(source, target, table);
      await moveIdsPastRows(target, 'change_set');
      await moveIdsPastRows(target, 'change');
      return { rows };
    }),
  );
  // Rows loaded in one go have no planner statistics until autovacuum comes round (minutes later,
  // competing with the plan's first users for the server): gather them now.
  // The copy has committed: should ANALYZE fail, the copy is still whole (autovacuum gathers them later).
  if (to.engine === 'postgres') await sql`analyze ${sql.join(copiedTables.map((t) => sql.table(t)))}`.execute(to.q).catch(() => {});
  return result;
}

/** The copied tables that hold at least one row (one query). */
export async function tablesWithRows(db: PlanDb): Promise<string[]> {
  const probes = copiedTables.map((t) => sql`select ${sql.lit(t)} as t where exists (select 1 from ${sql.table(t)})`);
  const { rows } = await sql<{ t: string }>`${sql.join(probes, sql` union all `)}`.execute(db.q);
  return rows.map((r) => r.t);
}

async function copyTable(source: PlanDb, target: PlanDb, table: string): Promise<number> {
  const columns = columnsOf(table);
  const from = source.q as unknown as AnyTables;
  const to = target.q as unknown as AnyTables;
  const perInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(VALUES_PER_INSERT / columns.length)));
  let count = 0;
  let last: unknown = undefined;
  for (;;) {
    let query = from.selectFrom(table).select(columns as string[]).orderBy('id').limit(PAGE_ROWS);
    if (last !== undefined) query = query.where('id', '>', last);
    const page = await query.execute();
    for (let i = 0; i < page.length; i += perInsert) await to.insertInto(table).values(page.slice(i, i + perInsert)).execute();
    count += page.length;
    if (page.length < PAGE_ROWS) return count;
    last = page.at(-1)!.id;
  }
}
