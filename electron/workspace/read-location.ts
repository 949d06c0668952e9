import { AppError } from '../../shared/errors/app-error';
import { type Env, parseDbLocation, type PostgresLocation, shortNameOf } from '../db/db-location';
import type { OpenedDatabase } from '../db/open';
import { openPlanDatabaseReadOnly } from '../db/open-read-only';
import type { PostgresPlanDb } from '../db/plan-db';
import { postgresPlanDb } from '../db/postgres-engine';
import { connectionError, scrub } from '../db/postgres-open';
import { PLAN_APPLICATION, postgresSchemaVersion } from '../db/postgres-schema';

/**
 * Opening a plan for reading only, wherever it is: a file as open-read-only.ts opens it (not a byte
 * changed), a plan on PostgreSQL on a pool of its own whose every transaction is read-only
 * (default_transaction_read_only: the server itself refuses a write), never creating or migrating
 * anything. The job workers read the plan the services have open this way (electron/api/job-worker.ts);
 * the services opened it before (and brought its schema up to date), so here a schema other than this
 * app's is refused, not upgraded.
 */
export async function openLocationReadOnly(location: string, env: Env = process.env): Promise<OpenedDatabase> {
  const where = parseDbLocation(location, env);
  if (where.kind === 'file') return openPlanDatabaseReadOnly(where.path);
  const db = postgresPlanDb({ ...where.config, options: '-c default_transaction_read_only=on' }, shortNameOf(where.config));
  try {
    await checkSchema(db, where);
  } catch (e) {
    await db.close();
    throw e;
  }
  return { db, path: where.display, schemaVersion: postgresSchemaVersion, migrated: [], readOnly: true };
}

const sqlState = (e: unknown) => (typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '');

/** This app's plan at this app's schema version, or a refusal (the server's own messages never hold the password; scrubbed anyway). */
async function checkSchema(db: PostgresPlanDb, location: PostgresLocation): Promise<void> {
  const name = `PostgreSQL のデータベース「${location.config.database ?? ''}」（${location.config.host ?? 'localhost'}）`;
  const foreign = (log: string) => new AppError('database_foreign', `${name}は計画ワークベンチのデータベースではありません。何も変更していません。`, `${location.display}: ${log}; refused`);
  let rows: { application: unknown; version: unknown }[];
  try {
    rows = (await db.pool.query<{ application: unknown; version: unknown }>('select "application", "version" from "plan_format"')).rows;
  } catch (e) {
    const state = sqlState(e);
    if (state === '42P01' || state === '42703') throw foreign(`no plan_format of this app (${state})`);
    if (state === '42501')
      throw new AppError(
        'forbidden',
        `ユーザー「${location.config.user ?? ''}」にはデータベース「${location.config.database ?? ''}」の計画を読む権限がありません。何も変更していません。`,
        `${location.display}: permission denied: ${scrub(e instanceof Error ? e.message : String(e), location)}`,
      );
    throw connectionError(e, location);
  }
  const first = rows[0];
  if (rows.length !== 1 || first?.application !== PLAN_APPLICATION) throw foreign("plan_format is not this app's");
  const version = first.version;
  if (typeof version === 'number' && version > postgresSchemaVersion)
    throw new AppError(
      'database_newer',
      `${name}は新しいバージョンの計画ワークベンチで作成されています（形式 ${version}、このアプリは ${postgresSchemaVersion} まで）。アプリを更新してから開いてください。データベースは変更していません。`,
      `${location.display} has schema version ${version}, newer than this app's ${postgresSchemaVersion}; refused`,
    );
  if (version !== postgresSchemaVersion)
    throw new AppError(
      'invalid_value',
      `${name}は古い形式です（形式 ${String(version).slice(0, 20)}）。アプリで開くと新しい形式に更新されます。データベースは変更していません。`,
      `${location.display} has schema version ${String(version).slice(0, 20)}; read-only opening reads ${postgresSchemaVersion} only and never migrates`,
    );
}
