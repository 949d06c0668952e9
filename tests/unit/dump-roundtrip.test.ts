import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SeedBundle } from '../../shared/seed/schema';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import { copiedTables, copyPlan } from '../../electron/db/plan-copy';
import type { PlanDb } from '../../electron/db/plan-db';
import { dumpPlan } from '../../electron/seed/dump';
import { readSeedDump } from '../../electron/seed/read-seeds';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { deleteRow, insertRow } from '../../electron/model/editing/row-ops';
import { redo, undo, undoState } from '../../electron/model/editing/undo';
import type { RowKind } from '../../shared/domain/editing';
import { createDatabase } from '../../electron/workspace/create-database';
import { fillWith } from '../../electron/workspace/postgres-plan';
import { emptyPlan, type Engine, engines, type PlanUnderTest, postgresContent, seededPlan } from '../helpers/engines';
import { freshPostgresDatabase } from '../helpers/pg-database';
import { countRows, firstOf } from '../helpers/plan-sql';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';
import { sql } from 'kysely';

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
async function planOn(engine: Engine, make: (engine: Engine) => Promise<PlanUnderTest> = seededPlan): Promise<PlanUnderTest> {
  const p = await make(engine);
  cleanups.push(p.cleanup);
  return p;
}

// What the plan holds, read through the plan itself: every table of the registry and the change log.
const rowCounts = async (db: PlanDb) => Object.fromEntries(await Promise.all(copiedTables.map(async (t) => [t, await countRows(db, t)] as const)));
const idsOf = async (db: PlanDb, table: string) =>
  (await sql<{ id: string | number }>`select id from ${sql.table(table)} order by id`.execute(db.q)).rows.map((r) => r.id);
const planTables = copiedTables.filter((t) => t !== 'change' && t !== 'change_set');

/** Writes the dump as the CLI does, reads it back as `init --from` does, builds a second plan on `engine` (a file, or a database filled as `init` fills it). */
async function rebuild(dump: SeedBundle, engine: Engine): Promise<PlanDb> {
  const dir = temp();
  const json = join(dir, 'dump.json');
  writeFileSync(json, JSON.stringify(dump, null, 2) + '\n');
  const bundle = readSeedDump(json);
  if (engine === 'postgres') {
    const empty = await planOn(engine, emptyPlan);
    await fillWith(empty.db, bundle);
    return empty.db;
  }
  const db = createDatabase(join(dir, 'again.plandb'), bundle, { source: json });
  cleanups.push(() => db.db.close());
  return db.db;
}

const stripIds = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(stripIds)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'id' && k !== 'ids').map(([k, x]) => [k, stripIds(x)]))
      : v;

describe.each(engines)('init → dump → init → dump on %s', (engine) => {
  it('gives two equal dumps, the same row count in every table and the same ids', async () => {
    const first = await planOn(engine);
    const dump1 = await dumpPlan(first.db);
    const second = await rebuild(dump1, engine);
    const dump2 = await dumpPlan(second);
    expect(dump2).toStrictEqual(dump1);
    expect(JSON.stringify(dump2)).toBe(JSON.stringify(dump1)); // same order of keys and entries too
    expect(await rowCounts(second)).toEqual(await rowCounts(first.db));
    expect(await rowCounts(first.db)).toMatchObject({ action_row: 35, theme: 53, target: 89, unit: 77, change_set: 1 });
    for (const t of planTables) expect(await idsOf(second, t), t).toEqual(await idsOf(first.db, t));
  });

  it('dumps the seeds themselves: the dump without ids is the seed bundle', async () => {
    const s = await planOn(engine);
    expect(stripIds(await dumpPlan(s.db))).toStrictEqual(stripIds(realSeeds()));
  });

  it('keeps an actual entered through a cell edit, and a plan value typed as 8万3千', async () => {
    const s = await planOn(engine);
    const db = s.db;
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

    const second = await rebuild(dump1, engine);
    const dump2 = await dumpPlan(second);
    expect(dump2).toStrictEqual(dump1);
    const stored = await second.q.selectFrom('target_value').select(['fiscal_year', 'plan_value', 'actual_value']).where('target_id', '=', members).orderBy('fiscal_year').execute();
    expect(stored).toEqual([
      { fiscal_year: 2020, plan_value: 81000, actual_value: 81523 },
      { fiscal_year: 2022, plan_value: 83000, actual_value: null },
    ]);
    const counts1 = await rowCounts(db);
    const counts2 = await rowCounts(second);
    for (const table of planTables) expect(counts2[table], table).toBe(counts1[table]);
  });
});

describe('a plan moved between engines (copy) keeps its dump and its change log', () => {
  it('the dump of the seed file, of its copy on PostgreSQL and of the copy back to a new file are byte-identical', async () => {
    const file = await planOn('sqlite');
    const pg = await planOn('postgres', emptyPlan);
    const back = await planOn('sqlite', emptyPlan);
    await copyPlan(file.db, pg.db);
    await copyPlan(pg.db, back.db);
    const dumps = await Promise.all([file.db, pg.db, back.db].map(async (db) => JSON.stringify(await dumpPlan(db), null, 2)));
    expect(dumps[1]).toBe(dumps[0]);
    expect(dumps[2]).toBe(dumps[0]);
    for (const t of copiedTables) expect(await idsOf(back.db, t), t).toEqual(await idsOf(file.db, t));
  });

  it('a plan edited on PostgreSQL, copied back to a file, dumps as on PostgreSQL, and its undo and redo go on working on the file', async () => {
    const pg = await planOn('postgres');
    const db = pg.db;
    const row = (await firstOf(db, sql<{ id: string }>`select id from action_row order by page, position limit 1`))!.id;
    const target = (await firstOf(db, sql<{ id: string }>`select id from target where key = 'p5-members'`))!.id;
    await applyGridEdits(db, 'セルの編集', [
      { entity: 'actionRow', id: row, field: 'termPlan', value: 'PostgreSQL で直した到達目標' },
      { entity: 'target', id: target, field: 'actualValue', fiscalYear: 2020, value: '81,523件' },
    ]);
    await applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row, field: 'yearPlan', fiscalYear: 2022, value: '・2022年度の計画' }]);
    const theme = (await firstOf(db, sql<{ id: string }>`select id from theme where row_id = ${row} order by position limit 1`))!.id;
    const { id: added } = await insertRow(db, 'theme', theme);
    const item = (await firstOf(db, sql<{ id: string }>`select id from overview_item order by id limit 1`))!.id;
    await deleteRow(db, 'overviewItem', item);
    await deleteRow(db, 'target', target);
    expect((await undo(db)).label).toBe('目標の削除');

    const back = await planOn('sqlite', emptyPlan);
    await copyPlan(db, back.db);
    const dumpOf = async (plan: PlanDb) => JSON.stringify(await dumpPlan(plan), null, 2);
    expect(await dumpOf(back.db)).toBe(await dumpOf(db));
    expect(await undoState(back.db)).toEqual(await undoState(db));
    expect(await undoState(back.db)).toEqual({ undoLabel: expect.any(String), redoLabel: '目標の削除' });
    expect((await back.db.q.selectFrom('theme').select('id').where('id', '=', added!).execute()).length).toBe(1);

    // The same steps on both: the copy's change log is the original's.
    for (const step of [undo, undo, redo, undo, undo, undo] as const) {
      const [a, b] = [await step(db), await step(back.db)];
      expect(b.label).toBe(a.label);
      expect(await dumpOf(back.db)).toBe(await dumpOf(db));
    }
    // Back to the seed plan: the actual entered and the edited goal are gone on the file.
    expect(await firstOf(back.db, sql`select term_plan from action_row where id = ${row}`)).not.toEqual({ term_plan: 'PostgreSQL で直した到達目標' });
    expect(await undoState(back.db)).toEqual(await undoState(db));
    // A new edit on the file takes a change-set id past every copied one.
    const again = await applyGridEdits(back.db, 'ファイルで編集', [{ entity: 'actionRow', id: row, field: 'termPlan', value: 'ファイルで直した' }]);
    const highest = (await firstOf(back.db, sql<{ id: number }>`select max(id) as id from change_set where id <> ${again.changeSetId}`))!.id;
    expect(again.changeSetId).toBeGreaterThan(highest);
    expect((await undo(back.db)).label).toBe('ファイルで編集');
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

/** A place for a new plan the command line is told to create: a file that does not exist yet, or an empty database. */
async function newLocation(engine: Engine, name: string): Promise<{ location: string; shown: string }> {
  if (engine === 'sqlite') {
    const path = join(temp(), `${name}.plandb`);
    return { location: path, shown: path };
  }
  const fresh = await freshPostgresDatabase();
  cleanups.push(fresh.drop);
  return { location: fresh.url, shown: fresh.name };
}

/** What the plan at `location` holds, to tell that a refused command left it as it was: a file's bytes; on PostgreSQL every row of every table. */
async function contentOf(engine: Engine, location: string): Promise<unknown> {
  return engine === 'sqlite' ? readFileSync(location).toString('base64') : await postgresContent(location);
}

describe.each(engines)('the command line on %s', { timeout: 120_000 }, (engine) => {
  it('init, dump, init --from, dump: equal dumps; init refuses to overwrite without --force', async () => {
    const dir = temp();
    const a = await newLocation(engine, 'a');
    const b = await newLocation(engine, 'b');
    const created = plan('init', '--db', a.location);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(a.shown);

    const before = await contentOf(engine, a.location);
    const again = plan('init', '--db', a.location);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(engine === 'sqlite' ? '既にあります' : 'すでに計画');
    expect(again.stderr).toContain('--force');
    expect(await contentOf(engine, a.location)).toEqual(before);

    expect(plan('dump', '--db', a.location, '--out', join(dir, 'd1.json')).code).toBe(0);
    const fromDump = plan('init', '--db', b.location, '--from', join(dir, 'd1.json'));
    expect(fromDump.code, fromDump.stderr).toBe(0);
    expect(plan('dump', '--db', b.location, '--out', join(dir, 'd2.json')).code).toBe(0);
    const d1: unknown = JSON.parse(readFileSync(join(dir, 'd1.json'), 'utf8'));
    const d2: unknown = JSON.parse(readFileSync(join(dir, 'd2.json'), 'utf8'));
    expect(d2).toStrictEqual(d1);
    // dump without --out writes the same JSON to stdout
    const stdoutDump = plan('dump', '--db', b.location);
    expect(stdoutDump.code).toBe(0);
    expect(JSON.parse(stdoutDump.stdout)).toStrictEqual(d1);

    const forced = plan('init', '--db', a.location, '--force', '--from', join(dir, 'd2.json'));
    expect(forced.code, forced.stderr).toBe(0);
    if (engine === 'sqlite') expect(statSync(a.location).size).toBeGreaterThan(0);
    expect(plan('dump', '--db', a.location, '--out', join(dir, 'd3.json')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'd3.json'), 'utf8'))).toStrictEqual(d1);
  });

  it('check prints the schema version and ok', async () => {
    const a = await newLocation(engine, 'a');
    expect(plan('init', '--db', a.location).code).toBe(0);
    const r = plan('check', '--db', a.location);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { schemaVersion: number; ok: boolean; problems: unknown[] };
    expect(result.schemaVersion).toBe(latestSchemaVersion);
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
  });
});

describe('the command line, apart from any plan', { timeout: 120_000 }, () => {
  it('check of a missing file fails and does not create it (SQLite: a file)', () => {
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

describe.each(engines)('a plan on %s after the grid’s own row operations still rebuilds from its dump', (engine) => {
  // A new row starts empty (a theme without text or pillar, a target without a label, an item
  // without text): the dump must carry such rows and `init --from` must take them back.
  const anchors: Record<RowKind, string> = {
    theme: 'select id from theme order by id limit 1',
    actionRow: 'select id from theme order by id limit 1',
    target: 'select id from target where row_id is not null order by id limit 1',
    unit: 'select id from unit order by id limit 1',
    overviewItem: 'select id from overview_item order by id limit 1',
  };
  it.each(Object.keys(anchors) as RowKind[])('after inserting a %s', async (kind) => {
    const s = await planOn(engine);
    await insertRow(s.db, kind, (await firstOf(s.db, sql<{ id: string }>`${sql.raw(anchors[kind])}`))!.id);
    const dump1 = await dumpPlan(s.db);
    const dump2 = await dumpPlan(await rebuild(dump1, engine));
    expect(JSON.stringify(dump2)).toBe(JSON.stringify(dump1));
  });
});
