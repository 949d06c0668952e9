import type { CompiledQuery } from 'kysely';
import * as m001 from './001-initial';

export interface Migration {
  version: number;
  name: string;
  up: () => CompiledQuery[];
}

/**
 * Forward-only, numbered. A database's PRAGMA user_version is the number of the last migration
 * applied; never edit a migration that has shipped, add the next one.
 */
export const migrations: Migration[] = [{ version: 1, name: 'initial', up: m001.up }];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
