import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SeedBundle } from '../../shared/seed/schema';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import type { OpenedDatabase } from '../../electron/db/open';
import { dumpPlan } from '../../electron/seed/dump';
import { readSeedDump } from '../../electron/seed/read-seeds';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { insertRow } from '../../electron/model/editing/row-ops';
import type { RowKind } from '../../shared/domain/editing';
import { createDatabase } from '../../electron/workspace/create-database';
import { realSeeds, seededDatabase, sqliteOf } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

const repoRoot = join(import.meta.dirname, '..', '..');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function temp(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}
function seeded() {
  const s = seededDatabase();
  cleanups.push(s.cleanup);
  return s;
}

// What the file holds, read from the file itself (its tables as SQLite lists them).
const tables = (db: OpenedDatabase) =>
  (sqliteOf(db).prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]).map((t) => t.name);
const rowCounts = (db: OpenedDatabase) =>
  Object.fromEntries(tables(db).map((t) => [t, (sqliteOf(db).prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n]));
const idsOf = (db: OpenedDatabase, table: string) => (sqliteOf(db).prepare(`select id from "${table}" order by id`).all() as { id: string }[]).map((r) => r.id);
const planTables = (db: OpenedDatabase) => tables(db).filter((t) => t !== 'change' && t !== 'change_set');

/** Writes the dump as the CLI does, reads it back as `init --from` does, builds a second database. */
function rebuild(dump: SeedBundle) {
  const dir = temp();
  const json = join(dir, 'dump.json');
  writeFileSync(json, JSON.stringify(dump, null, 2) + '\n');
  const db = createDatabase(join(dir, 'again.plandb'), readSeedDump(json), { source: json });
  cleanups.push(() => db.db.close());
  return db;
}

const stripIds = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(stripIds)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'id' && k !== 'ids').map(([k, x]) => [k, stripIds(x)]))
      : v;

describe('init → dump → init → dump', () => {
  it('gives two equal dumps, the same row count in every table and the same ids', async () => {
    const first = seeded();
    const dump1 = await dumpPlan(first.db.db);
    const second = rebuild(dump1);
    const dump2 = await dumpPlan(second.db);
    expect(dump2).toStrictEqual(dump1);
    expect(JSON.stringify(dump2)).toBe(JSON.stringify(dump1)); // same order of keys and entries too
    expect(rowCounts(second)).toEqual(rowCounts(first.db));
    expect(rowCounts(first.db)).toMatchObject({ action_row: 35, theme: 53, target: 89, unit: 77, change_set: 1 });
    for (const t of planTables(first.db)) expect(idsOf(second, t), t).toEqual(idsOf(first.db, t));
  });

  it('dumps the seeds themselves: the dump without ids is the seed bundle', async () => {
    const s = seeded();
    expect(stripIds(await dumpPlan(s.db.db))).toStrictEqual(stripIds(realSeeds()));
  });

  it('keeps an actual entered through a cell edit, and a plan value typed as 8万3千', async () => {
    const s = seeded();
    const db = s.db.db;
    const targetId = async (key: string) => (await db.q.selectFrom('target').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id;
    const members = await targetId('p5-members');
    const result = await applyGridEdits(db, 'セルの編集', [
      { entity: 'target', id: members, field: 'actualValue', fiscalYear: 2020, value: '８１，５２３件' },
      { entity: 'target', id: members, field: 'planValue', fiscalYear: 2022, value: '8万3千' },
      { entity: 'target', id: await targetId('p2-startup-support'), field: 'actualValue', fiscalYear: 2021, value: '延3,120名' },
    ]);
    expect(result.changed).toBeGreaterThan(0);

    const dump1 = await dumpPlan(db);
    const t = dump1.actionPlan[4]!.rows.find((r) => r.key === 'p5-membership')!.targets.find((x) => x.key === 'p5-members')!;
    expect(t.actuals).toEqual({ 2020: 81523 });
    expect(t.plans).toEqual({ 2020: { value: 81000, text: '年度末会員81,000件以上' }, 2022: { value: 83000 } });
    const startup = dump1.actionPlan[1]!.rows[0]!.targets[0]!;
    expect(startup.actuals).toEqual({ 2021: 3120 });

    const second = rebuild(dump1);
    const dump2 = await dumpPlan(second.db);
    expect(dump2).toStrictEqual(dump1);
    const stored = await second.db.q.selectFrom('target_value').select(['fiscal_year', 'plan_value', 'actual_value']).where('target_id', '=', members).orderBy('fiscal_year').execute();
    expect(stored).toEqual([
      { fiscal_year: 2020, plan_value: 81000, actual_value: 81523 },
      { fiscal_year: 2022, plan_value: 83000, actual_value: null },
    ]);
    const counts1 = rowCounts(s.db);
    const counts2 = rowCounts(second);
    for (const table of planTables(s.db)) expect(counts2[table], table).toBe(counts1[table]);
  });
});

/** The real command line, as `npm run plan -- …` runs it (tsx on the pinned Node). */
function plan(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'electron', 'cli', 'main.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, PLAN_WORKBENCH_USER_DATA: join(temp(), 'user-data'), NODE_OPTIONS: '' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the command line', { timeout: 120_000 }, () => {
  it('init, dump, init --from, dump: equal dumps; init refuses to overwrite without --force', () => {
    const dir = temp();
    const a = join(dir, 'a.plandb');
    const b = join(dir, 'b.plandb');
    const created = plan('init', '--db', a);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(a);

    const before = readFileSync(a);
    const again = plan('init', '--db', a);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('既にあります');
    expect(again.stderr).toContain('--force');
    expect(readFileSync(a).equals(before)).toBe(true);

    expect(plan('dump', '--db', a, '--out', join(dir, 'd1.json')).code).toBe(0);
    const fromDump = plan('init', '--db', b, '--from', join(dir, 'd1.json'));
    expect(fromDump.code, fromDump.stderr).toBe(0);
    expect(plan('dump', '--db', b, '--out', join(dir, 'd2.json')).code).toBe(0);
    const d1: unknown = JSON.parse(readFileSync(join(dir, 'd1.json'), 'utf8'));
    const d2: unknown = JSON.parse(readFileSync(join(dir, 'd2.json'), 'utf8'));
    expect(d2).toStrictEqual(d1);
    // dump without --out writes the same JSON to stdout
    const stdoutDump = plan('dump', '--db', b);
    expect(stdoutDump.code).toBe(0);
    expect(JSON.parse(stdoutDump.stdout)).toStrictEqual(d1);

    const forced = plan('init', '--db', a, '--force', '--from', join(dir, 'd2.json'));
    expect(forced.code, forced.stderr).toBe(0);
    expect(statSync(a).size).toBeGreaterThan(0);
  });

  it('check prints the schema version and ok', () => {
    const dir = temp();
    const a = join(dir, 'a.plandb');
    expect(plan('init', '--db', a).code).toBe(0);
    const r = plan('check', '--db', a);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { schemaVersion: number; ok: boolean; problems: unknown[] };
    expect(result.schemaVersion).toBe(latestSchemaVersion);
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
  });

  it('check of a missing file fails and does not create it', () => {
    const missing = join(temp(), 'missing.plandb');
    const r = plan('check', '--db', missing);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('見つかりません');
    expect(existsSync(missing)).toBe(false);
  });

  it('--help lists the commands; no command or an unknown one exits non-zero', () => {
    const help = plan('--help');
    expect(help.code).toBe(0);
    for (const name of ['init', 'check', 'dump']) expect(help.stdout).toMatch(new RegExp(`^ {2}${name} +--db FILE`, 'm'));
    expect(help.stdout).toContain('--force');

    const none = plan();
    expect(none.code).not.toBe(0);
    expect(none.stdout).toContain('commands:');

    const unknown = plan('frobnicate', '--db', join(temp(), 'x.plandb'));
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('frobnicate');
    expect(unknown.stderr).toContain('不明なコマンド');
  });
});

describe('a plan after the grid’s own row operations still rebuilds from its dump', () => {
  // A new row starts empty (a theme without text or pillar, a target without a label, an item
  // without text): the dump must carry such rows and `init --from` must take them back.
  const firstId = (db: OpenedDatabase, sql: string) => (sqliteOf(db).prepare(sql).get() as { id: string }).id;
  const anchors: Record<RowKind, string> = {
    theme: 'select id from theme order by id limit 1',
    actionRow: 'select id from theme order by id limit 1',
    target: 'select id from target where row_id is not null order by id limit 1',
    unit: 'select id from unit order by id limit 1',
    overviewItem: 'select id from overview_item order by id limit 1',
  };
  it.each(Object.keys(anchors) as RowKind[])('after inserting a %s', async (kind) => {
    const s = seeded();
    await insertRow(s.db.db, kind, firstId(s.db, anchors[kind]));
    const dump1 = await dumpPlan(s.db.db);
    const dump2 = await dumpPlan(rebuild(dump1).db);
    expect(JSON.stringify(dump2)).toBe(JSON.stringify(dump1));
  });
});
