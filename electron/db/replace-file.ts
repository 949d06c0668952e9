import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** SQLite's files beside a database: they belong to the content of the file they sit beside. */
export const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/**
 * A temporary name in the same folder as `target` (so the final rename stays on one disk and is
 * atomic), hidden, and unique to this attempt.
 */
export function besidePath(target: string, tag: string): string {
  return join(dirname(target), `.${basename(target)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Removes a database file that was never handed out (a half-built temporary), with its side files. */
export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', ...SIDE_FILES])
    try {
      rmSync(path + suffix, { force: true });
    } catch {
      // Its folder is not there (or not a folder): nothing was written.
    }
}

function syncPath(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // A folder cannot be opened for syncing on Windows: its rename is durable anyway.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Replaces `target` with the complete, closed database `built` in one rename. The old file's -wal,
 * -shm and -journal must not stay beside the new file (SQLite would replay the old WAL onto it), but
 * neither may they be lost while the old file is still the one in place: they are moved aside
 * first, the new file is renamed into place, and only then are they deleted. When the rename fails
 * (on Windows a reader or a virus scanner holding the file gives EPERM/EBUSY) they are put back, so
 * the old plan stays whole with its latest edits. The caller holds the writer lock (nobody has the
 * old file open) and has backed the old file up.
 */
export function replaceFile(built: string, target: string): void {
  syncPath(built);
  const aside: [string, string][] = [];
  try {
    for (const s of SIDE_FILES) {
      const moved = besidePath(target, `old${s}`);
      try {
        renameSync(target + s, moved);
        aside.push([moved, target + s]);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    renameSync(built, target);
  } catch (e) {
    for (const [moved, original] of aside) renameSync(moved, original);
    throw e;
  }
  for (const [moved] of aside) rmSync(moved, { force: true });
  syncPath(dirname(target));
}
