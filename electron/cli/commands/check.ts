import { latestSchemaVersion } from '../../db/migrations/index';
import { checkIntegrity } from '../../db/open';
import { openPlanDatabaseReadOnly } from '../../db/open-read-only';
import { type CliOptions, dbPathOf } from '../command';

/** `check`: integrity and schema version, read only (no contract method: the app checks a file by opening it). */
export async function run(opts: CliOptions): Promise<number> {
  const path = dbPathOf(opts);
  // Read-only: an older file is checked as a migrated private copy; `pendingMigrations` are what the app applies when it opens the file.
  const opened = openPlanDatabaseReadOnly(path);
  try {
    // The file itself is checked (SQLite's integrity_check): what opens read-only here is always a SQLite file.
    const db = opened.db;
    if (db.engine !== 'sqlite') throw new Error('check reads a plan file');
    const problems = checkIntegrity(db.sqlite);
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
    await opened.db.close();
  }
}
