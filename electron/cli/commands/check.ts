import { latestSchemaVersion } from '../../db/migrations/index';
import { checkIntegrity } from '../../db/open';
import { openPlanDatabaseReadOnly } from '../../db/open-read-only';
import { type CliCommand, dbPathOf } from '../command';

export const checkCommand: CliCommand = {
  name: 'check',
  usage: 'check  --db FILE                               integrity check and schema version (reads only: the file is not changed)',
  run(opts) {
    const path = dbPathOf(opts);
    // Read-only: an older file is checked as a migrated private copy; `pendingMigrations` are what the app applies when it opens the file.
    const opened = openPlanDatabaseReadOnly(path);
    try {
      const problems = checkIntegrity(opened.sqlite);
      const result = {
        file: path,
        schemaVersion: opened.fileSchemaVersion ?? opened.schemaVersion,
        appSchemaVersion: latestSchemaVersion,
        migrated: [],
        pendingMigrations: opened.migrated,
        ok: problems.length === 0,
        problems,
      };
      console.log(JSON.stringify(result, null, 2));
      return problems.length === 0 ? 0 : 1;
    } finally {
      opened.sqlite.close();
    }
  },
};
