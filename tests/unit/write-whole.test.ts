import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileWhole } from '../../electron/files/write-whole';
import { tempDir } from '../helpers/temp';

/** An export, hand-out or dump is written whole or not at all: a failed write keeps the previous file. */

let dir: ReturnType<typeof tempDir>;
const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).reverse().forEach((c) => c());
  dir.cleanup();
});

describe('writeFileWhole', () => {
  it('replaces the previous file with the new bytes and leaves no temporary file', () => {
    dir = tempDir();
    const path = join(dir.dir, '中期事業計画.xlsx');
    writeFileSync(path, 'previous export');
    writeFileWhole(path, Buffer.from('new export'));
    expect(readFileSync(path, 'utf8')).toBe('new export');
    expect(readdirSync(dir.dir)).toEqual(['中期事業計画.xlsx']);
  });

  const mountable = process.platform === 'linux' && process.getuid?.() === 0;
  it.skipIf(!mountable)('keeps the previous file whole when the disk fills up during the write', () => {
    dir = tempDir();
    const disk = join(dir.dir, 'disk');
    mkdirSync(disk);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk]).status !== 0) return;
    cleanups.push(() => void spawnSync('umount', ['-l', disk]));
    const path = join(disk, 'plan-dump.json');
    writeFileSync(path, 'the previous dump');
    expect(() => writeFileWhole(path, Buffer.alloc(256 * 1024, 0x41))).toThrow(/ENOSPC/);
    expect(readFileSync(path, 'utf8')).toBe('the previous dump');
    expect(readdirSync(disk)).toEqual(['plan-dump.json']);
  });
});
