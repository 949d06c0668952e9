import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type QueryResult,
  type TransactionSettings,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { markTransaction, refuseStrayQuery, type SqlitePlanDb, transactionHandle } from './plan-db';
import type { DB } from './schema';
import type { Sqlite } from './sqlite';

/**
 * The embedded engine: one better-sqlite3 connection under Kysely. better-sqlite3 is synchronous;
 * Kysely's own SQLite driver hands the one connection to every caller at once, so two actions
 * could interleave inside one transaction. This driver lends the connection to one holder at a time
 * (a transaction holds it from BEGIN to COMMIT, a single query for itself), in the order asked, and
 * keeps each statement prepared once per text (preparing one per row was a third of a large
 * import's time).
 */

/** Distinct statement texts kept prepared (a query with a list of n values is a text per n). */
const STATEMENT_CACHE = 500;

/**
 * A yes/no is stored as 0 or 1 (numeric-booleans.ts says why) and better-sqlite3 refuses booleans:
 * turned into numbers here, where the values are, rather than by the plugin PostgreSQL uses, which
 * walks and copies every query's tree before it is compiled (a few per cent of a small read). A
 * boolean written into the text itself (sql.lit) is SQLite's TRUE or FALSE, which are 1 and 0.
 */
function numericBooleans(parameters: readonly unknown[]): unknown[] {
  for (const p of parameters) if (typeof p === 'boolean') return parameters.map((v) => (typeof v === 'boolean' ? Number(v) : v));
  return parameters as unknown[];
}

class SqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, Database.Statement>();
  constructor(private readonly sqlite: Sqlite) {}

  private prepare(text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (stmt) {
      // Most recently used last: the oldest is the first the map iterates.
      this.statements.delete(text);
      this.statements.set(text, stmt);
      return stmt;
    }
    stmt = this.sqlite.prepare(text);
    this.statements.set(text, stmt);
    if (this.statements.size > STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value as string);
    return stmt;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.prepare(compiled.sql);
    const parameters = numericBooleans(compiled.parameters);
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(...parameters) as R[] });
    const { changes, lastInsertRowid } = stmt.run(...parameters);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  }

  // eslint-disable-next-line require-yield -- Kysely's interface; nothing here streams.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with the SQLite engine');
  }
}

class SqliteDriver implements Driver {
  private readonly connection: SqliteConnection;
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;

  constructor(private readonly sqlite: Sqlite) {
    this.connection = new SqliteConnection(sqlite);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    refuseStrayQuery(this);
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.release = release;
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = null;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // IMMEDIATE: a writing transaction takes the write lock at BEGIN, so it never fails halfway for
    // want of it; a read-only one (a snapshot) takes none, so it also runs on a read-only file.
    await connection.executeQuery(CompiledQuery.raw(settings.accessMode === 'read only' ? 'begin' : 'begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // A failed statement may already have ended the transaction (SQLITE_FULL, a busy timeout).
    if (this.sqlite.inTransaction) await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    // The holder of the moment (a transaction between two statements) finishes first.
    await this.queue;
    if (this.sqlite.open) this.sqlite.close();
  }
}

/**
 * Made once for every SQLite Kysely, not per file opened: a query compiler is a table of about a
 * hundred closures, built again for every file the app, a command or a check opens (about 0.1 ms
 * of opening a plan and reading its first screen). Sharing it is safe: a compile runs
 * synchronously from start to end and keeps nothing between queries.
 */
const shared = { adapter: new SqliteAdapter(), compiler: new SqliteQueryCompiler() };

/** A Kysely of its own over `sqlite` (a plan file, or any SQLite file read with Kysely). */
export function sqliteKysely(sqlite: Sqlite): { kysely: Kysely<DB>; driver: SqliteDriver } {
  const driver = new SqliteDriver(sqlite);
  const kysely = new Kysely<DB>({
    dialect: {
      createAdapter: () => shared.adapter,
      createDriver: () => driver,
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => shared.compiler,
    },
  });
  return { kysely, driver };
}

/**
 * The plan file open on `sqlite` as a PlanDb. The handle owns the connection: closing it closes the
 * file. `readOnly` files (open-read-only.ts) refuse writes in SQLite itself (query_only).
 */
export function sqlitePlanDb(sqlite: Sqlite): SqlitePlanDb {
  const { kysely, driver } = sqliteKysely(sqlite);
  const db: SqlitePlanDb = {
    engine: 'sqlite',
    q: kysely,
    sqlite,
    path: sqlite.name,
    name: basename(sqlite.name),
    inTransaction: false,
    transaction: (fn) => kysely.transaction().execute((trx) => markTransaction(driver, () => fn(transactionHandle(db, trx)))),
    // One connection and SQLite's own isolation: a transaction is already a consistent view.
    snapshot: (fn) => kysely.transaction().setAccessMode('read only').execute((trx) => markTransaction(driver, () => fn(transactionHandle(db, trx)))),
    close: async () => {
      // Kysely's destroy() skips a driver no query ever started, so the driver is closed here itself.
      if (sqlite.open) await driver.destroy();
      await kysely.destroy();
    },
    get closed() {
      return !sqlite.open;
    },
  };
  return db;
}
