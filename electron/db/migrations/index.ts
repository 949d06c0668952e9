import type { CompiledQuery } from 'kysely';
import * as m001 from './001-initial';
import * as m002 from './002-field-checks';

export interface Migration {
  version: number;
  name: string;
  up: () => CompiledQuery[];
  /** Rebuilds tables (SQLite's 12-step ALTER): run with foreign keys off and checked before commit. */
  rebuildsTables?: boolean;
}

/**
 * Forward-only, numbered. A database's PRAGMA user_version is the number of the last migration
 * applied; never edit a migration that has shipped, add the next one.
 */
export const migrations: Migration[] = [
  { version: 1, name: 'initial', up: m001.up },
  { version: 2, name: 'field checks', up: m002.up, rebuildsTables: m002.rebuildsTables },
];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
