import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { AppError } from '../../shared/errors/app-error';
import { backupDatabase, backupFolder, type BackupEntry } from '../db/backup';
import type { PostgresLocation } from '../db/db-location';
import { openPlanDatabase, refuseFolder } from '../db/open';
import { copyPlan, tablesWithRows } from '../db/plan-copy';
import type { PlanDb } from '../db/plan-db';
import { openPostgresPlan } from '../db/postgres-open';
import { besidePath, removeDatabaseFiles, replaceFile } from '../db/replace-file';
import { WriterLock } from '../db/writer-lock';
import { userDataDir } from '../files/paths';
import { backupBeforeReplacing } from '../workspace/create-database';

/**
 * Writing a whole plan (copyPlan) into a target, for `copy` and for `init` on PostgreSQL. Either
 * the target ends up holding the copy complete, or it is as it was:
 *
 * - a file: a new plan file (openPlanDatabase) written beside the target and renamed into place;
 *   an existing target is replaced only with `force`, after a backup, under its writer lock;
 * - PostgreSQL: the schema created in an empty database (or upgraded), then the copy in one
 *   transaction; a database holding a plan is emptied only with `force`, after a backup of it.
 *   A database of another application is refused untouched, force or not (postgres-open.ts).
 */

export interface CopiedInto {
  /** Rows copied, per table (plan tables, change_set, change). */
  rows: Record<string, number>;
  /** The backup of what the target held before, when it was replaced. */
  backup: BackupEntry | null;
}

export interface TargetOptions {
  force: boolean;
  takeOverLock?: boolean;
}

/** Copies `source` into the plan file at `path`. */
export async function copyIntoFile(source: PlanDb, path: string, options: TargetOptions): Promise<CopiedInto> {
  refuseFolder(path);
  if (existsSync(path) && !options.force)
    throw new AppError(
      'conflict',
      `「${basename(path)}」は既にあります。上書きするには --force を付けてください（元のファイルはバックアップしてから置き換えます）。何も変更していません。`,
      `${path} exists; use --force to overwrite (it is backed up first); nothing changed`,
    );
  mkdirSync(dirname(path), { recursive: true });
  // Refused while the app or the browser mode has the target open.
  const lock = WriterLock.acquire(path, { takeOver: options.takeOverLock === true });
  const temp = besidePath(path, 'copy');
  try {
    const target = openPlanDatabase(temp);
    let rows: Record<string, number>;
    try {
      // A new file of our own: whatever its creation wrote is replaced by the copy.
      rows = (await copyPlan(source, target.db, { force: true })).rows;
    } finally {
      // Closing the only connection checkpoints the WAL into the file: one self-contained file.
      await target.db.close();
    }
    const backup = existsSync(path) ? await backupBeforeReplacing(path, backupFolder(userDataDir(), path)) : null;
    if (existsSync(path)) replaceFile(temp, path);
    else renameSync(temp, path);
    return { rows, backup };
  } catch (e) {
    removeDatabaseFiles(temp);
    throw e;
  } finally {
    lock.release();
  }
}

/** Copies `source` into the PostgreSQL database at `location` (creating the plan's schema in an empty one). */
export async function copyIntoPostgres(source: PlanDb, location: PostgresLocation, options: TargetOptions): Promise<CopiedInto> {
  const target = await openPostgresPlan(location, { create: true });
  try {
    const filled = await tablesWithRows(target.db);
    if (filled.length > 0 && !options.force)
      throw new AppError(
        'conflict',
        `「${location.display}」にはすでに計画（または変更履歴）が入っています。上書きするには --force を付けてください（今の計画はバックアップしてから置き換えます）。何も変更していません。`,
        `${location.display} is not empty (${filled.length} tables hold rows); use --force to replace it (it is backed up first); nothing changed`,
      );
    const backup = filled.length > 0 ? await backupDatabase(target.db, backupFolder(userDataDir(), location.display), 'replace') : null;
    // Emptied and filled in one transaction (another writer's rows since the look above included).
    const { rows } = await copyPlan(source, target.db, { force: options.force });
    return { rows, backup };
  } finally {
    await target.db.close();
  }
}

/** The counts of a copy in one line: plan rows, change sets and changes. */
export function copiedSummary(rows: Record<string, number>): string {
  const { change_set: sets = 0, change: changes = 0, ...plan } = rows;
  const planRows = Object.values(plan).reduce((a, b) => a + b, 0);
  return `${planRows} plan rows in ${Object.keys(plan).length} tables, ${sets} change sets and ${changes} changes (the change log)`;
}
