import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupFolder, listBackups } from '../../electron/db/backup';
import { createDatabase, createDatabaseFile } from '../../electron/workspace/create-database';
import { Workspace } from '../../electron/workspace/workspace';
import { fileState, runCliCaptured } from '../helpers/cli-capture';
import type { PlanDb } from '../../electron/db/plan-db';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const MARK = '置き換え前の計画にだけある記述';

/** A plan database whose first row carries MARK (to tell the old plan from the new), and a dump of the seeds. */
async function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const userData = join(t.dir, 'userdata');
  const previous = process.env.PLAN_WORKBENCH_USER_DATA;
  process.env.PLAN_WORKBENCH_USER_DATA = userData;
  cleanups.push(() => (previous === undefined ? delete process.env.PLAN_WORKBENCH_USER_DATA : (process.env.PLAN_WORKBENCH_USER_DATA = previous)));
  const path = join(t.dir, 'plan.plandb');
  const seedPath = join(t.dir, 'seed-copy.plandb');
  createDatabaseFile(seedPath, realSeeds());
  const dumpPath = join(t.dir, 'dump.json');
  expect((await runCliCaptured('dump', '--db', seedPath, '--out', dumpPath)).code).toBe(0);
  const { db } = createDatabase(path, realSeeds());
  await markFirstRow(db, MARK);
  await db.close();
  return { dir: t.dir, path, userData, dumpPath, dump: JSON.parse(readFileSync(dumpPath, 'utf8')) as Record<string, unknown> };
}

/** Writes `text` into the first action row's term plan (its first by id), past the app's change log. */
async function markFirstRow(db: PlanDb, text: string): Promise<void> {
  const first = await db.q.selectFrom('action_row').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
  await db.q.updateTable('action_row').set({ term_plan: text }).where('id', '=', first.id).execute();
}

const hasMark = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from action_row where term_plan = ?').get(MARK) as { n: number }).n === 1;
  } finally {
    db.close();
  }
};
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('.plan.plandb.'));

type Dump = { units: { units: { name: string }[] }; actionPlan: { rows: { key: string; units: string[]; targets: { id?: string; kind: string; key: string }[] }[] }[] };

/** Dumps that fail somewhere between reading and the last insert, each made from the valid one. */
function badDumps(valid: string, dump: Dump): [string, string][] {
  const mutate = (f: (d: Dump) => void) => {
    const d = structuredClone(dump);
    f(d);
    return JSON.stringify(d);
  };
  const cases: [string, string][] = [
    ['empty file', ''],
    ['only spaces', '   \n  '],
    ['a BOM and nothing else', '\uFEFF'],
    ['an unknown unit (cross-check)', mutate((d) => (d.actionPlan[0]!.rows[0]!.units[0] = '存在しない委員会'))],
    ['a duplicated key (cross-check)', mutate((d) => (d.actionPlan[0]!.rows[1]!.key = d.actionPlan[0]!.rows[0]!.key))],
    ['an unknown target kind (schema)', mutate((d) => (d.actionPlan[0]!.rows[0]!.targets[0]!.kind = 'sum'))],
    ['no units at all (schema)', mutate((d) => (d.units.units = []))],
    ['a number where an object belongs', mutate((d) => ((d as unknown as { plan: number }).plan = 1))],
    ['JSON null', 'null'],
    ['an id used twice (found only by SQLite)', mutate((d) => {
      const targets = d.actionPlan.flatMap((p) => p.rows.flatMap((r) => r.targets)).filter((t) => t.id);
      targets[1]!.id = targets[0]!.id;
    })],
  ];
  // The valid dump cut at nine places, and without its last brace: none of them is JSON.
  for (let k = 1; k <= 9; k++) cases.push([`cut at ${k}0%`, valid.slice(0, Math.floor((valid.length * k) / 10))]);
  cases.push(['without the last brace', valid.trimEnd().slice(0, -1)]);
  return cases;
}

describe('plan init --from DUMP --force', { timeout: 300_000 }, () => {
  it('a dump that fails anywhere leaves the old database byte-identical, with no backup and no temporary file', async () => {
    const { dir, path, userData, dumpPath, dump } = await setup();
    const before = fileState(path);
    const cases = badDumps(readFileSync(dumpPath, 'utf8'), dump as unknown as Dump);
    for (const [label, text] of cases) {
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, text);
      const r = await runCliCaptured('init', '--db', path, '--from', bad, '--force');
      expect(r.code, label).not.toBe(0);
      expect(r.stderr, label).toMatch(/^エラー: .*[ぁ-んァ-ン]/m);
      expect(r.stderr, label).not.toContain('Unexpected token');
      expect(r.stderr, label).not.toContain('    at ');
      expect(r.stderr.length, label).toBeLessThan(500);
      expect(fileState(path), label).toEqual(before);
      expect(leftovers(dir), label).toEqual([]);
    }
    expect(listBackups(backupFolder(userData, path))).toEqual([]);
  });

  it('says where a dump stops being JSON, in Japanese', async () => {
    const { dir, path } = await setup();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "plan": {\n    "title": x\n  }\n}\n');
    const r = await runCliCaptured('init', '--db', path, '--from', bad, '--force');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('JSON として読めません');
    expect(r.stderr).toContain('3 行 14 文字目');
  });

  it('a dump with a UTF-8 BOM (as Windows editors save it) is read', async () => {
    const { dir, dumpPath } = await setup();
    const withBom = join(dir, 'bom.json');
    writeFileSync(withBom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(dumpPath)]));
    const fresh = join(dir, 'fresh.plandb');
    const r = await runCliCaptured('init', '--db', fresh, '--from', withBom);
    expect(r.code, r.stderr).toBe(0);
    const again = join(dir, 'again.json');
    expect((await runCliCaptured('dump', '--db', fresh, '--out', again)).code).toBe(0);
    expect(JSON.parse(readFileSync(again, 'utf8'))).toStrictEqual(JSON.parse(readFileSync(dumpPath, 'utf8')));
  });

  it('a good dump replaces the file in one step, after a backup of the old plan', async () => {
    const { dir, path, userData, dumpPath } = await setup();
    writeFileSync(`${path}-wal`, Buffer.alloc(0));
    const r = await runCliCaptured('init', '--db', path, '--from', dumpPath, '--force');
    expect(r.code, r.stderr).toBe(0);
    // The old (empty) -wal went with the old file: left beside the new one, SQLite would replay it.
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(hasMark(path)).toBe(false);
    const backups = listBackups(backupFolder(userData, path));
    expect(backups.map((b) => b.reason)).toEqual(['replace']);
    expect(hasMark(backups[0]!.path)).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('the app replaces files the same way', { timeout: 300_000 }, () => {
  it('File › New over an existing plan backs it up first; Save a copy replaces a file whole; init makes a missing folder', async () => {
    const { dir, path, userData } = await setup();
    const other = join(dir, 'other.plandb');
    createDatabaseFile(other, realSeeds());
    const ws = new Workspace('app', userData);
    await ws.open(other);
    cleanups.push(() => ws.close());
    await ws.create(path, realSeeds());
    expect(hasMark(path)).toBe(false);
    const replaced = listBackups(backupFolder(userData, path)).filter((b) => b.reason === 'replace');
    expect(replaced).toHaveLength(1);
    expect(hasMark(replaced[0]!.path)).toBe(true);
    await markFirstRow(ws.current.db, MARK);
    await ws.saveCopy(other);
    expect(hasMark(other)).toBe(true);
    expect(leftovers(dir).concat(readdirSync(dir).filter((f) => f.startsWith('.other.plandb.')))).toEqual([]);
    const nested = join(dir, 'new', 'folder', 'plan.plandb');
    expect((await runCliCaptured('init', '--db', nested)).code).toBe(0);
    expect(existsSync(nested)).toBe(true);
  });
});

describe('commands that replace or restore a file take the writer lock first', { timeout: 300_000 }, () => {
  it('with the app (a Workspace) holding the file, init --force and restore are refused naming who has it, through any spelling', async () => {
    const { dir, path, userData, dumpPath } = await setup();
    const app = new Workspace('app', userData);
    await app.open(path);
    cleanups.push(() => app.close());
    const backup = await app.backupNow('manual');
    symlinkSync(path, join(dir, 'link.plandb'));
    const before = fileState(path);
    for (const db of [path, join(dir, 'link.plandb'), join(dir, '.', 'plan.plandb')]) {
      for (const args of [
        ['init', '--db', db, '--force'],
        ['init', '--db', db, '--force', '--from', dumpPath],
        ['restore', '--db', db, '--from', backup.id],
        ['restore', '--db', db, '--from', backup.id, '--take-over-lock'],
        ['backup', '--db', db],
        ['import', '--db', db, '--file', dumpPath, '--apply'],
      ]) {
        const r = await runCliCaptured(...args);
        expect(r.code, args.join(' ')).not.toBe(0);
        expect(r.stderr, args.join(' ')).toContain('別の計画ワークベンチ');
        expect(r.stderr, args.join(' ')).toContain(String(process.pid));
      }
    }
    expect(fileState(path)).toEqual(before);
    // The app goes on editing the same file.
    await markFirstRow(app.current.db, 'その後の編集');
    await app.close();
    const db = new Database(path, { readonly: true });
    expect((db.prepare("select count(*) as n from action_row where term_plan = 'その後の編集'").get() as { n: number }).n).toBe(1);
    db.close();
  });
});
