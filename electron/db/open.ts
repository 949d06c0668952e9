import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors/app-error';
import { latestSchemaVersion, migrations, runMigration } from './migrations/index';
import { MigrationBlocked, findOverLongText } from './over-long-text';
import { identityFromHeader, readUntouched } from './untouched';
import { badValueJa, badValueLog, findBadValue } from './row-checks';

export type { Sqlite } from './sqlite';
import type { Sqlite } from './sqlite';
import type { PlanDb } from './plan-db';
import { sqlitePlanDb } from './sqlite-engine';

/** The schema that brought the length limits (migrations/002-field-checks.ts). */
const FIELD_CHECKS_VERSION = 2;

/** 'PLWB': marks a SQLite file as a plan database (PRAGMA application_id). */
export const PLAN_APPLICATION_ID = 0x504c5742;

export interface OpenedDatabase {
  /** The plan database, on either engine (plan-db.ts). */
  db: PlanDb;
  /** The file's real path; for a PostgreSQL plan its URL without the password (db-location.ts). */
  path: string;
  schemaVersion: number;
  /** Versions applied by this open (empty when the file was current). */
  migrated: number[];
  /** Opened for reading only (open-read-only.ts): any write is refused with a message. */
  readOnly?: boolean;
  /** The schema version of the file itself, when what is open is a migrated private copy of it. */
  fileSchemaVersion?: number;
  /** Why the file is open as it is, read-only, and what to do (over-long-text.ts); shown to the user. */
  notice?: AppError;
}

export interface FileIdentity {
  applicationId: number;
  userVersion: number;
  tableCount: number;
}

function sqliteCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Reads who wrote the file without writing anything to it (or beside it: untouched.ts). */
export function identify(path: string): FileIdentity {
  const quick = identityFromHeader(path);
  if (quick) return quick;
  let db: Sqlite | undefined;
  try {
    // A refused file stays as it was; a -wal found beside it is read in place (a writer opens it next).
    db = readUntouched(path, { sidesInPlace: true }).sqlite;
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

export function checkIdentity(path: string, id: FileIdentity): void {
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

/**
 * What no version of this app writes: a negative format version, tables without a format version,
 * our mark without any table. Opening (or migrating) such a file would fail halfway or show nothing.
 */
export function checkContents(path: string, id: FileIdentity): void {
  const name = basename(path);
  const ours = id.applicationId === PLAN_APPLICATION_ID;
  const what = (detail: string, log: string) =>
    new AppError('database_foreign', `「${name}」は${detail}ため、開けません。バックアップから戻すか、作成元に確認してください。ファイルは変更していません。`, `${path}: ${log}; refused, file untouched`);
  if (id.userVersion < 0) throw what(`形式の番号が不正（${id.userVersion}）な`, `user_version ${id.userVersion} is negative`);
  if (id.userVersion === 0 && id.tableCount > 0) throw what('形式の番号がない（計画ワークベンチが書いたものではないか、壊れている）', `user_version 0 with ${id.tableCount} tables`);
  if (ours && id.tableCount === 0) throw what('計画ワークベンチの印があるのに中身が空の', 'application_id is ours but there are no tables');
}

/** An existing file with nothing in it: opening it would write a new, empty plan into it. */
export const emptyFile = (path: string) =>
  new AppError(
    'database_foreign',
    `「${basename(path)}」は空のファイルです（計画が入っていません）。正しいファイルを指定するか、バックアップから戻してください。ファイルは変更していません。`,
    `${path} is empty (no tables); refused, file untouched`,
  );

/** A folder where a database file was expected (e.g. `--db` naming a folder). */
export function refuseFolder(path: string): void {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    return;
  }
  if (folder)
    throw new AppError('bad_file', `「${basename(path)}」はフォルダーです。計画データベースのファイル（.plandb）を指定してください。`, `${path} is a directory, not a database file`);
}

function migrate(sqlite: Sqlite, from: number): number[] {
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return [];
  // A table rebuild (SQLite's 12-step ALTER) runs with foreign keys off, which only takes effect
  // outside a transaction; the keys are checked before the commit instead.
  const rebuilds = pending.some((m) => m.rebuildsTables);
  const foreignKeys = sqlite.pragma('foreign_keys', { simple: true }) as number;
  if (rebuilds) sqlite.pragma('foreign_keys = OFF');
  try {
    // All pending migrations in one transaction: a failure leaves the file at its old version.
    sqlite.transaction(() => {
      for (const m of pending) runMigration(sqlite, m);
      if (rebuilds) {
        const broken = sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
        if (broken.length > 0) throw migrationRefused(sqlite, `foreign key check: ${broken.slice(0, 3).map((b) => `${b.table} rowid ${b.rowid} → ${b.parent}`).join('; ')}`);
      }
      sqlite.pragma(`application_id = ${PLAN_APPLICATION_ID}`);
      sqlite.pragma(`user_version = ${latestSchemaVersion}`);
    })();
  } catch (e) {
    if (sqliteCode(e)?.startsWith('SQLITE_CONSTRAINT')) throw migrationRefused(sqlite, e instanceof Error ? e.message : String(e));
    throw e;
  } finally {
    if (rebuilds && foreignKeys) sqlite.pragma('foreign_keys = ON');
  }
  return pending.map((m) => m.version);
}

/** A value the new schema refuses (the transaction is rolled back: the file keeps its old version): named for the user. */
function migrationRefused(sqlite: Sqlite, why: string): AppError {
  const name = basename(sqlite.name);
  const bad = findBadValue(sqlite);
  return new AppError(
    'invalid_value',
    `「${name}」を新しい形式に更新できません。${bad ? `${badValueJa(bad)}` : '計画のつながりが壊れています。'} ファイルは変更していません。`,
    `${sqlite.name}: migration refused: ${why}${bad ? `; ${badValueLog(bad)}` : ''}`,
  );
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
  refuseFolder(path);
  const identity = exists ? identify(path) : { applicationId: 0, userVersion: 0, tableCount: 0 };
  checkIdentity(path, identity);
  checkContents(path, identity);
  if (exists && options.create === false && identity.tableCount === 0) throw emptyFile(path);

  const sqlite = new Database(path, { timeout: 2000 });
  try {
    // Before anything is written (journal mode included): a text schema 2 would refuse for its length.
    if (identity.tableCount > 0 && identity.userVersion < FIELD_CHECKS_VERSION) {
      const over = findOverLongText(sqlite);
      if (over) throw new MigrationBlocked(path, over);
    }
    sqlite.pragma('journal_mode = WAL');
    // FULL: an acknowledged edit survives a power cut, not only a crash of the app.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    const migrated = migrate(sqlite, identity.userVersion);
    return { db: sqlitePlanDb(sqlite), path, schemaVersion: latestSchemaVersion, migrated };
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
