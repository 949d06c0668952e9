import { basename } from 'node:path';
import { AppError } from '../../../shared/errors/app-error';
import { excerpt } from '../../../shared/text/excerpt';
import { type CliOptions, lockRequest } from '../command';
import { dbOf } from '../location';
import { writeSession } from '../session';

/** `restore`: `backups.restore` as the app's backup screen does it (what is there now is backed up first). */
export async function run(opts: CliOptions): Promise<number> {
  if (typeof opts.from !== 'string') throw new AppError('invalid_arguments', '--from で戻すバックアップを指定してください（backup --list で一覧）。', 'restore needs --from BACKUP');
  const id = basename(opts.from);
  if (!id.endsWith('.plandb'))
    throw new AppError('invalid_arguments', `「${excerpt(id)}」はバックアップのファイル名ではありません。backup --list で一覧を見て、その id を --from に指定してください。`, `--from ${id}: not a backup file name`);
  // The writer lock first: refused while the app or the browser mode has the file open.
  const session = await writeSession(dbOf(opts), lockRequest(opts));
  try {
    await session.api['backups.restore']({ id });
    console.log(`restored ${session.ws.current.path} from ${id}`);
    return 0;
  } finally {
    await session.close();
  }
}
