import { latestSchemaVersion } from '../../db/migrations/index';
import { checkIntegrity, openPlanDatabase } from '../../db/open';
import { type CliCommand, dbPathOf } from '../command';

export const checkCommand: CliCommand = {
  name: 'check',
  usage: 'check  --db FILE                               integrity check and schema version',
  run(opts) {
    const path = dbPathOf(opts);
    const opened = openPlanDatabase(path, { create: false });
    try {
      const problems = checkIntegrity(opened.sqlite);
      const result = { file: path, schemaVersion: opened.schemaVersion, appSchemaVersion: latestSchemaVersion, migrated: opened.migrated, ok: problems.length === 0, problems };
      console.log(JSON.stringify(result, null, 2));
      return problems.length === 0 ? 0 : 1;
    } finally {
      opened.sqlite.close();
    }
  },
};
