import type Database from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import * as m001 from './001-initial';
import * as m002 from './002-field-checks';

export interface Migration {
  version: number;
  name: string;
  up: () => CompiledQuery[];
  /** Rebuilds tables (SQLite's 12-step ALTER): run with foreign keys off and checked before commit. */
  rebuildsTables?: boolean;
  /** SQL functions its statements call (JavaScript, so a rule of shared/model is not written twice). */
  functions?: Record<string, (value: unknown) => unknown>;
}

/**
 * Forward-only, numbered. A database's PRAGMA user_version is the number of the last migration
 * applied; never edit a migration that has shipped, add the next one.
 */
export const migrations: Migration[] = [
  { version: 1, name: 'initial', up: m001.up },
  { version: 2, name: 'field checks', up: m002.up, rebuildsTables: m002.rebuildsTables, functions: m002.functions },
];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;

/** Runs one migration's statements on `db` with the SQL functions they call: the one way a migration runs. */
export function runMigration(db: Database.Database, m: Migration): void {
  for (const [name, fn] of Object.entries(m.functions ?? {})) db.function(name, { deterministic: true }, fn);
  for (const q of m.up()) db.prepare(q.sql).run(...q.parameters);
}
