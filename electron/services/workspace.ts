import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { SeedBundle } from '../../shared/seed/schema';
import { backupById, backupDatabase, backupFile, backupFolder, type BackupEntry, type BackupReason, hasBackupToday, listBackups, replaceWithBackup } from '../db/backup';
import { type OpenedDatabase, openPlanDatabase, pendingMigrationsOf } from '../db/open';
import { WriterLock } from '../db/writer-lock';
import { createDatabase } from './create-database';

export interface OpenRequest {
  /** Build the file from this plan when it does not exist (first start: the embedded seeds). */
  createFrom?: () => SeedBundle;
}

/**
 * The plan database that is open right now, with its writer lock and its backups. The shell swaps
 * it on File › Open / New / Restore; every service method reads through `current`, so there is one
 * source of truth.
 */
export class Workspace {
  private opened: OpenedDatabase | null = null;
  private lock: WriterLock | null = null;

  /** `userData`: where backups are kept (the app's user data folder); omitted in tests: no backups. */
  constructor(
    readonly appVersion: string,
    readonly userData?: string,
  ) {}

  /**
   * Opens a plan database as the only writer: a backup before any migration, and once a day.
   * On any error the previous database stays open.
   */
  async open(path: string, request: OpenRequest = {}): Promise<OpenedDatabase> {
    if (this.opened?.path === path) return this.opened;
    const lock = WriterLock.acquire(path);
    let next: OpenedDatabase | undefined;
    try {
      if (!existsSync(path) && request.createFrom) next = createDatabase(path, request.createFrom(), { source: 'seeds/' });
      else {
        if (this.userData && pendingMigrationsOf(path) > 0) await backupFile(path, this.folderFor(path), 'migration');
        next = openPlanDatabase(path, { create: false });
      }
      if (this.userData && !hasBackupToday(this.folderFor(path))) await backupDatabase(next.sqlite, this.folderFor(path), 'daily');
      this.close();
      this.opened = next;
      this.lock = lock;
      return next;
    } catch (e) {
      if (next?.sqlite.open) next.sqlite.close();
      lock.release();
      throw e;
    }
  }

  /**
   * Writes a new database from a plan bundle at `path` (File › New) and opens it. Refused while
   * another process holds the file, so a file open elsewhere is never deleted under it.
   */
  async create(path: string, bundle: SeedBundle): Promise<OpenedDatabase> {
    if (this.opened && resolve(this.opened.path) === resolve(path))
      throw new AppError('conflict', '開いているファイルには上書きできません。別の名前を指定してください。', `refusing to overwrite the open database ${path}`);
    const lock = WriterLock.acquire(path);
    try {
      createDatabase(path, bundle, { force: true }).sqlite.close();
    } finally {
      lock.release();
    }
    return this.open(path);
  }

  /** A consistent copy of the open database at `path` (File › Save a copy), never onto a file in use. */
  async saveCopy(path: string): Promise<void> {
    if (resolve(this.current.path) === resolve(path))
      throw new AppError('conflict', '開いているファイル自身にはコピーできません。別の名前を指定してください。', `refusing to copy the open database onto itself: ${path}`);
    const lock = WriterLock.acquire(path);
    try {
      await this.current.sqlite.backup(path);
    } finally {
      lock.release();
    }
  }

  /** Makes an already opened database current, without lock or backups (tests, tools). */
  use(next: OpenedDatabase): OpenedDatabase {
    this.close();
    this.opened = next;
    return next;
  }

  get current(): OpenedDatabase {
    if (!this.opened) throw new AppError('not_found', 'データベースが開かれていません。', 'no database is open');
    return this.opened;
  }

  get fileName(): string {
    return this.opened ? basename(this.opened.path) : '';
  }

  private folderFor(path: string): string {
    if (!this.userData) throw new AppError('internal', 'バックアップの保存先がありません。', 'no user data folder for backups');
    return backupFolder(this.userData, path);
  }

  backups(): BackupEntry[] {
    return this.userData && this.opened ? listBackups(this.folderFor(this.opened.path)) : [];
  }

  async backupNow(reason: BackupReason): Promise<BackupEntry> {
    return backupDatabase(this.current.sqlite, this.folderFor(this.current.path), reason);
  }

  /** Replaces the open database with a backup (after backing up what is there now) and reopens it. */
  async restore(backupId: string): Promise<OpenedDatabase> {
    const path = this.current.path;
    const entry = backupById(this.folderFor(path), backupId);
    // Refuse a backup this app cannot open (newer schema, not ours) before anything is replaced.
    pendingMigrationsOf(entry.path);
    await this.backupNow('restore');
    this.current.sqlite.close();
    this.opened = null;
    try {
      replaceWithBackup(path, entry);
    } finally {
      // Whatever happened, the file at `path` is opened again: the backup, or the untouched original.
      this.opened = openPlanDatabase(path, { create: false });
    }
    return this.opened;
  }

  close(): void {
    if (this.opened) {
      if (this.opened.sqlite.open) this.opened.sqlite.close();
      this.opened = null;
    }
    this.lock?.release();
    this.lock = null;
  }
}
