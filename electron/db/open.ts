import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import { latestSchemaVersion, migrations } from './migrations/index';

export type Sqlite = Database.Database;

/** 'PLWB': marks a SQLite file as a plan database (PRAGMA application_id). */
export const PLAN_APPLICATION_ID = 0x504c5742;

export interface OpenedDatabase {
  sqlite: Sqlite;
  path: string;
  schemaVersion: number;
  /** Versions applied by this open (empty when the file was current). */
  migrated: number[];
}

interface FileIdentity {
  applicationId: number;
  userVersion: number;
  tableCount: number;
}

function sqliteCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Reads who wrote the file without writing anything to it. */
function identify(path: string): FileIdentity {
  let db: Sqlite | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return {
      applicationId: db.pragma('application_id', { simple: true }) as number,
      userVersion: db.pragma('user_version', { simple: true }) as number,
      tableCount: (db.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number }).n,
    };
  } catch (e) {
    const code = sqliteCode(e);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
      throw new AppError('database_foreign', `「${basename(path)}」は計画データベースではないか、壊れています。`, `${path} is not a SQLite database or is damaged (${code})`);
    if (code === 'SQLITE_BUSY')
      throw new AppError('database_busy', `「${basename(path)}」は他のプログラムが使用中です。`, `${path} is locked by another process`);
    throw e;
  } finally {
    db?.close();
  }
}

function checkIdentity(path: string, id: FileIdentity): void {
  const name = basename(path);
  const empty = id.applicationId === 0 && id.userVersion === 0 && id.tableCount === 0;
  if (!empty && id.applicationId !== PLAN_APPLICATION_ID)
    throw new AppError('database_foreign', `「${name}」は計画ワークベンチのデータベースではありません。`, `${path} is a SQLite file of another application (application_id ${id.applicationId})`);
  if (id.userVersion > latestSchemaVersion)
    throw new AppError(
      'database_newer',
      `「${name}」は新しいバージョンの計画ワークベンチで作成されています（形式 ${id.userVersion}、このアプリは ${latestSchemaVersion} まで）。アプリを更新してから開いてください。ファイルは変更していません。`,
      `${path} has schema version ${id.userVersion}, newer than this app's ${latestSchemaVersion}; refused, file untouched`,
    );
}

function migrate(sqlite: Sqlite, from: number): number[] {
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return [];
  // All pending migrations in one transaction: a failure leaves the file at its old version.
  sqlite.transaction(() => {
    for (const m of pending) for (const q of m.up()) sqlite.prepare(q.sql).run(...q.parameters);
    sqlite.pragma(`application_id = ${PLAN_APPLICATION_ID}`);
    sqlite.pragma(`user_version = ${latestSchemaVersion}`);
  })();
  return pending.map((m) => m.version);
}

/** How many migrations opening this existing file would apply (after the same checks as opening). */
export function pendingMigrationsOf(path: string): number {
  if (!existsSync(path)) return 0;
  const identity = identify(path);
  checkIdentity(path, identity);
  if (identity.tableCount === 0) return 0;
  return migrations.filter((m) => m.version > identity.userVersion).length;
}

export interface OpenOptions {
  /** Create the file when it does not exist (default true). */
  create?: boolean;
}

/**
 * Opens (or creates) a plan database: checks that it is ours and not newer, sets WAL,
 * synchronous=FULL and foreign keys, and applies pending migrations in one transaction.
 */
export function openPlanDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  const exists = existsSync(path);
  if (!exists && options.create === false)
    throw new AppError('not_found', `ファイル「${basename(path)}」が見つかりません。`, `${path} does not exist`);
  const identity = exists ? identify(path) : { applicationId: 0, userVersion: 0, tableCount: 0 };
  checkIdentity(path, identity);

  const sqlite = new Database(path, { timeout: 2000 });
  try {
    sqlite.pragma('journal_mode = WAL');
    // FULL: an acknowledged edit survives a power cut, not only a crash of the app.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    const migrated = migrate(sqlite, identity.userVersion);
    return { sqlite, path, schemaVersion: latestSchemaVersion, migrated };
  } catch (e) {
    sqlite.close();
    throw e;
  }
}

/** PRAGMA integrity_check and foreign_key_check, as messages (empty when the file is sound). */
export function checkIntegrity(sqlite: Sqlite): string[] {
  const problems: string[] = [];
  for (const row of sqlite.pragma('integrity_check') as { integrity_check: string }[])
    if (row.integrity_check !== 'ok') problems.push(row.integrity_check);
  for (const row of sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[])
    problems.push(`foreign key: ${row.table} rowid ${row.rowid} → ${row.parent}`);
  return problems;
}
