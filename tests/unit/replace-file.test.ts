import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replaceFile } from '../../electron/db/replace-file';
import { tempDir } from '../helpers/temp';

/** Replacing a plan file never loses the old file's latest edits (its -wal) when the replacement fails. */

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir.cleanup());

describe('replaceFile', () => {
  it('puts the new file in place and removes the old side files, leaving nothing else behind', () => {
    dir = tempDir();
    const target = join(dir.dir, 'plan.plandb');
    writeFileSync(target, 'old');
    writeFileSync(`${target}-wal`, 'old wal');
    writeFileSync(`${target}-shm`, 'old shm');
    const built = join(dir.dir, '.plan.plandb.new');
    writeFileSync(built, 'new');
    replaceFile(built, target);
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir.dir)).toEqual(['plan.plandb']);
  });

  it('keeps the old file and its -wal and -shm as they were when the rename fails', () => {
    dir = tempDir();
    const target = join(dir.dir, 'plan.plandb');
    writeFileSync(target, 'old');
    writeFileSync(`${target}-wal`, 'old wal: the latest acknowledged edits');
    writeFileSync(`${target}-shm`, 'old shm');
    // The built file is gone (as if removed under us): the rename fails.
    expect(() => replaceFile(join(dir.dir, '.missing'), target)).toThrow();
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readFileSync(`${target}-wal`, 'utf8')).toBe('old wal: the latest acknowledged edits');
    expect(readFileSync(`${target}-shm`, 'utf8')).toBe('old shm');
    expect(existsSync(`${target}-journal`)).toBe(false);
    expect(readdirSync(dir.dir).sort()).toEqual(['plan.plandb', 'plan.plandb-shm', 'plan.plandb-wal']);
  });
});
