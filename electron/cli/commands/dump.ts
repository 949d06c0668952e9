import { resolve } from 'node:path';
import { openPlanDatabaseReadOnly } from '../../db/open-read-only';
import { dumpPlan } from '../../seed/dump';
import { type CliOptions, dbPathOf } from '../command';
import { writeFileWhole } from '../../files/write-whole';

/** `dump`: the whole plan as JSON in the seed shape (the command line's own: the app has no such method). */
export function run(opts: CliOptions): number {
  const opened = openPlanDatabaseReadOnly(dbPathOf(opts));
  try {
    const json = JSON.stringify(dumpPlan(opened.sqlite), null, 2) + '\n';
    if (typeof opts.out === 'string') writeFileWhole(resolve(opts.out), json);
    else process.stdout.write(json);
    return 0;
  } finally {
    opened.sqlite.close();
  }
}
