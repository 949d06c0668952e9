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
import { markTransaction, refuseStrayQuery, type SqlitePlanDb, takeHeldWrites, transactionHandle } from './plan-db';
import type { DB } from './schema';
import { numericBooleans } from './numeric-booleans';
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


class SqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, Database.Statement>();
  /** The Kysely of the transaction holding the connection: its held writes go before each of its queries (plan-db.ts). */
  holder: object | null = null;
  /**
   * The error of a held write that failed (it fails the query it went before): kept until the
   * transaction ends, so that an action catching that query's error cannot commit without the
   * held rows (the transaction is rolled back with this error instead; PostgreSQL's settled() does the same).
   */
  heldFailure: unknown = null;
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
    // A held write that fails fails this query, as it would have failed the write's own.
    if (this.holder)
      for (const held of takeHeldWrites(this.holder))
        try {
          this.execute(held);
        } catch (e) {
          this.heldFailure ??= e;
          throw e;
        }
    return Promise.resolve(this.execute<R>(compiled));
  }

  private execute<R>(compiled: CompiledQuery): QueryResult<R> {
    const stmt = this.prepare(compiled.sql);
    const parameters = numericBooleans(compiled.parameters);
    if (stmt.reader) return { rows: stmt.all(...parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(...parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  // eslint-disable-next-line require-yield -- Kysely's interface; nothing here streams.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with the SQLite engine');
  }
}

class SqliteDriver implements Driver {
  readonly connection: SqliteConnection;
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
    transaction: (fn) =>
      kysely.transaction().execute(async (trx) => {
        driver.connection.holder = trx;
        driver.connection.heldFailure = null;
        try {
          const result = await markTransaction(driver, () => fn(transactionHandle(db, trx)));
          // Writes still held go before COMMIT (the connection sends them ahead of any query).
          for (const held of takeHeldWrites(trx)) await trx.executeQuery(held);
          if (driver.connection.heldFailure !== null) throw driver.connection.heldFailure;
          return result;
        } finally {
          driver.connection.holder = null;
          driver.connection.heldFailure = null;
        }
      }),
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
