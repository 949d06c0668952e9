import { AsyncLocalStorage } from 'node:async_hooks';
import type { CompiledQuery, Kysely } from 'kysely';
import type { Pool } from 'pg';
import type { DB } from './schema';
import type { Sqlite } from './sqlite';

/**
 * An open plan database on either engine, as every query, service and command sees it. Queries are
 * Kysely on `db.q`; one user action is `db.transaction(async (tx) => …)`, and every query of the
 * action goes through `tx` (its `q` is the transaction). Code below the transaction takes a PlanDb
 * and does not ask which it got: a function that writes calls `db.transaction` and, handed a
 * transaction, joins it. Where SQL must differ between the engines, the difference lives in
 * dialect.ts, never at a call site.
 *
 * SQLite (the embedded default): one better-sqlite3 connection, so a transaction holds it and every
 * other query waits its turn (sqlite-engine.ts). PostgreSQL: a pool; a transaction is SERIALIZABLE
 * and is run again when it lost a race to another writer (postgres-engine.ts; the README argues
 * why). In both, a query made outside the transaction while it runs is a programming error, refused
 * at once (`refuseStrayQuery`): on SQLite it would wait for ever for the connection the transaction
 * holds, on PostgreSQL it would read outside the transaction's snapshot.
 */

export type EngineName = 'sqlite' | 'postgres';

interface PlanDbBase {
  readonly engine: EngineName;
  /** Kysely over this database: the root, or inside `transaction` the transaction itself. */
  readonly q: Kysely<DB>;
  /** What to call it in a message: the file name, or database@host (never a password). */
  readonly name: string;
  /** True inside `transaction` / `snapshot`. */
  readonly inTransaction: boolean;
  /** Runs `fn` as one transaction; inside one already, `fn` joins it. */
  transaction<T>(fn: (tx: PlanDb) => Promise<T>): Promise<T>;
  /** Runs `fn` over one consistent, read-only view (PostgreSQL: REPEATABLE READ READ ONLY); joins a running transaction. */
  snapshot<T>(fn: (tx: PlanDb) => Promise<T>): Promise<T>;
  /** Closes the connection(s); calling it again does nothing. */
  close(): Promise<void>;
  readonly closed: boolean;
}

export interface SqlitePlanDb extends PlanDbBase {
  readonly engine: 'sqlite';
  /** The file's own connection, for what only a SQLite file has (pragmas, the online backup, integrity_check). */
  readonly sqlite: Sqlite;
  /** The file's path. */
  readonly path: string;
}

export interface PostgresPlanDb extends PlanDbBase {
  readonly engine: 'postgres';
  readonly pool: Pool;
}

export type PlanDb = SqlitePlanDb | PostgresPlanDb;

/** The transaction running in this async context, per database handle (see `refuseStrayQuery`). */
const running = new AsyncLocalStorage<{ owner: object; active: boolean }>();

/** Runs `fn` marked as the transaction of `owner` (the engine's driver) while it runs. */
export async function markTransaction<T>(owner: object, fn: () => Promise<T>): Promise<T> {
  const mark = { owner, active: true };
  try {
    return await running.run(mark, fn);
  } finally {
    // Work started inside and still running afterwards (a timer, a job) is no longer "inside".
    mark.active = false;
  }
}

/** Called when `owner` is asked for a connection: refuses it to code running inside `owner`'s transaction. */
export function refuseStrayQuery(owner: object): void {
  const mark = running.getStore();
  if (mark?.active && mark.owner === owner)
    throw new Error('a query on the database outside the transaction that is running (use the transaction handle, tx.q)');
}

/** Builds the handle a transaction's callback gets: the same database, `q` the transaction, nested calls joining it. */
export function transactionHandle<D extends PlanDb>(root: D, trx: Kysely<DB>): D {
  const tx: PlanDb = {
    ...root,
    q: trx,
    inTransaction: true,
    transaction: (fn) => fn(tx),
    snapshot: (fn) => fn(tx),
    close: () => Promise.reject(new Error('a transaction handle cannot close the database')),
    get closed() {
      return root.closed;
    },
  } as PlanDb;
  return tx as D;
}

/**
 * Writes a transaction holds back to send many rows in one statement (change-writer.ts holds the
 * inserts of an action). The engine sends them, in the order given, before any other query of the
 * transaction and before its COMMIT, so every query sees the plan as if each had gone at once.
 * Keyed by the transaction's Kysely (`tx.q`).
 */
const heldWrites = new WeakMap<object, () => CompiledQuery[]>();

/** Registers what `tx`'s held writes are: `take` hands them over (compiled) and forgets them. */
export function holdWrites(tx: PlanDb, take: () => CompiledQuery[]): void {
  heldWrites.set(tx.q, take);
}

/** The writes held back in the transaction whose Kysely is `q`, taken: the engine is to send them now. */
export function takeHeldWrites(q: object): CompiledQuery[] {
  return heldWrites.get(q)?.() ?? [];
}
