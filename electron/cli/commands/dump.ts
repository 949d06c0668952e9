import { resolve } from 'node:path';
import { openPlanDatabaseReadOnly } from '../../db/open-read-only';
import { dumpPlan } from '../../seed/dump';
import { type CliCommand, dbPathOf } from '../command';
import { writeFileWhole } from '../../files/write-whole';

export const dumpCommand: CliCommand = {
  name: 'dump',
  usage: 'dump   --db FILE [--out FILE]                  the whole plan as JSON in the seed shape',
  options: { out: { type: 'string' } },
  run(opts) {
    const opened = openPlanDatabaseReadOnly(dbPathOf(opts));
    try {
      const json = JSON.stringify(dumpPlan(opened.sqlite), null, 2) + '\n';
      if (typeof opts.out === 'string') writeFileWhole(resolve(opts.out), json);
      else process.stdout.write(json);
      return 0;
    } finally {
      opened.sqlite.close();
    }
  },
};
