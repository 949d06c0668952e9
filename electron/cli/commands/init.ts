import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { AppError } from '../../../shared/errors/app-error';
import { backupFolder } from '../../db/backup';
import { latestSchemaVersion } from '../../db/migrations/index';
import { refuseFolder } from '../../db/open';
import { WriterLock } from '../../db/writer-lock';
import { crossCheck } from '../../seed/cross-check';
import { readSeedDirectory, readSeedDump, SeedError } from '../../seed/read-seeds';
import { createDatabase, replaceDatabase, withBuiltPlan } from '../../workspace/create-database';
import type { SeedBundle } from '../../../shared/seed/schema';
import { userDataDir } from '../../files/paths';
import { seedsDirectory } from '../../files/seeds-location';
import { type CliOptions, lockRequest } from '../command';
import { copiedSummary, copyIntoPostgres } from '../copy-targets';
import { type CliDb, dbOf } from '../location';

/**
 * `init`: a new plan database from the seeds or a dump. Everything is read and cross-checked
 * before the writer lock is even asked for; the new file is built beside the target; an existing
 * file (only with --force) is backed up and then replaced in one rename, so a bad dump, a full disk
 * or a running app leaves it exactly as it was.
 *
 * On PostgreSQL the plan is built as a file in a private temporary folder by the same builder, then
 * copied into the database (copy-targets.ts): an empty database gets the plan; one that holds a
 * plan is replaced only with --force, after a backup; one of another application never.
 */
export async function run(opts: CliOptions): Promise<number> {
  const db = dbOf(opts);
  if (db.kind === 'file') refuseFolder(db.path);
  const from = typeof opts.from === 'string' ? resolve(opts.from) : undefined;
  const source = from ?? 'seeds/';
  const bundle = from ? readSeedDump(from) : readSeedDirectory(seedsDirectory());
  const problems = crossCheck(bundle, source);
  if (problems.length > 0) throw new SeedError(problems);
  if (db.kind === 'postgres') return initPostgres(db, bundle, source, opts.force === true);
  const path = db.path;
  if (existsSync(path) && opts.force !== true)
    throw new AppError('conflict', `「${basename(path)}」は既にあります。上書きするには --force を付けてください（元のファイルはバックアップしてから置き換えます）。`, `${path} exists; use --force to overwrite`);

  // The folder first (the default database's folder may not exist yet): the lock file lives in it.
  mkdirSync(dirname(path), { recursive: true });
  const lock = WriterLock.acquire(path, { takeOver: lockRequest(opts).takeOverLock });
  try {
    if (existsSync(path)) {
      const { backup } = await replaceDatabase(path, bundle, { source, backupFolder: backupFolder(userDataDir(), path) });
      console.log(`replaced ${path} (schema version ${latestSchemaVersion})${backup ? `; the previous file is kept as backup ${backup.id} in ${backupFolder(userDataDir(), path)}` : ''}`);
    } else {
      await createDatabase(path, bundle, { source }).db.close();
      console.log(`created ${path} (schema version ${latestSchemaVersion})`);
    }
    return 0;
  } finally {
    lock.release();
  }
}

async function initPostgres(db: Extract<CliDb, { kind: 'postgres' }>, bundle: SeedBundle, source: string, force: boolean): Promise<number> {
  const { rows, backup } = await withBuiltPlan(bundle, source, (built) => copyIntoPostgres(built, db.location, { force }));
  console.log(
    `${backup ? 'replaced' : 'created'} ${db.display} (schema version ${latestSchemaVersion}): ${copiedSummary(rows)}` +
      (backup ? `; the previous plan is kept as backup ${backup.id} in ${dirname(backup.path)}` : ''),
  );
  return 0;
}
