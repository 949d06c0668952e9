import { join } from 'node:path';
import { backupFolder, listBackups } from '../../db/backup';
import { userDataDir } from '../../files/paths';
import { type CliOptions, lockRequest } from '../command';
import { backupKeyOf, dbOf } from '../location';
import { writeSession } from '../session';

/**
 * `backup`: a backup now through `backups.create`, as the app's 「今すぐバックアップ」, printed with
 * where it lies. `--list` reads the backup folder itself, without opening the database: it must
 * answer when the database cannot be opened any more, which is when its backups are wanted. A
 * PostgreSQL plan's backups are .plandb snapshots in the folder of its display form.
 */
export async function run(opts: CliOptions): Promise<number> {
  const db = dbOf(opts);
  const folder = backupFolder(userDataDir(), backupKeyOf(db));
  if (opts.list) {
    console.log(JSON.stringify({ folder, backups: listBackups(folder) }, null, 2));
    return 0;
  }
  const session = await writeSession(db, lockRequest(opts));
  try {
    const { id, takenAt, reason, bytes } = await session.api['backups.create']({});
    console.log(JSON.stringify({ id, path: join(folder, id), takenAt, reason, bytes }, null, 2));
    return 0;
  } finally {
    await session.close();
  }
}
