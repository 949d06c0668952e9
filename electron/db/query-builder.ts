import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { DB } from './schema';

/**
 * Kysely as a typed query *builder* only. better-sqlite3 is synchronous, and running the compiled
 * SQL synchronously keeps every multi-row change inside one real SQLite transaction
 * (`db.transaction(fn)`) with no await points in between.
 */
export const qb = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});
