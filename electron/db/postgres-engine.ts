import { setTimeout as sleep } from 'node:timers/promises';
import { CompiledQuery, type DatabaseConnection, Kysely, PostgresDialect, PostgresDriver, type PostgresDialectConfig, type QueryResult } from 'kysely';
import pg from 'pg';
import { numericBooleans } from './numeric-booleans';
import { AppError } from '../../shared/errors/app-error';
import { markTransaction, type PostgresPlanDb, refuseStrayQuery, takeHeldWrites, transactionHandle } from './plan-db';
import type { DB } from './schema';

/**
 * A plan on PostgreSQL: a pg pool under Kysely.
 *
 * Isolation: every user action is one SERIALIZABLE transaction. A plan's rules read before they write
 * (a move renumbers its siblings, a delete follows the rows that hang on it, an import compares with
 * what is there): under READ COMMITTED two people moving rows of one table at once could both
 * succeed and leave the order broken; under SERIALIZABLE one of them is told to try again. It is
 * tried again here, up to five times with a short random pause: an action reads and writes the
 * database only (the callback must have no effect outside it), so running it again on the newer
 * plan does what the user asked on what is there now. Should it still lose, the user gets a message
 * to repeat it and nothing of it is saved. Snapshots (dump, copy, backup) are REPEATABLE READ READ
 * ONLY: one consistent plan without blocking the writers.
 */

/** bigint and numeric as JavaScript numbers: positions reach ±10^12 (bigint) and count(*) is bigint; every value is below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/**
 * Writers take turns (a session advisory lock per database), as a file's writers do: a change set's
 * id is then given in the order change sets commit, so "the plan at revision n" (the newest change
 * set id a hand-out or an import analysis saw) holds every change with a smaller id. Without it two
 * writers could take ids 10 and 11 and commit 11 first: a hand-out made between the two commits would
 * claim revision 11 without change 10, and its return would undo change 10 unseen. An action takes
 * milliseconds, so turns cost little; readers (snapshots) never wait. Should a process die holding
 * it, the server ends the session and the lock with it.
 */
const TURN = `hashtext('plan-workbench: writer')`;
// Each is one round trip: without parameters pg sends one simple query, which runs its statements in
// order and stops at the first that fails. The lock is taken in an implicit transaction of its own
// (committed before the plan's begins), so the plan's snapshot is taken only once the turn is ours.
// The turn is let go with pg_advisory_unlock_all: the only session lock the app takes, released
// however many times it was taken, whatever failed in between.
const TAKE_TURN_AND_BEGIN = `select pg_advisory_lock(${TURN}); commit; start transaction isolation level serializable`;
const COMMIT_AND_END_TURN = 'commit; select pg_advisory_unlock_all()';
const ROLLBACK_AND_END_TURN = 'rollback; select pg_advisory_unlock_all()';
const END_TURN = 'select pg_advisory_unlock_all()';
const BEGIN_SNAPSHOT = 'start transaction isolation level repeatable read, read only';
const COMMIT = 'commit';
const ROLLBACK = 'rollback';
/** How long a writer waits for its turn (or a row lock) before being told the plan is busy: an action takes milliseconds. */
const LOCK_TIMEOUT_MS = 30_000;

/** What an action may do with its connection besides querying: wait for its queries, and end it (COMMIT or ROLLBACK, then whatever must still be let go of), after which no query of it runs. */
interface ActionConnection {
  settled(): Promise<void>;
  /** The error `e` stands for: a query failing as "transaction aborted" (25P02) stands for the first query of the action that failed (a write sent without waiting, change-writer.ts). */
  cause(e: unknown): unknown;
  end(text: string): Promise<void>;
}

/** SQLSTATEs of a transaction that lost a race: serialization_failure, deadlock_detected. */
const LOST_RACE = new Set(['40001', '40P01']);
const ATTEMPTS = 5;

export function lostRace(e: unknown): boolean {
  return typeof e === 'object' && e !== null && LOST_RACE.has(String((e as { code?: unknown }).code));
}

/** A yes/no is stored as 0 or 1: booleans among the parameters become numbers (numeric-booleans.ts). */
class NumericBooleanConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  private static numbers(compiled: CompiledQuery): CompiledQuery {
    const parameters = numericBooleans(compiled.parameters);
    return parameters === compiled.parameters ? compiled : { ...compiled, parameters };
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.inner.executeQuery(NumericBooleanConnection.numbers(compiled));
  }

  streamQuery<R>(compiled: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery(NumericBooleanConnection.numbers(compiled), chunkSize);
  }
}

class GuardedPostgresDriver extends PostgresDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    refuseStrayQuery(this);
    return new NumericBooleanConnection(await super.acquireConnection());
  }

  // Kysely's parameter type is its private connection class, which is what `inner` holds.
  override releaseConnection(connection: Parameters<PostgresDriver['releaseConnection']>[0]): Promise<void> {
    const given: DatabaseConnection = connection;
    return super.releaseConnection((given instanceof NumericBooleanConnection ? given.inner : given) as typeof connection);
  }
}

/** pg's pool settings for a plan database: its numbers as numbers, named in pg_stat_activity. */
export function poolConfig(config: pg.PoolConfig): pg.PoolConfig {
  // pipeline: queries asked together (Promise.all inside one action) are sent without waiting for
  // each answer, so a follow-up's reads cost about one round trip, not one each.
  return { application_name: 'plan-workbench', max: 4, lock_timeout: LOCK_TIMEOUT_MS, ...config, types, pipeline: true };
}

/** The plan database `config` points at as a PlanDb. `name` says which (database@host) in messages. */
export function postgresPlanDb(config: pg.PoolConfig, name: string): PostgresPlanDb {
  const pool = new pg.Pool(poolConfig(config));
  // An idle client's error (the server restarting) would otherwise end the process; the next query reports it.
  pool.on('error', () => {});
  // A checked-out client whose connection drops emits 'error' too, which unheard ends the process;
  // the query running on it fails with the error, and the pool discards the client when released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const dialectConfig: PostgresDialectConfig = { pool };
  let driver!: GuardedPostgresDriver;
  const dialect = new (class extends PostgresDialect {
    override createDriver() {
      return (driver = new GuardedPostgresDriver(dialectConfig));
    }
  })(dialectConfig);
  const kyselyConfig = { dialect };
  const kysely = new Kysely<DB>(kyselyConfig);
  /**
   * A Kysely over one checked-out connection that lets queries asked together go out together.
   * Kysely's own (`connection()`, `transaction()`) hands the connection to one query at a time, so
   * a Promise.all inside an action would still cost a round trip per query; pg queues them in order
   * on the one connection and, in pipeline mode, sends them without waiting.
   */
  const onConnection = <T>(fn: (q: Kysely<DB>, action: ActionConnection) => Promise<T>): Promise<T> =>
    kysely.getExecutor().provideConnection((connection) => {
      const running = new Set<Promise<unknown>>();
      let failure: { error: unknown } | null = null;
      let ended = false;
      const watch = <R>(p: Promise<R>): Promise<R> => {
        running.add(p);
        void p.then(
          () => running.delete(p),
          (error: unknown) => {
            running.delete(p);
            failure ??= { error };
          },
        );
        return p;
      };
      const provider = {
        provideConnection<R>(consume: (c: DatabaseConnection) => Promise<R>): Promise<R> {
          // After COMMIT or ROLLBACK a query would run outside the action, or inside someone else's on this pooled connection.
          if (ended) return Promise.reject(new Error('a query of a finished transaction was refused'));
          // Writes held back (plan-db.ts) go out first, in the same pipeline; should one fail, this
          // query reports its error (not "transaction aborted"), as the write itself would have.
          const held = takeHeldWrites(q).map((c) => watch(connection.executeQuery(c)));
          const p = watch(consume(connection));
          return held.length === 0 ? p : Promise.all([...held, p]).then(() => p);
        },
      };
      const q = new Kysely<DB>({ config: kyselyConfig, dialect, driver, executor: kysely.getExecutor().withConnectionProvider(provider) });
      return fn(q, {
        // Every query the action started has answered, and none failed unseen: PostgreSQL has aborted a
        // transaction whose query failed, and a COMMIT of it would answer ROLLBACK without an error.
        async settled() {
          while (running.size > 0) await Promise.allSettled([...running]);
          if (failure) throw failure.error;
        },
        cause(e) {
          return failure && (e as { code?: unknown } | null)?.code === '25P02' ? failure.error : e;
        },
        async end(text) {
          ended = true;
          while (running.size > 0) await Promise.allSettled([...running]);
          await connection.executeQuery(CompiledQuery.raw(text));
        },
      });
    });
  /**
   * `fn` in one transaction on one connection: `begin`, then `commit` or, should `fn` (or any query
   * it started) fail, `rollback`. `afterFailedCommit`: what a COMMIT that fails (a lost race found at
   * commit; the transaction is over) must still let go of.
   */
  const run = <T>(fn: (tx: PostgresPlanDb) => Promise<T>, steps: { begin: string; commit: string; rollback: string; afterFailedCommit?: string }): Promise<T> =>
    onConnection(async (connection, action) => {
      let result: T;
      try {
        await connection.executeQuery(CompiledQuery.raw(steps.begin));
        result = await markTransaction(driver, () => fn(transactionHandle(db, connection)));
        // Writes still held go before COMMIT.
        for (const held of takeHeldWrites(connection)) await connection.executeQuery(held);
        await action.settled();
      } catch (e) {
        // Also when BEGIN failed after the turn was taken: the rollback lets go of it.
        await action.end(steps.rollback).catch(() => {});
        throw action.cause(e);
      }
      try {
        await action.end(steps.commit);
      } catch (e) {
        if (steps.afterFailedCommit) await action.end(steps.afterFailedCommit).catch(() => {});
        throw e;
      }
      return result;
    });
  let closed = false;
  const db: PostgresPlanDb = {
    engine: 'postgres',
    q: kysely,
    pool,
    name,
    inTransaction: false,
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          // One writer at a time: the lock is taken on the connection BEFORE the transaction begins
          // (so its snapshot is taken after the previous writer committed) and let go after it ends.
          return await run(fn, { begin: TAKE_TURN_AND_BEGIN, commit: COMMIT_AND_END_TURN, rollback: ROLLBACK_AND_END_TURN, afterFailedCommit: END_TURN });
        } catch (e) {
          if (!lostRace(e)) throw e;
          if (attempt >= ATTEMPTS)
            throw new AppError(
              'conflict',
              '他の人の変更と同時になったため、保存できませんでした。もう一度操作してください（変更は保存されていません）。',
              `transaction lost a race ${ATTEMPTS} times in a row (${String((e as { code?: unknown }).code)}): ${e instanceof Error ? e.message : String(e)}`,
            );
          await sleep(5 + Math.random() * 20 * attempt);
        }
      }
    },
    snapshot: (fn) => run(fn, { begin: BEGIN_SNAPSHOT, commit: COMMIT, rollback: ROLLBACK }),
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
    get closed() {
      return closed;
    },
  };
  return db;
}
