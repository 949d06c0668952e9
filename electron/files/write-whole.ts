import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file the user keeps (an export, a hand-out workbook, a dump the plan can be rebuilt
 * from) whole or not at all: the bytes go to a hidden file beside it, are synced, and then take
 * its name in one rename. A full disk or a killed process leaves the previous file as it was,
 * never a truncated one under the real name.
 */
export function writeFileWhole(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.writing-${process.pid}-${randomBytes(4).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
}
