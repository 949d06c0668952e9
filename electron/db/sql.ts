import type Database from 'better-sqlite3';
import type { Compilable, InferResult } from 'kysely';

type Sqlite = Database.Database;
const statementCache = new WeakMap<Sqlite, Map<string, Database.Statement>>();

/** A statement prepared once per database and text (preparing one per row was a third of a large import's time). */
export function prepare(db: Sqlite, sqlText: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let stmt = cache.get(sqlText);
  if (!stmt) cache.set(sqlText, (stmt = db.prepare(sqlText)));
  return stmt;
}

function params(query: Compilable): { sql: string; parameters: unknown[] } {
  const compiled = query.compile();
  return { sql: compiled.sql, parameters: compiled.parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p)) };
}

/** Runs a Kysely select synchronously and returns its typed rows. */
export function all<Q extends Compilable>(db: Sqlite, query: Q): InferResult<Q> {
  const { sql, parameters } = params(query);
  return prepare(db, sql).all(...parameters) as InferResult<Q>;
}

export function first<Q extends Compilable>(db: Sqlite, query: Q): InferResult<Q>[number] | undefined {
  const { sql, parameters } = params(query);
  return prepare(db, sql).get(...parameters) as InferResult<Q>[number] | undefined;
}

/** Runs an insert, update or delete synchronously; returns the number of rows changed. */
export function run(db: Sqlite, query: Compilable): number {
  const { sql, parameters } = params(query);
  return prepare(db, sql).run(...parameters).changes;
}
