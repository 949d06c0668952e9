import pg from 'pg';
import { AppError } from '../../shared/errors/app-error';
import { type PostgresLocation, shortNameOf } from './db-location';
import type { OpenedDatabase } from './open';
import { poolConfig, postgresPlanDb } from './postgres-engine';
import { baselineStatements, PLAN_APPLICATION, pendingPostgresMigrations, POSTGRES_BASELINE_VERSION, postgresSchemaVersion } from './postgres-schema';

/**
 * Opens a plan on PostgreSQL: the counterpart of open.ts's `openPlanDatabase` for a file. Before
 * anything is written it connects once and reads what the database's schema (the first of the
 * search_path, `public` by default) holds:
 *
 * - nothing: a new plan (when `create` allows), the baseline created in one transaction;
 * - tables but no plan_format, or a plan_format of another application: not ours, refused untouched;
 * - our plan_format at a newer version than this app's: refused untouched;
 * - ours at an older version: the pending migrations, all in one transaction.
 *
 * Writing takes a transaction-scoped advisory lock and looks again, so two copies of the app opening
 * one new database at once create it once. Every refusal is an AppError with a short Japanese message
 * and the English detail in `message`; neither ever holds the password (the server's own messages
 * do not, and `scrub` removes it should one ever repeat it). Afterwards the plan is handed over as a
 * pool (postgres-engine.ts).
 */

export interface PostgresOpenOptions {
  /** Create the plan when the database is empty (default true, as for a file). */
  create?: boolean;
  /**
   * For reading only (the commands that read, the job workers): nothing is created or migrated (an
   * older schema is refused with a message to open it in the app), and the pool's every transaction
   * is read-only (default_transaction_read_only: the server itself refuses a write).
   */
  readOnly?: boolean;
}

/** What the database's current schema holds. */
type Found =
  | { state: 'empty' }
  | { state: 'foreign'; why: string; log: string }
  | { state: 'ours'; version: number };

/** Serialises the creation and upgrade of one database's schema (pg_advisory_xact_lock key). */
const SCHEMA_LOCK = `select pg_advisory_xact_lock(hashtext('plan-workbench: schema'))`;

export async function openPostgresPlan(location: PostgresLocation, options: PostgresOpenOptions = {}): Promise<OpenedDatabase> {
  const client = new pg.Client(poolConfig(location.config));
  try {
    await client.connect();
  } catch (e) {
    throw connectionError(e, location);
  }
  // A server going away between queries is reported by the query that fails.
  client.on('error', () => {});
  let migrated: number[] = [];
  try {
    const found = await identify(client, location);
    const needed = check(found, location, options);
    if (needed) {
      await client.query('begin');
      try {
        await client.query(SCHEMA_LOCK);
        // Another process may have created or upgraded it meanwhile.
        const now = await identify(client, location);
        if (check(now, location, options)) migrated = await writeSchema(client, now, location);
        await client.query('commit');
      } catch (e) {
        await client.query('rollback').catch(() => {});
        throw e;
      }
    }
  } catch (e) {
    throw e instanceof AppError ? e : queryError(e, location);
  } finally {
    await client.end().catch(() => {});
  }
  if (options.readOnly) {
    const db = postgresPlanDb({ ...location.config, options: '-c default_transaction_read_only=on' }, shortNameOf(location.config));
    return { db, path: location.display, schemaVersion: postgresSchemaVersion, migrated, readOnly: true };
  }
  return { db: postgresPlanDb(location.config, shortNameOf(location.config)), path: location.display, schemaVersion: postgresSchemaVersion, migrated };
}

async function identify(client: pg.Client, location: PostgresLocation): Promise<Found> {
  const { rows } = await client.query<{ schema: string | null; tables: number; has_format: boolean }>(
    `select current_schema() as schema,
       (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm', 'f')) as tables,
       exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = current_schema() and c.relname = 'plan_format' and c.relkind in ('r', 'p')) as has_format`,
  );
  const row = rows[0]!;
  if (row.schema === null)
    throw new AppError(
      'not_found',
      `${nameOf(location)}には使えるスキーマがありません（search_path を確かめてください）。何も変更していません。`,
      `${location.display}: current_schema() is null (no schema of the search_path exists)`,
    );
  if (row.tables === 0) return { state: 'empty' };
  if (!row.has_format) return { state: 'foreign', why: '計画ワークベンチの印（plan_format）がない', log: `schema ${row.schema} holds ${row.tables} tables and no plan_format` };
  let format: { application: unknown; version: unknown }[];
  try {
    format = (await client.query<{ application: unknown; version: unknown }>('select "application", "version" from "plan_format"')).rows;
  } catch (e) {
    if (sqlState(e) === '42703') return { state: 'foreign', why: '別のアプリケーションの plan_format がある', log: `plan_format has other columns (${errorText(e, location)})` };
    throw e;
  }
  const first = format[0];
  if (format.length !== 1 || first === undefined || first.application !== PLAN_APPLICATION)
    return { state: 'foreign', why: '別のアプリケーションのもの', log: `plan_format holds ${format.length} rows, application ${JSON.stringify(String(first?.application ?? '')).slice(0, 80)}` };
  if (typeof first.version !== 'number' || !Number.isInteger(first.version) || first.version < POSTGRES_BASELINE_VERSION)
    return { state: 'foreign', why: `形式の番号が不正（${String(first.version).slice(0, 20)}）な`, log: `plan_format.version ${String(first.version).slice(0, 20)} is not a schema this app ever wrote` };
  return { state: 'ours', version: first.version };
}

/** Refuses what must not be opened; true when the schema must be created or upgraded. */
function check(found: Found, location: PostgresLocation, options: PostgresOpenOptions): boolean {
  const name = nameOf(location);
  switch (found.state) {
    case 'foreign':
      throw new AppError(
        'database_foreign',
        `${name}は計画ワークベンチのデータベースではありません（${found.why}）。別のデータベースを指定してください。何も変更していません。`,
        `${location.display} is not a plan database: ${found.log}; refused, database untouched`,
      );
    case 'empty':
      if (options.create === false || options.readOnly)
        throw new AppError(
          'database_foreign',
          `${name}は空です（計画が入っていません）。正しいデータベースを指定するか、init で計画を作ってください。何も変更していません。`,
          `${location.display} holds no tables; refused (not creating), database untouched`,
        );
      return true;
    case 'ours':
      if (found.version > postgresSchemaVersion)
        throw new AppError(
          'database_newer',
          `${name}は新しいバージョンの計画ワークベンチで作成されています（形式 ${found.version}、このアプリは ${postgresSchemaVersion} まで）。アプリを更新してから開いてください。データベースは変更していません。`,
          `${location.display} has schema version ${found.version}, newer than this app's ${postgresSchemaVersion}; refused, database untouched`,
        );
      if (found.version < postgresSchemaVersion && options.readOnly)
        throw new AppError(
          'invalid_value',
          `${name}は古い形式です（形式 ${found.version}）。アプリで開くと新しい形式に更新されます。データベースは変更していません。`,
          `${location.display} has schema version ${found.version}; a read-only opening reads ${postgresSchemaVersion} only and never migrates`,
        );
      return found.version < postgresSchemaVersion;
  }
}

/** Inside the locked transaction: the baseline and/or the pending migrations. The versions it brought. */
async function writeSchema(client: pg.Client, found: Found, location: PostgresLocation): Promise<number[]> {
  let version = found.state === 'ours' ? found.version : 0;
  const applied: number[] = [];
  if (found.state === 'empty') {
    await requireUtf8(client, location);
    // One round trip: the simple query protocol runs the statements in order, inside the transaction.
    await client.query(baselineStatements().join(';\n'));
    version = POSTGRES_BASELINE_VERSION;
    applied.push(version);
  }
  for (const m of pendingPostgresMigrations(version)) {
    await client.query(m.up().join(';\n'));
    applied.push(m.version);
  }
  await client.query('update "plan_format" set "version" = $1', [postgresSchemaVersion]);
  return applied;
}

/** The checks' patterns of control characters above 127 are characters only in UTF8 (field-checks-sql.ts). */
async function requireUtf8(client: pg.Client, location: PostgresLocation): Promise<void> {
  const { rows } = await client.query<{ encoding: string }>('select pg_encoding_to_char(encoding) as encoding from pg_database where datname = current_database()');
  const encoding = rows[0]?.encoding ?? '?';
  if (encoding !== 'UTF8')
    throw new AppError(
      'database_foreign',
      `${nameOf(location)}の文字コードが UTF8 ではありません（${encoding}）。createdb -E UTF8 で作ったデータベースを指定してください。何も変更していません。`,
      `${location.display} has encoding ${encoding}; a plan database must be UTF8; refused, database untouched`,
    );
}

const nameOf = (location: PostgresLocation) => `PostgreSQL のデータベース「${location.config.database ?? ''}」（${location.config.host ?? 'localhost'}）`;

function sqlState(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** An error's text for the log, the password removed should the text ever repeat it. */
function errorText(e: unknown, location: PostgresLocation): string {
  const text = e instanceof AggregateError ? e.errors.map((x) => (x instanceof Error ? x.message : String(x))).join('; ') : e instanceof Error ? e.message : String(e);
  return scrub(text, location);
}

/** Removes the password (when it is long enough to be told from ordinary text). */
export function scrub(text: string, location: PostgresLocation): string {
  const password = typeof location.config.password === 'string' ? location.config.password : '';
  return password.length >= 4 ? text.split(password).join('***') : text;
}

/** Why connecting failed, for the user (Japanese) and the log (English): never the password. */
export function connectionError(e: unknown, location: PostgresLocation): AppError {
  const { host = 'localhost', port = 5432, user = '', database = '' } = location.config;
  const where = `${host}:${port}`;
  const log = (what: string) => `${location.display}: ${what}: ${errorText(e, location)}`;
  const message = e instanceof Error ? e.message : String(e);
  switch (sqlState(e)) {
    case 'ECONNREFUSED':
    case 'ENOENT': // a unix socket that is not there
      return new AppError('not_found', `PostgreSQL サーバー（${where}）に接続できません。サーバーが起動しているか、ホスト名とポート番号を確かめてください。何も変更していません。`, log('connection refused'));
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AppError('not_found', `ホスト「${host}」が見つかりません。ホスト名を確かめてください。何も変更していません。`, log('host unknown'));
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new AppError('not_found', `PostgreSQL サーバー（${where}）に届きません。ネットワークとホスト名を確かめてください。何も変更していません。`, log('host unreachable'));
    case '28P01':
      return new AppError('forbidden', `PostgreSQL にログインできません。ユーザー「${user}」のパスワードが違います。何も変更していません。`, log('wrong password'));
    case '28000':
      return new AppError('forbidden', `PostgreSQL がユーザー「${user}」の接続を認めていません（ユーザー名とサーバーの接続設定を確かめてください）。何も変更していません。`, log('connection not authorised'));
    case '3D000':
      return new AppError('not_found', `データベース「${database}」が PostgreSQL サーバー（${where}）にありません。先に作成してください（createdb）。何も変更していません。`, log('database does not exist'));
    case '42501':
      return new AppError('forbidden', `ユーザー「${user}」にはデータベース「${database}」に接続する権限がありません。何も変更していません。`, log('permission denied'));
    case '57P03':
    case '53300':
      return new AppError('database_busy', `PostgreSQL サーバー（${where}）が今は接続を受け付けていません（起動中か、接続数の上限です）。しばらくしてからやり直してください。`, log('server not accepting connections'));
  }
  if (/timeout/i.test(message))
    return new AppError('not_found', `PostgreSQL サーバー（${where}）から応答がありません。サーバーとネットワークを確かめてください。何も変更していません。`, log('connection timed out'));
  return new AppError('not_found', `PostgreSQL サーバー（${where}）に接続できません。何も変更していません。`, log('cannot connect'));
}

/** A failure while reading the schema or creating it: permissions get a message, the rest keeps its detail in the log. */
function queryError(e: unknown, location: PostgresLocation): AppError {
  const { user = '', database = '' } = location.config;
  if (sqlState(e) === '42501')
    return new AppError(
      'forbidden',
      `ユーザー「${user}」にはデータベース「${database}」の計画を読み書きする権限（表を作る権限を含む）がありません。何も変更していません。`,
      `${location.display}: permission denied while opening: ${errorText(e, location)}`,
    );
  // A dropped connection, a server shutting down: the connection's own message.
  if (sqlState(e)?.startsWith('E') || sqlState(e)?.startsWith('08') || sqlState(e)?.startsWith('57')) return connectionError(e, location);
  return new AppError('internal', `${nameOf(location)}を開けませんでした。何も変更していません。`, `${location.display}: opening failed: ${errorText(e, location)}`);
}
