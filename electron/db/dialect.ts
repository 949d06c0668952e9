import { type Expression, type RawBuilder, sql } from 'kysely';
import type { PlanDb } from './plan-db';

/**
 * Where the SQL of the two engines must differ: one function per difference, each switching on
 * `db.engine`, so that no query is written twice and no call site asks which engine it runs on.
 * Append only; prefer computing in TypeScript where it is as fast (see design15.md, rule 4).
 */

/**
 * The member `key` of a JSON object held as text (the change log's old and new values), as text on
 * both engines: SQLite's json_extract gives a number for a JSON number, PostgreSQL's ->> gives
 * text, so both are made text and compared with `String(value)`. A missing member is null. (The
 * key is cast: ->> also takes an integer, an array index.)
 */
export function jsonMemberText(db: PlanDb, json: Expression<string | null>, key: string): RawBuilder<string | null> {
  return db.engine === 'sqlite' ? sql<string | null>`cast(json_extract(${json}, ${`$.${key}`}) as text)` : sql<string | null>`((${json})::jsonb ->> ${key}::text)`;
}

/**
 * After rows were written with their own ids into a table whose id the database hands out
 * (change_set, change: plan-copy.ts), makes the next id handed out follow the highest one there.
 * SQLite's AUTOINCREMENT does that by itself (an explicit id moves sqlite_sequence); PostgreSQL's
 * identity sequence does not move, and would hand out an id already taken.
 */
export async function moveIdsPastRows(db: PlanDb, table: 'change_set' | 'change'): Promise<void> {
  if (db.engine === 'sqlite') return;
  // is_called false: the next nextval() returns exactly max(id) + 1 (1 for an empty table).
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max("id") from ${sql.table(table)}), 0) + 1, false)`.execute(db.q);
}
