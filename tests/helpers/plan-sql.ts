import { type RawBuilder, sql } from 'kysely';
import type { PlanDb } from '../../electron/db/plan-db';
import type { Sqlite } from '../../electron/db/sqlite';

/**
 * What tests read straight from a plan database, on either engine: a raw query written with
 * Kysely's `sql` template (values as `${…}` parameters, so the text runs on SQLite and PostgreSQL
 * alike), as all its rows, its first row, or a table's row count.
 */

export async function rowsOf<T>(db: PlanDb, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db.q)).rows;
}

export async function firstOf<T>(db: PlanDb, query: RawBuilder<T>): Promise<T | undefined> {
  return (await query.execute(db.q)).rows[0];
}

/** The rows in `table` (a count comes back as a string from PostgreSQL's bigint: made a number). */
export async function countRows(db: PlanDb, table: string): Promise<number> {
  const row = await firstOf(db, sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`);
  return Number(row?.n ?? 0);
}

/** The SQLite file's own connection under `db`, for what only a SQLite file has (pragmas, its online backup); a PostgreSQL plan has none. */
export function sqliteFileOf(db: PlanDb): Sqlite {
  if (db.engine !== 'sqlite') throw new Error(`${db.name}: this needs the plan as a SQLite file`);
  return db.sqlite;
}
