import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, backupFolder, listBackups } from '../../electron/db/backup';
import { sqlitePlanDb } from '../../electron/db/sqlite-engine';
import { createDatabase } from '../../electron/workspace/create-database';
import { Workspace } from '../../electron/workspace/workspace';
import { fileState, runCliCaptured } from '../helpers/cli-capture';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * What looks like a failure on the command line and is not one: a -wal of zeros beside the plan
 * is read past (and left as it is), a clock stepped back never rotates away the backup just taken,
 * and an edit session goes on when its daily backup cannot be written, saying why. The refusals,
 * each with its Japanese message and nothing changed, are in cli-failures.test.ts.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let template: string;
beforeAll(async () => {
  const t = tempDir();
  template = join(t.dir, 'template.plandb');
  await (await createDatabase(template, realSeeds())).db.close();
  return () => t.cleanup();
});

describe('a 2.5 GB -wal of zeros (no WAL header: SQLite ignores it)', { timeout: 300_000 }, () => {
  it('read-only commands read the file and leave the -wal as it is', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = join(t.dir, 'plan.plandb');
    copyFileSync(template, db);
    writeFileSync(`${db}-wal`, '');
    spawnSync('truncate', ['-s', '2500M', `${db}-wal`]);
    const before = fileState(db);
    for (const args of [['check', '--db', db], ['dump', '--db', db]]) {
      const r = await runCliCaptured(...args);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(fileState(db)).toEqual(before);
  });
});

describe('backups when the clock is stepped back', () => {
  it('the backup just taken and the newest one are never rotated away', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const folder = join(t.dir, 'backups');
    mkdirSync(folder);
    // Twelve backups "from the future" (the clock was ahead), and one earlier the same day.
    const p = (n: number) => String(n).padStart(2, '0');
    for (let i = 0; i < 12; i++) writeFileSync(join(folder, `20271105-10${p(i)}00000-manual.plandb`), 'x');
    writeFileSync(join(folder, '20261122-230000000-daily.plandb'), 'x');
    const db = sqlitePlanDb(new Database(template, { readonly: true }));
    try {
      for (const now of [new Date(2026, 10, 22, 9, 0, 0), new Date(2026, 10, 22, 9, 0, 1), new Date(2025, 0, 1, 0, 0, 0)]) {
        const taken = await backupDatabase(db, folder, 'daily', now);
        const kept = listBackups(folder).map((b) => b.id);
        expect(kept).toContain(taken.id);
        expect(kept).toContain('20271105-101100000-manual.plandb');
      }
    } finally {
      await db.close();
    }
  });

  it('an edit session goes on when the daily backup cannot be written, and says why', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = join(t.dir, 'plan.plandb');
    copyFileSync(template, db);
    const userData = join(t.dir, 'userdata');
    mkdirSync(join(userData, 'backups'), { recursive: true });
    writeFileSync(backupFolder(userData, db), 'not a folder');
    const ws = new Workspace('t', userData);
    await ws.open(db);
    cleanups.push(() => ws.close());
    expect(ws.readOnly).toBe(false);
    expect(ws.backupProblem?.messageJa).toContain('バックアップの保存先フォルダー');
    await expect(ws.backupNow('manual')).rejects.toMatchObject({ code: 'read_only' });
  });
});
