import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { AppError } from '../../shared/errors/app-error';
import type { SeedBundle } from '../../shared/seed/schema';
import { backupById, backupDatabase, backupFile, backupFolder, type BackupEntry, type BackupReason, copyToFile, hasBackupToday, listBackups, replaceWithBackup } from '../db/backup';
import { isPostgresLocation, parseDbLocation, type PostgresLocation } from '../db/db-location';
import { checkContents, identify, type OpenedDatabase, openPlanDatabase, pendingMigrationsOf, refuseFolder } from '../db/open';
import { openPlanDatabaseReadOnly, readOnlyError } from '../db/open-read-only';
import { MigrationBlocked } from '../db/over-long-text';
import { canonicalPath } from '../db/real-path';
import { besidePath, removeDatabaseFiles, replaceFile } from '../db/replace-file';
import { WriterLock } from '../db/writer-lock';
import { createDatabase, createDatabaseFile, replaceDatabase } from './create-database';
import { fillWith, openPostgresWorkspacePlan, restoreFromFile } from './postgres-plan';
import { tablesWithRows } from '../db/plan-copy';
import { openPostgresPlan } from '../db/postgres-open';

export interface OpenRequest {
  /**
   * Build the file from this plan when it does not exist (first start: the embedded seeds); on
   * PostgreSQL, fill the database with it when it holds no plan yet.
   */
  createFrom?: () => SeedBundle;
  /**
   * Take over a writer lock nobody can prove stale (another computer's, an unreadable one, or on
   * Windows one whose PID runs but may be another process): only after the user said so (the
   * refusal has code 'lock_unverified'; the app asks, the command line takes --take-over-lock). A
   * running local holder never.
   */
  takeOverLock?: boolean;
  /** Take over this process's own lock: its services restarted after a crash (electron/api/services.ts). */
  reclaimOwnLock?: boolean;
}

/** Whether this process may write the file and create its -wal, -shm and lock beside it. */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** What restore did. */
export interface RestoreReport {
  /** The backup that is the plan now. */
  restoredFrom: string;
  /** The backup of the plan as it was just before (restorable in turn). */
  safetyBackup: BackupEntry;
  opened: OpenedDatabase;
}

/**
 * The plan database that is open right now, with its writer lock and its backups. The shell swaps
 * it on File › Open / New / Restore; every service method reads through `current`, so there is one
 * source of truth. Paths are kept as real paths (symlinks resolved): one file, one lock.
 *
 * The plan is a file or a database on PostgreSQL, named by a location (db/db-location.ts). On
 * PostgreSQL there is no writer lock (the server serialises writers), `current.path` and `fileName`
 * are the location's display (never the password), backups are .plandb snapshots in a folder
 * keyed by that display, and a restore replaces the plan's rows in one transaction.
 */
export class Workspace {
  private opened: OpenedDatabase | null = null;
  private lock: WriterLock | null = null;
  /** The location of what is open as a job worker opens it again: a file's real path, a PostgreSQL location as given (it may hold the password: never shown). */
  private where: string | null = null;
  /**
   * Why today's automatic backup could not be made, or null. The session goes on without it: the
   * plan file itself is sound and every edit stays in its change log (undo); refusing to open would
   * stop the planner's work for want of a safety copy. The shell shows it; the command line prints it.
   * (A migration or an import never goes on without its backup.)
   */
  backupProblem: AppError | null = null;

  /** `userData`: where backups are kept (the app's user data folder); omitted in tests: no backups. */
  constructor(
    readonly appVersion: string,
    readonly userData?: string,
  ) {}

  /** Why the open file is read-only and what to do, when the reason is in the file itself (over-long-text.ts), or null. */
  get notice(): AppError | null {
    return this.opened?.notice ?? null;
  }

  /** True when the open file could only be opened for reading (read-only media, permissions, a text too long to migrate): edits are refused. */
  get readOnly(): boolean {
    return this.opened?.readOnly === true;
  }

  /**
   * Opens the plan at `location` (a file path, a postgres:// URL, `postgres:`, a .pgconn file: the
   * text `--db`, serve and File › Open give, parsed here) as the only writer of a file: a backup
   * before any migration, and once a day. A file this process cannot write is opened read-only
   * instead. On any error the previous database stays open.
   */
  async open(location: string, request: OpenRequest = {}): Promise<OpenedDatabase> {
    const where = parseDbLocation(location);
    if (where.kind === 'postgres') return this.openPostgres(location, where, request);
    const real = canonicalPath(where.path);
    if (this.opened?.path === real) return this.opened;
    refuseFolder(real);
    if (existsSync(real) && !writable(real)) return await this.adopt(openPlanDatabaseReadOnly(real), null, null);
    // First start: the folder of the default database may not exist yet, and the lock file lives in it.
    if (!existsSync(real) && request.createFrom) mkdirSync(dirname(real), { recursive: true });
    const lock = WriterLock.acquire(real, { takeOver: request.takeOverLock === true, reclaimOwn: request.reclaimOwnLock === true });
    try {
      return await this.openLocked(real, lock, request);
    } catch (e) {
      // A text too long for the new schema (openLocked has released the lock): read it as it is, read-only, with the notice.
      if (e instanceof MigrationBlocked) return await this.adopt(openPlanDatabaseReadOnly(real), null, null);
      throw e;
    }
  }

  /** Opens `real` whose writer lock is already taken; the lock goes with the workspace or is released on error. */
  private async openLocked(real: string, lock: WriterLock, request: OpenRequest): Promise<OpenedDatabase> {
    let next: OpenedDatabase | undefined;
    try {
      if (!existsSync(real) && request.createFrom) next = createDatabase(real, request.createFrom(), { source: 'seeds/' });
      else {
        if (this.userData && pendingMigrationsOf(real) > 0) await backupFile(real, this.folderFor(real), 'migration');
        next = openPlanDatabase(real, { create: false });
      }
      return await this.adopt(next, lock, await this.dailyBackup(next));
    } catch (e) {
      if (next && !next.db.closed) await next.db.close();
      lock.release();
      throw e;
    }
  }

  /**
   * A plan on PostgreSQL: opened (refusals in Japanese, schema created or migrated by
   * openPostgresPlan), filled from `createFrom` when it holds no plan, backed up once a day.
   */
  private async openPostgres(location: string, where: PostgresLocation, request: OpenRequest): Promise<OpenedDatabase> {
    if (this.opened?.path === where.display && this.opened.db.engine === 'postgres') return this.opened;
    const next = await openPostgresWorkspacePlan(where, request.createFrom);
    try {
      return await this.adopt(next, null, await this.dailyBackup(next), location);
    } catch (e) {
      await next.db.close();
      throw e;
    }
  }

  /** Today's automatic backup when there is none yet; why it could not be made, or null. */
  private async dailyBackup(next: OpenedDatabase): Promise<AppError | null> {
    if (!this.userData || hasBackupToday(this.folderFor(next.path))) return null;
    try {
      await backupDatabase(next.db, this.folderFor(next.path), 'daily');
      return null;
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
  }

  /** Makes `next` current at once (before any await), then closes what was open before. */
  private async adopt(next: OpenedDatabase, lock: WriterLock | null, problem: AppError | null, where: string = next.path): Promise<OpenedDatabase> {
    const previous = this.detach();
    this.opened = next;
    this.lock = lock;
    this.where = where;
    this.backupProblem = problem;
    await closeDetached(previous);
    return next;
  }

  /** Takes the open database and its lock out of the workspace (closeDetached closes them). */
  private detach(): Detached {
    const detached = { opened: this.opened, lock: this.lock };
    this.opened = null;
    this.lock = null;
    this.where = null;
    return detached;
  }

  /**
   * Writes a new database from a plan bundle at `path` (File › New) and opens it. Refused while
   * another process holds the file, so a file open elsewhere is never deleted under it; a file that
   * is replaced is backed up first and replaced in one rename.
   */
  async create(path: string, bundle: SeedBundle, request: Pick<OpenRequest, 'takeOverLock'> = {}): Promise<OpenedDatabase> {
    const where = parseDbLocation(path);
    if (where.kind === 'postgres') return this.createPostgres(path, where, bundle);
    const real = canonicalPath(where.path);
    if (this.opened && this.opened.path === real)
      throw new AppError('conflict', '開いているファイルには上書きできません。別の名前を指定してください。', `refusing to overwrite the open database ${path}`);
    refuseFolder(real);
    const lock = WriterLock.acquire(real, { takeOver: request.takeOverLock === true });
    try {
      if (existsSync(real) && this.userData) await replaceDatabase(real, bundle, { backupFolder: this.folderFor(real) });
      else createDatabaseFile(real, bundle, { force: true });
    } catch (e) {
      lock.release();
      throw e;
    }
    return this.openLocked(real, lock, {});
  }

  /**
   * A new plan from `bundle` in the PostgreSQL database of `where`: a plan there is backed up first
   * (when there are backups), then replaced in one transaction; then it is opened.
   */
  private async createPostgres(location: string, where: PostgresLocation, bundle: SeedBundle): Promise<OpenedDatabase> {
    if (this.opened?.path === where.display)
      throw new AppError('conflict', '開いている計画には上書きできません。別のデータベースを指定してください。', `refusing to replace the open plan ${where.display}`);
    const next = await openPostgresPlan(where);
    try {
      const replace = (await tablesWithRows(next.db)).length > 0;
      if (replace && this.userData) await backupDatabase(next.db, this.folderFor(next.path), 'replace');
      await fillWith(next.db, bundle, { replace });
      return await this.adopt(next, null, null, location);
    } catch (e) {
      await next.db.close();
      throw e;
    }
  }

  /**
   * A consistent copy of the open database at `path` (File › Save a copy), never onto a file in
   * use, complete or not at all. Always a .plandb file: of a plan on PostgreSQL too, a snapshot a
   * planner can open offline.
   */
  async saveCopy(path: string): Promise<void> {
    if (isPostgresLocation(path))
      throw new AppError('invalid_arguments', 'コピーはファイルに保存します。保存先のファイル名を指定してください。', 'save a copy: the target is a PostgreSQL location, not a file');
    const real = canonicalPath(path);
    if (this.current.path === real)
      throw new AppError('conflict', '開いているファイル自身にはコピーできません。別の名前を指定してください。', `refusing to copy the open database onto itself: ${path}`);
    refuseFolder(real);
    const lock = WriterLock.acquire(real);
    const temp = besidePath(real, 'copy');
    try {
      await copyToFile(this.current.db, temp);
      replaceFile(temp, real);
    } catch (e) {
      removeDatabaseFiles(temp);
      throw e;
    } finally {
      lock.release();
    }
  }

  /**
   * Makes an already opened database current, without lock or backups (tests, tools). It is
   * current as soon as this returns; the promise settles once what was open before is closed.
   */
  use(next: OpenedDatabase): Promise<OpenedDatabase> {
    return this.adopt(next, null, null);
  }

  get current(): OpenedDatabase {
    if (!this.opened) throw new AppError('not_found', 'データベースが開かれていません。', 'no database is open');
    return this.opened;
  }

  /** The name shown (title, page): a file's name; a PostgreSQL plan's display location. */
  get fileName(): string {
    if (!this.opened) return '';
    return this.opened.db.engine === 'postgres' ? this.opened.path : basename(this.opened.path);
  }

  /**
   * Where the open plan is, for opening it again elsewhere (the job workers, read-only): a file's
   * real path, a PostgreSQL location as it was given. It may hold a password: never log or show it
   * (`current.path` is what to show).
   */
  get location(): string {
    if (this.where === null) throw new AppError('not_found', 'データベースが開かれていません。', 'no database is open');
    return this.where;
  }

  private folderFor(path: string): string {
    if (!this.userData) throw new AppError('internal', 'バックアップの保存先がありません。', 'no user data folder for backups');
    return backupFolder(this.userData, path);
  }

  backups(): BackupEntry[] {
    return this.userData && this.opened ? listBackups(this.folderFor(this.opened.path)) : [];
  }

  async backupNow(reason: BackupReason): Promise<BackupEntry> {
    return backupDatabase(this.current.db, this.folderFor(this.current.path), reason);
  }

  /**
   * Replaces the open plan with a backup (after backing up what is there now). A file is replaced
   * and reopened; a plan on PostgreSQL gets the backup's rows, change log included, in one
   * transaction.
   */
  async restore(backupId: string): Promise<RestoreReport> {
    const path = this.current.path;
    if (this.readOnly) throw readOnlyError(basename(path));
    const entry = backupById(this.folderFor(path), backupId);
    // Refuse a backup this app cannot open (newer schema, not ours, damaged) before anything is replaced.
    pendingMigrationsOf(entry.path);
    checkContents(entry.path, identify(entry.path));
    await this.trialOpen(entry);
    const safetyBackup = await this.backupNow('restore');
    if (this.current.db.engine === 'postgres') {
      await restoreFromFile(this.current.db, entry.path);
      return { restoredFrom: entry.id, safetyBackup, opened: this.current };
    }
    // The writer lock stays held: nobody takes the file between closing it and opening it again.
    const current = this.current;
    this.opened = null;
    await current.db.close();
    try {
      replaceWithBackup(path, entry);
    } finally {
      // Whatever happened, the file at `path` is opened again: the backup, or the untouched original.
      this.opened = this.reopen(path);
    }
    return { restoredFrom: entry.id, safetyBackup, opened: this.opened };
  }

  /**
   * Opens the backup as restoring would (a private copy, migrated), so a backup the current rules
   * refuse is refused here, while the open plan is still in place, instead of after it was replaced.
   */
  private async trialOpen(entry: BackupEntry): Promise<void> {
    const refused = (why: string, log: string) =>
      new AppError('invalid_value', `このバックアップ（${entry.id}）は戻せません。${why} 開いている計画は変更していません。`, `restore ${entry.path} refused: ${log}`);
    let trial: OpenedDatabase;
    try {
      trial = openPlanDatabaseReadOnly(entry.path);
    } catch (e) {
      if (e instanceof AppError) throw refused(e.messageJa, `${e.code}: ${e.message}`);
      throw e;
    }
    await trial.db.close();
    if (trial.notice) throw refused(trial.notice.messageJa, trial.notice.message);
  }

  /** The file at `path` after a restore: as the writer, or read-only as it is when it cannot be migrated. */
  private reopen(path: string): OpenedDatabase {
    try {
      return openPlanDatabase(path, { create: false });
    } catch (e) {
      if (e instanceof MigrationBlocked) return openPlanDatabaseReadOnly(path);
      throw e;
    }
  }

  /** Closes the open database, then releases its writer lock. The workspace is empty at once, before any await. */
  async close(): Promise<void> {
    await closeDetached(this.detach());
  }
}

interface Detached {
  opened: OpenedDatabase | null;
  lock: WriterLock | null;
}

/** Closes a database taken out of a workspace, then releases its lock (the lock outlives the connection, never the reverse). */
async function closeDetached({ opened, lock }: Detached): Promise<void> {
  try {
    if (opened && !opened.db.closed) await opened.db.close();
  } finally {
    lock?.release();
  }
}
