import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../shared/errors/app-error';
import type { SeedBundle } from '../../shared/seed/schema';
import { backupFile, backupRawFile, type BackupEntry } from '../db/backup';
import { checkIdentity, identify, openPlanDatabase, type OpenedDatabase, refuseFolder } from '../db/open';
import type { PlanDb } from '../db/plan-db';
import { besidePath, removeDatabaseFiles, replaceFile } from '../db/replace-file';
import { withPrivateTemp } from '../files/private-temp';
import { crossCheck } from '../seed/cross-check';
import { buildDatabase } from '../seed/build-database';
import { SeedError } from '../seed/read-seeds';

/**
 * Builds a complete plan database from a bundle in a new temporary file beside `target` and closes
 * it: the references are cross-checked before anything is written, and on any error the temporary
 * file is removed. Returns the temporary file's path.
 */
export function buildBeside(target: string, bundle: SeedBundle, source = 'seeds/'): string {
  const problems = crossCheck(bundle, source);
  if (problems.length > 0) throw new SeedError(problems);
  mkdirSync(dirname(target), { recursive: true });
  const temp = besidePath(target, 'building');
  try {
    const { db } = openPlanDatabase(temp);
    if (db.engine !== 'sqlite') throw new Error('a plan is built as a SQLite file');
    try {
      // The new file's own connection, synchronously: nobody else knows the file yet.
      buildDatabase(db.sqlite, bundle, source);
    } finally {
      // Closing the last connection checkpoints the WAL into the file: one self-contained file.
      db.sqlite.close();
    }
    return temp;
  } catch (e) {
    removeDatabaseFiles(temp);
    throw e;
  }
}

/**
 * Creates a new plan database file from a plan bundle (the seeds or a dump), and leaves it closed.
 * The file appears complete or not at all: it is built beside and renamed into place. An existing
 * file is replaced only with `force`, and the caller holds its writer lock (see replaceDatabase for
 * the whole step).
 */
export function createDatabaseFile(path: string, bundle: SeedBundle, options: { force?: boolean; source?: string } = {}): void {
  refuseFolder(path);
  if (existsSync(path) && !options.force)
    throw new AppError('conflict', `「${basename(path)}」は既にあります。上書きするには --force を付けてください。`, `${path} exists; use --force to overwrite`);
  const built = buildBeside(path, bundle, options.source);
  try {
    if (existsSync(path)) replaceFile(built, path);
    else renameSync(built, path);
  } catch (e) {
    removeDatabaseFiles(built);
    throw e;
  }
}

/** createDatabaseFile, then opens the new file. */
export function createDatabase(path: string, bundle: SeedBundle, options: { force?: boolean; source?: string } = {}): OpenedDatabase {
  createDatabaseFile(path, bundle, options);
  return openPlanDatabase(path, { create: false });
}

/** Keeps what is at `path` before it is replaced: a backup of a plan database, else a copy of its bytes. */
export async function backupBeforeReplacing(path: string, folder: string): Promise<BackupEntry | null> {
  if (!existsSync(path)) return null;
  let readable = true;
  try {
    checkIdentity(path, identify(path));
  } catch {
    readable = false;
  }
  if (readable) {
    try {
      return await backupFile(path, folder, 'replace');
    } catch (e) {
      if (e instanceof AppError) throw e;
      // SQLite could not read it after all (damaged): keep its bytes instead.
    }
  }
  return backupRawFile(path, folder, 'replace');
}

/**
 * Replaces the plan database at `path` with a new one built from `bundle`: check and build first
 * (beside the old file), then back the old file up, then one atomic rename. The old file stays
 * untouched when anything before the rename fails. The caller holds the writer lock of `path`.
 */
export async function replaceDatabase(path: string, bundle: SeedBundle, options: { source?: string; backupFolder: string }): Promise<{ backup: BackupEntry | null }> {
  refuseFolder(path);
  const built = buildBeside(path, bundle, options.source);
  try {
    const backup = await backupBeforeReplacing(path, options.backupFolder);
    replaceFile(built, path);
    return { backup };
  } catch (e) {
    removeDatabaseFiles(built);
    throw e;
  }
}

/**
 * The plan of `bundle` built by the builder of new files (cross-checked first) as a SQLite file in a
 * private temp folder, handed to `use` (to be copied somewhere: a PostgreSQL plan is filled this
 * way, by the app's first start and by `init`), then closed and removed.
 */
export async function withBuiltPlan<T>(bundle: SeedBundle, source: string, use: (db: PlanDb) => Promise<T>): Promise<T> {
  return withPrivateTemp('seed-plan', async (dir) => {
    const built = createDatabase(join(dir, 'seed.plandb'), bundle, { source });
    try {
      return await use(built.db);
    } finally {
      await built.db.close();
    }
  });
}
