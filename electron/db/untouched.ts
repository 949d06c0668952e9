import { chmodSync, closeSync, copyFileSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors/app-error';
import { WriterLock } from './writer-lock';
import { makePrivateTemp, type PrivateTemp } from '../files/private-temp';

type Sqlite = Database.Database;

/**
 * Reading a SQLite file without changing a byte of it or of its -wal, -shm or -journal, and
 * without leaving files that were not there:
 *
 * - a rollback-journal file with no journal beside it: a read-only connection (writes nothing);
 * - a WAL-mode file with no -wal: an in-memory copy (a read-only connection would create -wal and
 *   -shm and leave them behind);
 * - a file with a -wal or a hot -journal beside it, or a WAL-mode file with its writer's -wal and
 *   -shm, while a running app holds its writer lock (in any thread of any process: a job worker
 *   reads the plan its own process writes) or when the caller is about to open it for writing
 *   anyway (`sidesInPlace`): a read-only connection that shares that WAL (SQLite readers are safe
 *   beside the writer; it sees every committed edit, checkpointed or not, and copies nothing);
 * - the same without a running writer (left by a crash): a copy of the file and its side files in
 *   a private temporary folder, where SQLite recovers them; the originals stay as they are.
 */

/** Above this, a copy goes to a private temporary folder instead of memory; side files above it are not copied at all. */
export const IN_MEMORY_MAX_BYTES = 256 * 1024 * 1024;

function header(path: string, length = 100): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(length);
    readSync(fd, b, 0, length, 0);
    return b;
  } finally {
    closeSync(fd);
  }
}

const sized = (path: string) => statSync(path).size;

/** A -wal that holds committed frames starts with one of the two WAL magic numbers; anything else SQLite ignores. */
function walHasFrames(walPath: string): boolean {
  try {
    if (sized(walPath) < 32 + 24) return false;
    const magic = header(walPath).readUInt32BE(0);
    return magic === 0x377f0682 || magic === 0x377f0683;
  } catch {
    return false;
  }
}

function nonEmpty(path: string): boolean {
  try {
    return sized(path) > 0;
  } catch {
    return false;
  }
}

/** Runs `cleanup` when the connection closes (every caller closes with `sqlite.close()`). */
/**
 * Who wrote a file that was closed cleanly (no -wal frames, no hot journal beside it), from its
 * first page alone: application_id and user_version from the header, and whether the schema holds
 * anything from the first page's b-tree header. Null when only SQLite itself can tell (a -wal or
 * journal may hold a newer first page, the header is not SQLite's, or user_version is 0, where the
 * exact table count is part of the message). Opening a plan used to copy it whole into memory
 * twice to learn this, at every start.
 */
export function identityFromHeader(path: string): { applicationId: number; userVersion: number; tableCount: number } | null {
  if (walHasFrames(`${path}-wal`) || nonEmpty(`${path}-journal`)) return null;
  let head: Buffer;
  try {
    head = header(path, 108);
  } catch {
    return null;
  }
  if (head.subarray(0, 16).toString('latin1') !== 'SQLite format 3\0') return null;
  const userVersion = head.readInt32BE(60);
  const applicationId = head.readInt32BE(68);
  const pageType = head[100];
  // 0x0D: the schema fits in one leaf page (its cell count is the number of schema objects); 0x05: it spans pages.
  if (userVersion <= 0 || (pageType !== 0x0d && pageType !== 0x05)) return null;
  return { applicationId, userVersion, tableCount: pageType === 0x05 ? Number.MAX_SAFE_INTEGER : head.readUInt16BE(103) };
}

export function onClose(sqlite: Sqlite, cleanup: () => void): void {
  const close = sqlite.close.bind(sqlite);
  (sqlite as { close: unknown }).close = () => {
    try {
      return close();
    } finally {
      cleanup();
    }
  };
}

/** A private temp folder (electron/files/private-temp.ts): 0700, removed when closed or at exit, swept after a kill. */
export function privateFolder(): PrivateTemp {
  return makePrivateTemp('read-copy');
}

/** Copies the file and `sides` into a private folder; returns the copy's path and how to remove it. */
export function privateCopyOf(path: string, sides: readonly string[]): { copy: string; remove: () => void } {
  const folder = privateFolder();
  try {
    const copy = join(folder.dir, basename(path));
    for (const s of ['', ...sides]) {
      copyFileSync(path + s, copy + s);
      // A copy keeps the original's mode: one from read-only media would be a read-only copy.
      chmodSync(copy + s, 0o600);
    }
    return { copy, remove: folder.remove };
  } catch (e) {
    folder.remove();
    throw e;
  }
}

export interface Untouched {
  sqlite: Sqlite;
  /** The side files that hold content of the file (copied along when a private copy is made). */
  sides: string[];
  /** True when `sqlite` is a private copy on disk (writable, gone when closed). */
  privateCopy: boolean;
}

/**
 * A connection that reads `path` as it is (see the top of this file). `sidesInPlace`: the caller
 * opens the file for writing next, so side files it finds may be used in place.
 */
export function readUntouched(path: string, options: { sidesInPlace?: boolean } = {}): Untouched {
  const name = basename(path);
  const head = header(path);
  const walMode = head[18] === 2 || head[19] === 2;
  const sides = [walMode && walHasFrames(`${path}-wal`) ? '-wal' : null, !walMode && nonEmpty(`${path}-journal`) ? '-journal' : null].filter((s): s is string => s !== null);
  // A running writer keeps the -wal and -shm, so a reader beside it creates nothing (even right after a checkpoint).
  const writerSides = walMode && existsSync(`${path}-wal`) && existsSync(`${path}-shm`);
  if ((sides.length > 0 && options.sidesInPlace) || ((sides.length > 0 || writerSides) && WriterLock.heldByLiveWriter(path)))
    return { sqlite: new Database(path, { readonly: true, fileMustExist: true, timeout: 2000 }), sides, privateCopy: false };
  if (sides.length > 0) {
    const pending = sides.reduce((n, s) => n + sized(path + s), 0);
    // Copying gigabytes of unsaved changes to read them could fill the disk: the app folds them in instead.
    if (pending > IN_MEMORY_MAX_BYTES)
      throw new AppError(
        'database_busy',
        `「${name}」の横に、書き戻されていない変更のファイル（${name}${sides[0]}、${(pending / 1024 ** 3).toFixed(1)} GB）があります。読み取り専用のコマンドでは扱えない大きさです。アプリで一度開いて閉じると書き戻されます（そのときバックアップも作られます）。ファイルは変更していません。`,
        `${path}: ${pending} bytes of ${sides.join(', ')} without a running writer; too large to read through a private copy`,
      );
  }
  if (sides.length === 0 && !walMode) return { sqlite: new Database(path, { readonly: true, fileMustExist: true, timeout: 2000 }), sides, privateCopy: false };
  // A writer opens the file next and removes the -wal/-shm when it closes: no need to copy a big file to read its header.
  if (sides.length === 0 && options.sidesInPlace && sized(path) > IN_MEMORY_MAX_BYTES) return { sqlite: new Database(path, { readonly: true, fileMustExist: true, timeout: 2000 }), sides, privateCopy: false };
  if (sides.length === 0 && sized(path) <= IN_MEMORY_MAX_BYTES) {
    const bytes = readFileSync(path);
    // The in-memory engine has no WAL: mark the copy (not the file) as a rollback-journal database.
    bytes[18] = 1;
    bytes[19] = 1;
    return { sqlite: new Database(bytes), sides, privateCopy: false };
  }
  const { copy, remove } = privateCopyOf(path, sides);
  try {
    const sqlite = new Database(copy, { fileMustExist: true });
    onClose(sqlite, remove);
    return { sqlite, sides, privateCopy: true };
  } catch (e) {
    remove();
    throw e;
  }
}
