import { backupFolder, listBackups } from '../../db/backup';
import { userDataDir } from '../../files/paths';
import { Workspace } from '../../workspace/workspace';
import { type CliCommand, dbPathOf, lockRequest } from '../command';

export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup --db FILE [--list]                      back the database up now (SQLite online backup) or list its backups',
  options: { list: { type: 'boolean' } },
  async run(opts) {
    const path = dbPathOf(opts);
    if (opts.list) {
      console.log(JSON.stringify({ folder: backupFolder(userDataDir(), path), backups: listBackups(backupFolder(userDataDir(), path)) }, null, 2));
      return 0;
    }
    const ws = new Workspace('cli', userDataDir());
    try {
      await ws.open(path, lockRequest(opts));
      const entry = await ws.backupNow('manual');
      console.log(JSON.stringify(entry, null, 2));
      return 0;
    } finally {
      ws.close();
    }
  },
};
