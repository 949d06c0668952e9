import { resolve } from 'node:path';
import { AppError } from '../../shared/errors/app-error';
import { type DbLocation, parseDbLocation, type PostgresLocation } from '../db/db-location';
import { canonicalPath } from '../db/real-path';
import { defaultDatabasePath } from '../files/paths';
import type { CliOptions } from './command';

/**
 * The database a command names (--db, and copy's --from and --to): a plan file or a PostgreSQL
 * database (electron/db/db-location.ts), parsed once here. A file is kept as its real path (a
 * symlink reaches the same file, lock and backups); a PostgreSQL database by the text the user gave
 * (what the workspace opens: it holds the password, so it is never printed) and its display form
 * (what every message and line of output shows).
 */
export type CliDb =
  | { kind: 'file'; path: string; text: string; display: string }
  | { kind: 'postgres'; location: PostgresLocation; text: string; display: string };

/** The location `text` names, parsed (a bad URL or connection file is refused here, with its message). */
export function cliDbOf(text: string): CliDb {
  const location: DbLocation = parseDbLocation(text);
  if (location.kind === 'file') {
    const path = canonicalPath(resolve(location.path));
    return { kind: 'file', path, text: path, display: path };
  }
  return { kind: 'postgres', location, text, display: location.display };
}

/** --db (or another option naming a database, e.g. copy's --from): the app's default database file when it is not given. */
export function dbOf(opts: CliOptions, option = 'db'): CliDb {
  const value = opts[option];
  if (value === undefined && option === 'db') return cliDbOf(defaultDatabasePath());
  if (typeof value !== 'string' || value === '')
    throw new AppError('invalid_arguments', `--${option} にデータベース（ファイルか postgres:// の接続先）を指定してください。`, `--${option} FILE|URL is required`);
  return cliDbOf(value);
}

/** Where the backups of the database are kept: keyed by the file's path, or by a PostgreSQL plan's display form (as the workspace keys them). */
export const backupKeyOf = (db: CliDb) => (db.kind === 'file' ? db.path : db.display);
