import { AppError } from '../../shared/errors/app-error';
import type { SeedBundle } from '../../shared/seed/schema';
import type { PostgresLocation } from '../db/db-location';
import { type OpenedDatabase } from '../db/open';
import { openPlanDatabaseReadOnly } from '../db/open-read-only';
import { copyPlan, type CopyResult, tablesWithRows } from '../db/plan-copy';
import type { PlanDb } from '../db/plan-db';
import { openPostgresPlan } from '../db/postgres-open';
import { withBuiltPlan } from './create-database';

/**
 * The workspace's steps that differ for a plan on PostgreSQL (workspace.ts keeps the order of the
 * steps and the backups; the file's own steps are in create-database.ts and db/). A plan on
 * PostgreSQL is filled and restored by copying a whole plan into it (db/plan-copy.ts) in one
 * transaction: nobody ever sees it half filled, and a copy that fails leaves it as it was. The plan
 * it copies is a SQLite file: the seeds built by the same builder as a new file's, a backup.
 */

/** The database has its schema but no plan in it (a created database nobody filled). */
const noPlan = (location: PostgresLocation) =>
  new AppError(
    'database_foreign',
    `PostgreSQL のデータベース「${location.config.database ?? ''}」（${location.config.host ?? 'localhost'}）には計画が入っていません。計画を入れてから開いてください（init または copy）。何も変更していません。`,
    `${location.display} holds the plan schema but no plan; refused, database untouched`,
  );

/**
 * Opens the plan of `location` (openPostgresPlan: refusals, creation of the schema, migrations). With
 * `createFrom`, a database that holds no plan yet is filled from it; without, it is refused.
 */
export async function openPostgresWorkspacePlan(location: PostgresLocation, createFrom?: () => SeedBundle): Promise<OpenedDatabase> {
  const opened = await openPostgresPlan(location, { create: createFrom !== undefined });
  try {
    if (!(await tablesWithRows(opened.db)).includes('plan')) {
      if (!createFrom) throw noPlan(location);
      await fillWith(opened.db, createFrom());
    }
    return opened;
  } catch (e) {
    await opened.db.close();
    throw e;
  }
}

/**
 * Puts the plan of `bundle` into the database: built as a SQLite file in a private temp folder by
 * the builder of new files (cross-checked first), then copied in one transaction. `replace`: what is
 * there is replaced (the caller backed it up); else a plan there is refused, except one that another
 * copy of the app put there meanwhile (two starting on one new database at once), which is kept.
 */
export async function fillWith(db: PlanDb, bundle: SeedBundle, options: { replace?: boolean } = {}): Promise<void> {
  await withBuiltPlan(bundle, 'seeds/', async (seed) => {
    try {
      await copyPlan(seed, db, { force: options.replace === true });
    } catch (e) {
      if (!options.replace && e instanceof AppError && e.code === 'conflict' && (await tablesWithRows(db)).includes('plan')) return;
      throw e;
    }
  });
}

/**
 * Replaces the plan (and its change log) with the backup file's, in one transaction. An older
 * backup is read from a migrated private copy (open-read-only.ts), as restoring a file migrates it.
 */
export async function restoreFromFile(db: PlanDb, backupPath: string): Promise<CopyResult> {
  const backup = openPlanDatabaseReadOnly(backupPath);
  try {
    return await copyPlan(backup.db, db, { force: true });
  } finally {
    await backup.db.close();
  }
}
