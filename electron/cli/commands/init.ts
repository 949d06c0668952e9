import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { AppError } from '../../../shared/errors/app-error';
import { backupFolder } from '../../db/backup';
import { latestSchemaVersion } from '../../db/migrations/index';
import { refuseFolder } from '../../db/open';
import { WriterLock } from '../../db/writer-lock';
import { crossCheck } from '../../seed/cross-check';
import { readSeedDirectory, readSeedDump, SeedError } from '../../seed/read-seeds';
import { createDatabase, replaceDatabase } from '../../workspace/create-database';
import { userDataDir } from '../../files/paths';
import { seedsDirectory } from '../../files/seeds-location';
import { type CliOptions, dbPathOf, lockRequest } from '../command';

/**
 * `init`: a new plan database from the seeds or a dump. Everything is read and cross-checked
 * before the writer lock is even asked for; the new file is built beside the target; an existing
 * file (only with --force) is backed up and then replaced in one rename, so a bad dump, a full disk
 * or a running app leaves it exactly as it was.
 */
export async function run(opts: CliOptions): Promise<number> {
  const path = dbPathOf(opts);
  refuseFolder(path);
  const from = typeof opts.from === 'string' ? resolve(opts.from) : undefined;
  const source = from ?? 'seeds/';
  const bundle = from ? readSeedDump(from) : readSeedDirectory(seedsDirectory());
  const problems = crossCheck(bundle, source);
  if (problems.length > 0) throw new SeedError(problems);
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
      await (await createDatabase(path, bundle, { source })).db.close();
      console.log(`created ${path} (schema version ${latestSchemaVersion})`);
    }
    return 0;
  } finally {
    lock.release();
  }
}
