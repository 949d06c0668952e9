import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { sqlitePlanDb } from './sqlite-engine';
import { AppError } from '../../shared/errors/app-error';
import { latestSchemaVersion } from './migrations/index';
import { checkContents, checkIdentity, emptyFile, type FileIdentity, type OpenedDatabase, openPlanDatabase, refuseFolder, type Sqlite } from './open';
import { findOverLongText, overLongNotice } from './over-long-text';
import { onClose, privateCopyOf, readUntouched } from './untouched';

/**
 * Opening a plan database for reading only (check, dump, rollup, export, handout, an import
 * preview, a file on read-only media): nothing of the file or beside it changes (untouched.ts).
 * An older schema is read from a private copy migrated there: a planner reading an old plan
 * expects to see it as the app shows it, and expects the file not to change until the app itself
 * opens it (after a backup); so the command reads the migrated copy and reports the file's own
 * version. Writes on what is opened are refused with a message (guardWrites).
 */

const SQLITE_MAGIC = 'SQLite format 3\0';

export const readOnlyError = (name: string) =>
  new AppError(
    'read_only',
    `「${name}」は読み取り専用で開いているため、変更できません（読み取り専用の場所にあるか、読み取り用のコマンドです）。変更するには、書き込める場所にコピーしてから開いてください。`,
    `${name} is open read-only; write refused`,
  );

/**
 * Refuses every statement that would write, with a message instead of SQLite's English (or, on a
 * private copy, instead of a write nobody would ever see). Callers keep using `sqlite.prepare`.
 */
function guardWrites(sqlite: Sqlite, name: string): void {
  const prepare = sqlite.prepare.bind(sqlite) as (...a: unknown[]) => Database.Statement;
  // better-sqlite3's pragma() and transaction() call prepare() with extra internal arguments: pass them on.
  (sqlite as { prepare: unknown }).prepare = (...args: unknown[]) => {
    const statement = prepare(...args);
    if (!statement.readonly && !/^\s*pragma\b/i.test(String(args[0]))) throw readOnlyError(name);
    return statement;
  };
  (sqlite as { exec: unknown }).exec = () => {
    throw readOnlyError(name);
  };
}

function identityOf(sqlite: Sqlite): FileIdentity {
  return {
    applicationId: sqlite.pragma('application_id', { simple: true }) as number,
    userVersion: sqlite.pragma('user_version', { simple: true }) as number,
    tableCount: (sqlite.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number }).n,
  };
}

/** The first 16 bytes (SQLite's magic string), without a connection. */
function firstBytes(path: string): string {
  const b = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    return b.toString('latin1', 0, readSync(fd, b, 0, 16, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens `path` for reading only. `readOnly` is true on the result; `fileSchemaVersion` is the
 * file's own schema version (a migrated private copy may be what is open). `asIs`: read the file
 * as it is, without migrating (a backup of it). A file of an earlier schema holding a text over the
 * new length limits is read as it is too, with `notice` saying which text and what to do.
 */
export function openPlanDatabaseReadOnly(path: string, options: { asIs?: boolean } = {}): OpenedDatabase {
  const name = basename(path);
  if (!existsSync(path)) throw new AppError('not_found', `ファイル「${name}」が見つかりません。`, `${path} does not exist`);
  refuseFolder(path);
  if (statSync(path).size === 0) throw emptyFile(path);
  if (firstBytes(path) !== SQLITE_MAGIC) throw new AppError('database_foreign', `「${name}」は計画データベースではないか、壊れています。`, `${path} is not a SQLite database`);

  let untouched;
  try {
    untouched = readUntouched(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
      throw new AppError('database_foreign', `「${name}」は計画データベースではないか、壊れています。`, `${path} is not a SQLite database or is damaged (${String(code)})`);
    throw e;
  }
  let sqlite = untouched.sqlite;
  let migrated: number[] = [];
  try {
    const identity = identityOf(sqlite);
    checkIdentity(path, identity);
    checkContents(path, identity);
    if (identity.tableCount === 0) throw emptyFile(path);
    // A text too long for the new schema is not cut: the file is read as it is (same columns), with a notice.
    const over = !options.asIs && identity.userVersion < latestSchemaVersion ? findOverLongText(sqlite) : null;
    const notice = over ? overLongNotice(path, over) : undefined;
    const asIs = options.asIs === true || notice !== undefined;
    if (!asIs && identity.userVersion < latestSchemaVersion) {
      // An older schema: read it as the app would show it, from a migrated private copy.
      sqlite.close();
      const { copy, remove } = privateCopyOf(path, untouched.sides);
      try {
        const opened = openPlanDatabase(copy, { create: false });
        if (opened.db.engine !== 'sqlite') throw new Error('a private copy is a SQLite file');
        sqlite = opened.db.sqlite;
        migrated = opened.migrated;
        onClose(sqlite, remove);
      } catch (e) {
        remove();
        throw e;
      }
    }
    sqlite.pragma('foreign_keys = ON');
    guardWrites(sqlite, name);
    const schemaVersion = asIs ? identity.userVersion : latestSchemaVersion;
    return { db: sqlitePlanDb(sqlite), path, schemaVersion, migrated, readOnly: true, fileSchemaVersion: identity.userVersion, ...(notice ? { notice } : {}) };
  } catch (e) {
    if (sqlite.open) sqlite.close();
    throw e;
  }
}
