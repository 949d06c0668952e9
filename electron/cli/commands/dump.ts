import { resolve } from 'node:path';
import { dumpPlan } from '../../seed/dump';
import type { CliOptions } from '../command';
import { dbOf } from '../location';
import { openLocationReadOnly } from '../../workspace/read-location';
import { writeFileWhole } from '../../files/write-whole';

/** `dump`: the whole plan as JSON in the seed shape, from a file or PostgreSQL, read only (the command line's own: the app has no such method). */
export async function run(opts: CliOptions): Promise<number> {
  const opened = await openLocationReadOnly(dbOf(opts).text);
  try {
    const json = JSON.stringify(await dumpPlan(opened.db), null, 2) + '\n';
    if (typeof opts.out === 'string') writeFileWhole(resolve(opts.out), json);
    else process.stdout.write(json);
    return 0;
  } finally {
    await opened.db.close();
  }
}
