import { resolve } from 'node:path';
import { openPlanDatabaseReadOnly } from '../../db/open-read-only';
import { dumpPlan } from '../../seed/dump';
import { type CliOptions, dbPathOf } from '../command';
import { writeFileWhole } from '../../files/write-whole';

/** `dump`: the whole plan as JSON in the seed shape (the command line's own: the app has no such method). */
export async function run(opts: CliOptions): Promise<number> {
  const opened = openPlanDatabaseReadOnly(dbPathOf(opts));
  try {
    const json = JSON.stringify(await dumpPlan(opened.db), null, 2) + '\n';
    if (typeof opts.out === 'string') writeFileWhole(resolve(opts.out), json);
    else process.stdout.write(json);
    return 0;
  } finally {
    await opened.db.close();
  }
}
