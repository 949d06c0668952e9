import { existsSync } from 'node:fs';
import { basename } from 'node:path';
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
    try {
      let next: OpenedDatabase;
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
      lock?.release();
      throw e;
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
