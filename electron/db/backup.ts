import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../../shared/errors/app-error';
import { openPlanDatabase, type Sqlite } from './open';
import { copyPlan } from './plan-copy';
import type { PlanDb, PostgresPlanDb } from './plan-db';
import { canonicalPath } from './real-path';
import { besidePath, removeDatabaseFiles, replaceFile } from './replace-file';
import { readUntouched } from './untouched';

/** Why a backup was made; part of its file name. */
export type BackupReason = 'daily' | 'migration' | 'import' | 'restore' | 'manual' | 'replace';

export interface BackupEntry {
  /** The file name inside the backup folder: the only handle the renderer ever gets. */
  id: string;
  path: string;
  takenAt: string;
  reason: BackupReason;
  bytes: number;
}

const KEEP_LATEST = 10;
const KEEP_DAILY_DAYS = 30;
const namePattern = /^(\d{8})-(\d{6})(\d{3})-(daily|migration|import|restore|manual|replace)\.plandb$/;

/** A PostgreSQL plan's display location (db-location.ts: the URL without the password), not a file path. */
const postgresDisplay = /^postgres(ql)?:\/\//i;

/**
 * Backups of a database live in the user data folder, one folder per database: a file by its real
 * path, a PostgreSQL plan by its display location (user, host, port, database: never the password,
 * which may change without the plan changing).
 */
export function backupFolder(userData: string, dbPath: string): string {
  if (postgresDisplay.test(dbPath)) {
    const database = decodeURIComponent(/^[^/]*\/\/[^/]*\/([^?]*)/.exec(dbPath)?.[1] ?? '');
    const stem = `pg-${database.replace(/[^\p{L}\p{N}_-]/gu, '_').slice(0, 60)}`;
    return join(userData, 'backups', `${stem}-${createHash('sha1').update(dbPath).digest('hex').slice(0, 8)}`);
  }
  const abs = canonicalPath(dbPath);
  const stem = basename(abs).replace(/\.[^.]+$/, '');
  const hash = createHash('sha1').update(abs).digest('hex').slice(0, 8);
  return join(userData, 'backups', `${stem}-${hash}`);
}

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}${p(d.getMilliseconds(), 3)}`;
}

export function listBackups(folder: string): BackupEntry[] {
  // No folder (or a file in its place): no backups to list; writing one says what is wrong.
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  return readdirSync(folder)
    .map((name) => {
      const m = namePattern.exec(name);
      if (!m) return null;
      const [, date, time, ms, reason] = m;
      const takenAt = new Date(
        Number(date!.slice(0, 4)), Number(date!.slice(4, 6)) - 1, Number(date!.slice(6, 8)),
        Number(time!.slice(0, 2)), Number(time!.slice(2, 4)), Number(time!.slice(4, 6)), Number(ms),
      ).toISOString();
      const path = join(folder, name);
      return { id: name, path, takenAt, reason: reason as BackupReason, bytes: statSync(path).size };
    })
    .filter((e): e is BackupEntry => e !== null)
    .sort((a, b) => (a.id < b.id ? 1 : -1));
}

/**
 * Keeps the last 10 backups and the newest one of each day for 30 days; removes the rest. Never
 * removes `taken` (the backup just made: with the clock stepped back its name sorts below older
 * ones, and it may not be the newest of its day) nor the newest by name.
 */
export function rotateBackups(folder: string, now = new Date(), taken: string[] = []): string[] {
  const entries = listBackups(folder);
  // The newest by name is always among the first KEEP_LATEST.
  const keep = new Set([...entries.slice(0, KEEP_LATEST).map((e) => e.id), ...taken]);
  // Today and the 29 calendar days before it (local dates, as the file names are).
  const recentDays = new Set(
    Array.from({ length: KEEP_DAILY_DAYS }, (_, k) => stamp(new Date(now.getFullYear(), now.getMonth(), now.getDate() - k, 12)).slice(0, 8)),
  );
  const seenDays = new Set<string>();
  for (const e of entries) {
    const day = e.id.slice(0, 8);
    if (recentDays.has(day) && !seenDays.has(day)) {
      seenDays.add(day);
      keep.add(e.id);
    }
  }
  const removed = entries.filter((e) => !keep.has(e.id));
  for (const e of removed) rmSync(e.path, { force: true });
  return removed.map((e) => e.id);
}

const codeOf = (e: unknown) => (e as { code?: unknown } | null)?.code;

/** A backup that could not be written: what happened to the backup folder, and that the plan itself is untouched. */
export function backupFailed(e: unknown, folder: string): AppError {
  const code = String(codeOf(e) ?? '');
  const full = code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL');
  return new AppError(
    full ? 'disk_full' : 'read_only',
    full
      ? 'バックアップを保存するディスクの空き容量が足りません。空き容量を増やしてから、もう一度操作してください。計画データベースは変更していません。'
      : `バックアップの保存先フォルダー（${basename(folder)}）に書き込めません。フォルダーの権限と空き容量を確認してから、もう一度操作してください。計画データベースは変更していません。`,
    `cannot write a backup into ${folder}: ${code || (e instanceof Error ? e.message : String(e))}`,
  );
}

/**
 * A consistent copy of the open plan as a SQLite file at `path` (a backup, File › Save a copy): a
 * `.plandb` a planner can open offline, whichever engine holds the plan.
 *
 * SQLite: the online backup API on the plan's own connection, holding that connection (a
 * snapshot) while it runs: the backup steps between other work, and an action's transaction
 * awaiting between its statements would otherwise be half in the copy (tests/unit/backup.test.ts).
 * PostgreSQL: see snapshotToFile.
 */
export async function copyToFile(db: PlanDb, path: string): Promise<void> {
  if (db.engine === 'postgres') return snapshotToFile(db, path);
  const file = db;
  await file.snapshot(async () => {
    await file.sqlite.backup(path);
  });
}

/**
 * A PostgreSQL plan as a new SQLite plan file: the plan and its change log copied (plan-copy.ts)
 * from one REPEATABLE READ snapshot, so writers go on meanwhile and none of their half-done actions
 * is in it, into a file created beside `path` and renamed into place once complete and closed.
 */
async function snapshotToFile(db: PostgresPlanDb, path: string): Promise<void> {
  const temp = besidePath(path, 'snapshot');
  try {
    const file = openPlanDatabase(temp);
    try {
      await copyPlan(db, file.db).catch((e: unknown) => {
        // The file's side (a full disk) is the folder's problem (backupFailed); the rest is the server's.
        if (e instanceof AppError || fileSideError(e)) throw e;
        throw unreadable(db, e);
      });
    } finally {
      // Closing the only connection checkpoints the WAL: one self-contained file.
      await file.db.close();
    }
    replaceFile(temp, path);
  } catch (e) {
    removeDatabaseFiles(temp);
    throw e;
  }
}

/** An error of writing the SQLite file (SQLite's own, or the file system's), not of reading PostgreSQL. */
const fileSideError = (e: unknown) => /^SQLITE_/.test(String(codeOf(e) ?? '')) || (typeof e === 'object' && e !== null && 'syscall' in e && 'path' in e);

/** The plan could not be read from PostgreSQL (the server went away, a permission): not the backup folder's fault. */
const unreadable = (db: PostgresPlanDb, e: unknown) =>
  new AppError(
    'not_found',
    `PostgreSQL のデータベース（${db.name}）から計画を読めなかったため、コピーを作れませんでした。サーバーとネットワークを確かめてから、もう一度操作してください。計画は変更していません。`,
    `reading the plan from ${db.name} for a .plandb copy failed: ${String((e as { code?: unknown } | null)?.code ?? '')} ${e instanceof Error ? e.message : String(e)}`,
  );

/** Writes a backup into `folder` with `copy`, then rotates; a failed copy leaves nothing behind. */
async function takeBackup(copy: (path: string) => Promise<unknown>, folder: string, reason: BackupReason, now: Date): Promise<BackupEntry> {
  const id = `${stamp(now)}-${reason}.plandb`;
  const path = join(folder, id);
  try {
    mkdirSync(folder, { recursive: true });
    await copy(path);
  } catch (e) {
    removeDatabaseFiles(path);
    // The plan could not be read (PostgreSQL): its own message; anything else is the folder's.
    throw e instanceof AppError ? e : backupFailed(e, folder);
  }
  rotateBackups(folder, now, [id]);
  return listBackups(folder).find((e) => e.id === id) ?? { id, path, takenAt: now.toISOString(), reason, bytes: statSync(path).size };
}

/** Copies the open plan into the backup folder (copyToFile), then rotates. */
export async function backupDatabase(db: PlanDb, folder: string, reason: BackupReason, now = new Date()): Promise<BackupEntry> {
  return takeBackup((path) => copyToFile(db, path), folder, reason, now);
}

/** Keeps the bytes of a file SQLite cannot read (a damaged plan about to be replaced), so nothing is lost. */
export function backupRawFile(dbPath: string, folder: string, reason: BackupReason, now = new Date()): BackupEntry {
  const id = `${stamp(now)}-${reason}.plandb`;
  const path = join(folder, id);
  try {
    mkdirSync(folder, { recursive: true });
    copyFileSync(dbPath, path);
  } catch (e) {
    rmSync(path, { force: true });
    throw backupFailed(e, folder);
  }
  rotateBackups(folder, now, [id]);
  return { id, path, takenAt: now.toISOString(), reason, bytes: statSync(path).size };
}

/** Backs up a database file that is not open (e.g. before migrating it). */
export async function backupFile(dbPath: string, folder: string, reason: BackupReason): Promise<BackupEntry> {
  const sqlite: Sqlite = readUntouched(dbPath, { sidesInPlace: true }).sqlite;
  try {
    // Nobody else writes through this connection: SQLite's online backup as it is.
    return await takeBackup((path) => sqlite.backup(path), folder, reason, new Date());
  } finally {
    sqlite.close();
  }
}

/** Whether a backup was taken today (local date). */
export function hasBackupToday(folder: string, now = new Date()): boolean {
  const today = stamp(now).slice(0, 8);
  return listBackups(folder).some((e) => e.id.startsWith(today));
}

/** Finds a backup by its id (a file name in the folder, never a path). */
export function backupById(folder: string, id: string): BackupEntry {
  const entry = listBackups(folder).find((e) => e.id === id);
  if (!entry) throw new AppError('not_found', 'そのバックアップは見つかりません。', `no backup ${id} in ${folder}`);
  return entry;
}

/** Replaces the (closed) database file with a backup copy; its -wal and -shm go with the old content. */
export function replaceWithBackup(dbPath: string, backup: BackupEntry): void {
  const tmp = `${dbPath}.restoring`;
  try {
    copyFileSync(backup.path, tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  replaceFile(tmp, dbPath);
}
