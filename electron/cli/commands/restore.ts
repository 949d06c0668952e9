import { basename } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { userDataDir } from '../../files/paths';
import { Workspace } from '../../workspace/workspace';
import { type CliCommand, dbPathOf, lockRequest } from '../command';

export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'restore --db FILE --from BACKUP                replace the database with one of its backups (see backup --list);\n                                                 what is there now is backed up first',
  options: { from: { type: 'string' } },
  async run(opts) {
    if (typeof opts.from !== 'string')
      throw new AppError('invalid_arguments', '--from で戻すバックアップを指定してください（backup --list で一覧）。', 'restore needs --from BACKUP');
    const ws = new Workspace('cli', userDataDir());
    try {
      // The writer lock first: refused while the app or the browser mode has the file open.
      await ws.open(dbPathOf(opts), lockRequest(opts));
      await ws.restore(basename(opts.from));
      console.log(`restored ${ws.current.path} from ${basename(opts.from)}`);
      return 0;
    } finally {
      ws.close();
    }
  },
};
