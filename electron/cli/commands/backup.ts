import { join } from 'node:path';
import { backupFolder, listBackups } from '../../db/backup';
import { userDataDir } from '../../files/paths';
import { type CliOptions, dbPathOf, lockRequest } from '../command';
import { writeSession } from '../session';

/**
 * `backup`: a backup now through `backups.create`, as the app's 「今すぐバックアップ」, printed with
 * where it lies. `--list` reads the backup folder itself, without opening the database: it must
 * answer when the database cannot be opened any more, which is when its backups are wanted.
 */
export async function run(opts: CliOptions): Promise<number> {
  const path = dbPathOf(opts);
  const folder = backupFolder(userDataDir(), path);
  if (opts.list) {
    console.log(JSON.stringify({ folder, backups: listBackups(folder) }, null, 2));
    return 0;
  }
  const session = await writeSession(path, lockRequest(opts));
  try {
    const { id, takenAt, reason, bytes } = await session.api['backups.create']({});
    console.log(JSON.stringify({ id, path: join(folder, id), takenAt, reason, bytes }, null, 2));
    return 0;
  } finally {
    await session.close();
  }
}
