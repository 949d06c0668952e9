import { latestSchemaVersion } from '../../db/migrations/index';
import { checkIntegrity } from '../../db/open';
import { openPlanDatabaseReadOnly } from '../../db/open-read-only';
import { postgresSchemaVersion } from '../../db/postgres-schema';
import type { CliOptions } from '../command';
import { type CliDb, dbOf } from '../location';
import { openLocationReadOnly } from '../../workspace/read-location';
import { checkPostgresPlan, enforcedByServer } from '../postgres-check';

/**
 * `check`: integrity and schema version, read only (no contract method: the app checks a plan by
 * opening it). A file: SQLite's integrity and foreign key checks. PostgreSQL: the format row, the
 * schema version and every value against the field rules (the server enforces the constraints).
 */
export async function run(opts: CliOptions): Promise<number> {
  const db = dbOf(opts);
  return db.kind === 'file' ? checkFile(db.path) : checkPostgres(db);
}

async function checkFile(path: string): Promise<number> {
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

async function checkPostgres(db: CliDb): Promise<number> {
  // Refuses a database that is not a plan, is newer, or needs migrating (a read-only command does not migrate).
  const opened = await openLocationReadOnly(db.text);
  try {
    const { format, rows, problems } = await checkPostgresPlan(opened.db);
    const result = {
      database: db.display,
      engine: 'postgres',
      format,
      schemaVersion: opened.schemaVersion,
      appSchemaVersion: postgresSchemaVersion,
      migrated: [],
      pendingMigrations: [],
      rows,
      constraints: enforcedByServer,
      ok: problems.length === 0,
      problems,
    };
    console.log(JSON.stringify(result, null, 2));
    return problems.length === 0 ? 0 : 1;
  } finally {
    await opened.db.close();
  }
}
