import { resolve } from 'node:path';
import { latestSchemaVersion } from '../../db/migrations/index';
import { readSeedDirectory, readSeedDump } from '../../seed/read-seeds';
import { createDatabase } from '../../services/create-database';
import { seedsDirectory } from '../../services/seeds-location';
import { type CliCommand, dbPathOf } from '../command';

export const initCommand: CliCommand = {
  name: 'init',
  usage: 'init   --db FILE [--from DUMP.json] [--force]   create a plan database from the embedded seeds (or a dump);\n                                                 refuses to overwrite an existing file without --force',
  options: { from: { type: 'string' }, force: { type: 'boolean' } },
  run(opts) {
    const path = dbPathOf(opts);
    const from = typeof opts.from === 'string' ? resolve(opts.from) : undefined;
    const bundle = from ? readSeedDump(from) : readSeedDirectory(seedsDirectory());
    const opened = createDatabase(path, bundle, { force: opts.force === true, source: from ?? 'seeds/' });
    opened.sqlite.close();
    console.log(`created ${path} (schema version ${latestSchemaVersion})`);
    return 0;
  },
};
