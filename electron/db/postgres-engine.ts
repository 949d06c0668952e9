import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseConnection, Kysely, PostgresDialect, PostgresDriver, type PostgresDialectConfig, sql } from 'kysely';
import pg from 'pg';
import { AppError } from '../../shared/errors/app-error';
import { NumericBooleans } from './numeric-booleans';
import { markTransaction, type PostgresPlanDb, refuseStrayQuery, transactionHandle } from './plan-db';
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
const WRITER_LOCK = sql`select pg_advisory_lock(hashtext('plan-workbench: writer'))`;
const WRITER_UNLOCK = sql`select pg_advisory_unlock(hashtext('plan-workbench: writer'))`;

/** SQLSTATEs of a transaction that lost a race: serialization_failure, deadlock_detected. */
const LOST_RACE = new Set(['40001', '40P01']);
const ATTEMPTS = 5;

export function lostRace(e: unknown): boolean {
  return typeof e === 'object' && e !== null && LOST_RACE.has(String((e as { code?: unknown }).code));
}

class GuardedPostgresDriver extends PostgresDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    refuseStrayQuery(this);
    return super.acquireConnection();
  }
}

/** pg's pool settings for a plan database: its numbers as numbers, named in pg_stat_activity. */
export function poolConfig(config: pg.PoolConfig): pg.PoolConfig {
  return { application_name: 'plan-workbench', max: 4, ...config, types };
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
  const kysely = new Kysely<DB>({
    dialect: new (class extends PostgresDialect {
      override createDriver() {
        return (driver = new GuardedPostgresDriver(dialectConfig));
      }
    })(dialectConfig),
    plugins: [new NumericBooleans()],
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
          return await kysely.connection().execute(async (connection) => {
            await WRITER_LOCK.execute(connection);
            try {
              return await connection
                .transaction()
                .setIsolationLevel('serializable')
                .execute((trx) => markTransaction(driver, () => fn(transactionHandle(db, trx))));
            } finally {
              await WRITER_UNLOCK.execute(connection).catch(() => {});
            }
          });
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
    snapshot: (fn) =>
      kysely
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((trx) => markTransaction(driver, () => fn(transactionHandle(db, trx)))),
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
