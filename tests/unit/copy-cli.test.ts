import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backupFolder, listBackups } from '../../electron/db/backup';
import type { PlanDb } from '../../electron/db/plan-db';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { createDatabase } from '../../electron/workspace/create-database';
import { locationState, runCliCaptured } from '../helpers/cli-capture';
import { reopen } from '../helpers/engines';
import { freshPostgresDatabase, type FreshDatabase, testServerUrl } from '../helpers/pg-database';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * `npm run plan -- copy` and `init` on PostgreSQL: a whole plan with its change log moved between a
 * file and PostgreSQL both ways, the dump of every copy identical to the original's; a target that
 * holds a plan refused without --force (nothing changed) and backed up with it. The password given
 * in a URL is never printed.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
let t: ReturnType<typeof tempDir>;
let seedFile: string;
beforeAll(async () => {
  t = tempDir();
  vi.stubEnv('PLAN_WORKBENCH_USER_DATA', join(t.dir, 'userdata'));
  seedFile = join(t.dir, 'seed.plandb');
  await (await createDatabase(seedFile, realSeeds())).db.close();
});
afterAll(() => {
  vi.unstubAllEnvs();
  t.cleanup();
});

async function database(): Promise<FreshDatabase> {
  const d = await freshPostgresDatabase();
  cleanups.push(d.drop);
  return d;
}

/** The `dump` command's output: what "identical" is compared on. */
async function dumpOf(location: string): Promise<string> {
  const r = await runCliCaptured('dump', '--db', location);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function withPlan<T>(location: string, fn: (db: PlanDb) => Promise<T>): Promise<T> {
  const opened = await reopen(location);
  try {
    return await fn(opened.db);
  } finally {
    await opened.db.close();
  }
}

/** The change log, every column of every row in id order. */
const changeLog = (location: string) =>
  withPlan(location, async (db) => ({
    sets: await db.q.selectFrom('change_set').selectAll().orderBy('id').execute(),
    changes: await db.q.selectFrom('change').selectAll().orderBy('id').execute(),
  }));

/** The test server's password (in every URL the tests give), never in what a command prints. */
const noPassword = (r: { stdout: string; stderr: string }) => {
  const password = decodeURIComponent(new URL(testServerUrl()).password);
  expect(password.length).toBeGreaterThan(3);
  expect(`${r.stdout}\n${r.stderr}`).not.toContain(password);
};

describe('copy between a file and PostgreSQL', { timeout: 300_000 }, () => {
  it('seed file → PostgreSQL → a new file: the dumps of the three are byte-identical, and so is the change log', async () => {
    const pgDb = await database();
    const back = join(t.dir, 'back', 'copied.plandb');
    const there = await runCliCaptured('copy', '--from', seedFile, '--to', pgDb.url);
    expect(there.code, there.stderr).toBe(0);
    expect(there.stdout).toContain(`copied ${seedFile} to ${pgDb.location.display}`);
    expect(there.stdout).toMatch(/^ {2}change: [1-9]\d*$/m);
    noPassword(there);
    const again = await runCliCaptured('copy', '--from', pgDb.url, '--to', back);
    expect(again.code, again.stderr).toBe(0);
    noPassword(again);
    // A plan file, renamed into place: nothing left beside it.
    expect(readdirSync(join(t.dir, 'back'))).toEqual(['copied.plandb']);

    const original = await dumpOf(seedFile);
    expect(original.length).toBeGreaterThan(1000);
    expect(await dumpOf(pgDb.url)).toBe(original);
    expect(await dumpOf(back)).toBe(original);
    const log = await changeLog(seedFile);
    expect(log.changes.length).toBeGreaterThan(0);
    expect(await changeLog(pgDb.url)).toEqual(log);
    expect(await changeLog(back)).toEqual(log);
  });

  it('an edited plan on PostgreSQL copied to another database and back keeps its edit and its undo history', async () => {
    const a = await database();
    const b = await database();
    expect((await runCliCaptured('copy', '--from', seedFile, '--to', a.url)).code).toBe(0);
    await withPlan(a.url, async (db) => {
      const row = await db.q.selectFrom('action_row').select('id').orderBy('id').executeTakeFirstOrThrow();
      await applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: '共有した計画で直した値' }]);
    });
    const r = await runCliCaptured('copy', '--from', a.url, '--to', b.url);
    expect(r.code, r.stderr).toBe(0);
    const file = join(t.dir, 'edited.plandb');
    expect((await runCliCaptured('copy', '--from', b.url, '--to', file)).code).toBe(0);
    const dump = await dumpOf(a.url);
    expect(dump).toContain('共有した計画で直した値');
    expect(await dumpOf(b.url)).toBe(dump);
    expect(await dumpOf(file)).toBe(dump);
    expect(await changeLog(file)).toEqual(await changeLog(a.url));
  });

  it('refuses a target that holds a plan without --force, changing nothing; with --force replaces it after a backup', async () => {
    const pgDb = await database();
    expect((await runCliCaptured('copy', '--from', seedFile, '--to', pgDb.url)).code).toBe(0);
    const other = join(t.dir, 'other.plandb');
    await (await createDatabase(other, { ...realSeeds() })).db.close();
    await withPlan(other, async (db) => {
      const row = await db.q.selectFrom('action_row').select('id').orderBy('id').executeTakeFirstOrThrow();
      await applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: '上書きされる側の値' }]);
    });
    for (const [from, to] of [
      [other, pgDb.url],
      [pgDb.url, other],
    ] as const) {
      const before = await locationState(to);
      const r = await runCliCaptured('copy', '--from', from, '--to', to);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^エラー: .*--force を付けてください.*何も変更していません。$/m);
      expect(r.stderr).toMatch(/^error: /m);
      noPassword(r);
      expect(await locationState(to)).toEqual(before);
    }
    expect(readdirSync(t.dir).filter((f) => f.startsWith('.other'))).toEqual([]);

    // --force: the PostgreSQL plan becomes the file's, the plan it held is kept as a backup.
    const forced = await runCliCaptured('copy', '--from', other, '--to', pgDb.url, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/kept as backup \d{8}-\d{9}-replace\.plandb/);
    noPassword(forced);
    expect(await dumpOf(pgDb.url)).toBe(await dumpOf(other));
    const backups = listBackups(backupFolder(join(t.dir, 'userdata'), pgDb.location.display));
    expect(backups.map((b) => b.reason)).toEqual(['replace']);
    // The backup is a plan file holding what the database held: the seed plan.
    expect(await dumpOf(backups[0]!.path)).toBe(await dumpOf(seedFile));

    // And a file replaced with --force, backed up too.
    const fileForced = await runCliCaptured('copy', '--from', seedFile, '--to', other, '--force');
    expect(fileForced.code, fileForced.stderr).toBe(0);
    expect(await dumpOf(other)).toBe(await dumpOf(seedFile));
    expect(listBackups(backupFolder(join(t.dir, 'userdata'), other)).map((b) => b.reason)).toEqual(['replace']);
  });

  it('refuses a copy onto itself and a missing --to', async () => {
    const pgDb = await database();
    for (const args of [
      ['--from', seedFile, '--to', seedFile],
      ['--from', pgDb.url, '--to', pgDb.url],
      ['--from', seedFile],
    ]) {
      const r = await runCliCaptured('copy', ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^エラー: .*(同じデータベース|--to)/m);
      noPassword(r);
    }
    expect(await locationState(pgDb.url)).toEqual({});
  });
});

describe('init and check on PostgreSQL', { timeout: 300_000 }, () => {
  it('init fills an empty database from the seeds (the dump of a file made by init), refuses one holding a plan without --force', async () => {
    const pgDb = await database();
    const r = await runCliCaptured('init', '--db', pgDb.url);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^created ${pgDb.location.display.replace(/[.?]/g, '\\$&')} \\(schema version \\d+\\)`));
    noPassword(r);
    const file = join(t.dir, 'init.plandb');
    expect((await runCliCaptured('init', '--db', file)).code).toBe(0);
    // Built by the same builder: the same plan, ids, and change log (times apart).
    const normalise = (dump: string) => dump.replace(/"\d{4}-\d\d-\d\dT[^"]*"/g, '"<time>"');
    expect(normalise(await dumpOf(pgDb.url))).toBe(normalise(await dumpOf(file)));

    const before = await locationState(pgDb.url);
    const again = await runCliCaptured('init', '--db', pgDb.url);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');
    expect(await locationState(pgDb.url)).toEqual(before);
    const forced = await runCliCaptured('init', '--db', pgDb.url, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^replaced .*kept as backup/);
    noPassword(forced);
  });

  it('check reports the format row, the schema version, the rows checked, and that the server enforces the constraints', async () => {
    const pgDb = await database();
    expect((await runCliCaptured('copy', '--from', seedFile, '--to', pgDb.url)).code).toBe(0);
    const before = await locationState(pgDb.url);
    const r = await runCliCaptured('check', '--db', pgDb.url);
    expect(r.code, r.stderr).toBe(0);
    noPassword(r);
    const result = JSON.parse(r.stdout) as { database: string; format: { application: string; version: number }[]; schemaVersion: number; rows: Record<string, number>; constraints: string; ok: boolean };
    expect(result.database).toBe(pgDb.location.display);
    expect(result.format).toEqual([{ application: 'plan-workbench', version: result.schemaVersion }]);
    expect(result.rows.unit).toBeGreaterThan(0);
    expect(result.constraints).toContain('PostgreSQL サーバー');
    expect(result.ok).toBe(true);
    expect(await locationState(pgDb.url)).toEqual(before);
  });
});
