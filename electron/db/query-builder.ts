import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { DB } from './schema';

/**
 * Kysely as a SQL *compiler* only, in SQLite's dialect: the first migration (migrations/001-initial.ts)
 * builds its CREATE TABLE statements with it and runs them on the raw connection of the file being
 * migrated. Queries on an open plan do not use it: they are Kysely on `db.q` (plan-db.ts), which
 * runs them on either engine.
 */
export const qb = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});
