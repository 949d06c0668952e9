import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SeedBundle } from '../../shared/seed/schema';
import { openPlanDatabase } from '../../electron/db/open';
import { runCli } from '../../electron/cli/main';
import { buildDatabase, seedIds } from '../../electron/seed/build-database';
import { crossCheck } from '../../electron/seed/cross-check';
import { readSeedDirectory, SeedError } from '../../electron/seed/read-seeds';
import { createDatabase } from '../../electron/workspace/create-database';
import { realSeeds, sqliteOf } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

const repoRoot = join(import.meta.dirname, '..', '..');
const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((c) => c());
  vi.restoreAllMocks();
});
function temp(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

/** A copy of seeds/ with one file edited. */
function seedsWith(file: string, edit: (text: string) => string): string {
  const dir = join(temp(), 'seeds');
  cpSync(join(repoRoot, 'seeds'), dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after, 'the edit changed nothing').not.toBe(before);
  writeFileSync(path, after);
  return dir;
}

function seedError(fn: () => unknown): SeedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SeedError) return e;
    throw e;
  }
  throw new Error('expected a SeedError');
}

describe('a broken seed file', () => {
  it('names the file, the entry and the field: a target kind that does not exist', () => {
    // the first target of page-2.yaml is rows[0].targets[0] (p2-startup-support)
    const dir = seedsWith('action-plan/page-2.yaml', (t) => t.replace('kind: cumulative', 'kind: sum'));
    const e = seedError(() => readSeedDirectory(dir));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toContain('seeds/action-plan/page-2.yaml');
    expect(e.problems[0]).toContain('rows[0].targets[0].kind');
    expect(e.message).toContain('seeds/action-plan/page-2.yaml: rows[0].targets[0].kind');
    // the valid choices are named
    expect(e.problems[0]).toContain('cumulative');
  });

  it('names a missing required field', () => {
    const dir = seedsWith('action-plan/page-1.yaml', (t) => t.replace('        label: 「はじめてIT活用１万社プロジェクト」による支援企業\n', ''));
    const e = seedError(() => readSeedDirectory(dir));
    expect(e.problems.join('\n')).toMatch(/seeds\/action-plan\/page-1\.yaml: rows\[0\]\.targets\[0\]\.label/);
  });

  it('names a misspelt field instead of ignoring it', () => {
    const dir = seedsWith('branches.yaml', (t) => t.replace('    termFocus: 区を代表する', '    termfocus: 区を代表する'));
    const e = seedError(() => readSeedDirectory(dir));
    const text = e.problems.join('\n');
    expect(text).toContain('seeds/branches.yaml');
    expect(text).toContain('branches[0]');
    expect(text).toContain('termfocus');
  });

  it('names a value of the wrong type (a figure written as text)', () => {
    const dir = seedsWith('action-plan/page-5.yaml', (t) => t.replace('value: 300000', 'value: 30万件'));
    const e = seedError(() => readSeedDirectory(dir));
    expect(e.problems.join('\n')).toMatch(/seeds\/action-plan\/page-5\.yaml: rows\[0\]\.targets\[0\]\.termGoal\.value/);
  });

  it('names the file of a YAML syntax error', () => {
    const dir = seedsWith('units.yaml', (t) => t.replace('{ kind: committee, name: 総合政策委員会, shortName: 総合政策 }', '{ kind: committee, name: 総合政策委員会'));
    const e = seedError(() => readSeedDirectory(dir));
    expect(e.problems[0]).toMatch(/^seeds\/units\.yaml: /);
  });

  it('reads the real seeds without a problem', () => {
    const bundle = readSeedDirectory(join(repoRoot, 'seeds'));
    expect(crossCheck(bundle)).toEqual([]);
    expect(readdirSync(join(repoRoot, 'seeds', 'action-plan')).filter((f) => f.endsWith('.yaml'))).toHaveLength(bundle.actionPlan.length);
  });
});

describe('crossCheck: references between the seed files', () => {
  const check = (edit: (b: SeedBundle) => void) => {
    const b = realSeeds();
    edit(b);
    return crossCheck(b);
  };

  it('reports an unknown unit name in a 主な担当 cell, a branch, a joint project and the unit-focus table', () => {
    expect(check((b) => (b.actionPlan[0]!.rows[0]!.units[1] = '地域振興課'))).toEqual([
      'seeds/action-plan/page-1.yaml: rows[0] (p1-digital).units[1]: unknown unit "地域振興課" (not in seeds/units.yaml)',
    ]);
    expect(check((b) => (b.branches.branches[2]!.unit = '港区支部'))).toEqual([
      'seeds/branches.yaml: branches[2].unit: unknown unit "港区支部" (not in seeds/units.yaml)',
    ]);
    expect(check((b) => (b.branches.jointProjects[1]!.units[0] = '新宿'))).toEqual([
      'seeds/branches.yaml: jointProjects[1].units[0]: unknown unit "新宿" (not in seeds/units.yaml)',
    ]);
    expect(check((b) => (b.overviews[0]!.unitFocus.groups[0]!.rows[0]!.units[1] = '商業卸部会'))).toEqual([
      'seeds/overview-2021.yaml: unitFocus.groups[0].rows[0].units[1]: unknown unit "商業卸部会" (not in seeds/units.yaml)',
    ]);
  });

  it('names the place in the dump file when the plan was read from a dump (init --from)', () => {
    const b = realSeeds();
    b.actionPlan[2]!.rows[1]!.units[0] = '防災委員会';
    b.branches.branches[3]!.targets.push({ ...structuredClone(b.branches.branches[0]!.targets[0]!) });
    expect(crossCheck(b, '/work/plan-dump.json')).toEqual([
      '/work/plan-dump.json: actionPlan[2].rows[1] (p3-disaster).units[0]: unknown unit "防災委員会" (not in units.units)',
      '/work/plan-dump.json: branches.branches[3].targets[0]: key "br-chiyoda-fair-visitors" is already used at /work/plan-dump.json: branches.branches[0].targets[0]',
    ]);
  });

  it('reports duplicate keys with both places', () => {
    const problems = check((b) => (b.actionPlan[3]!.rows[1]!.key = 'p1-digital'));
    expect(problems).toEqual(['seeds/action-plan/page-4.yaml: rows[1] (p1-digital): key "p1-digital" is already used at seeds/action-plan/page-1.yaml: rows[0] (p1-digital)']);
    const targetKey = check((b) => (b.branches.branches[0]!.targets[0]!.key = 'p5-members'));
    expect(targetKey).toHaveLength(1);
    expect(targetKey[0]).toContain('seeds/branches.yaml: branches[0].targets[0]: key "p5-members" is already used at seeds/action-plan/page-5.yaml: rows[5] (p5-membership).targets[0]');
  });

  it('reports a duplicate unit in units.yaml, and a unit listed twice in one cell', () => {
    expect(check((b) => b.units.units.push({ kind: 'department', name: '国際部' }))).toEqual([`seeds/units.yaml: units[${realSeeds().units.units.length}]: duplicate unit "国際部"`]);
    expect(check((b) => b.actionPlan[1]!.rows[0]!.units.push('中小企業部'))).toEqual(['seeds/action-plan/page-2.yaml: rows[0] (p2-startup).units: a unit is listed twice']);
  });

  it('reports unknown pillars and a target measuring a theme of another row', () => {
    expect(check((b) => (b.actionPlan[0]!.rows[1]!.themes[0]!.pillar = 'pillar9'))).toEqual([
      'seeds/action-plan/page-1.yaml: rows[1] (p1-labor).themes[0].pillar: unknown pillar "pillar9"',
    ]);
    expect(check((b) => (b.actionPlan[0]!.rows[0]!.targets[0]!.theme = 'p1-labor-1'))).toEqual([
      'seeds/action-plan/page-1.yaml: rows[0] (p1-digital).targets[0].theme: "p1-labor-1" is not a theme of this row',
    ]);
  });

  it('reports what would otherwise stop the build in SQLite without naming the entry', () => {
    const years = check((b) => (b.actionPlan[0]!.rows[0]!.targets[0]!.plans!['20２0'] = { value: 1 }));
    expect(years).toEqual(['seeds/action-plan/page-1.yaml: rows[0] (p1-digital).targets[0].plans: "20２0" is not a fiscal year (write it as 2020)']);
    expect(check((b) => b.branches.branches.push({ ...structuredClone(b.branches.branches[1]!), targets: [] }))).toEqual([
      'seeds/branches.yaml: branches[23].unit: branch "中央支部" is listed twice (also at [1])',
    ]);
    expect(check((b) => b.overviews[0]!.unitFocus.groups[1]!.rows[0]!.units.push('総合政策委員会'))).toEqual([
      'seeds/overview-2021.yaml: unitFocus.groups[1].rows[0].units: a unit is listed twice',
    ]);
    expect(check((b) => b.plan.financialPlan.years.push({ fiscalYear: 2021, text: '積立金 取り崩し' }))).toEqual([
      'seeds/plan.yaml: financialPlan.years[3].fiscalYear: fiscal year "2021" is listed twice (also at [1])',
    ]);
    expect(check((b) => (b.branches.branches[0]!.targets[0]!.theme = 'p1-digital-1'))).toHaveLength(1);
  });
});

describe('buildDatabase and createDatabase refuse a broken plan and write nothing', () => {
  it('createDatabase removes the file when the seeds do not cross-check', () => {
    const path = join(temp(), 'plan.plandb');
    const bundle = realSeeds();
    bundle.actionPlan[0]!.rows[0]!.units[0] = '存在しない委員会';
    const e = seedError(() => createDatabase(path, bundle));
    expect(e.problems[0]).toContain('rows[0] (p1-digital).units[0]: unknown unit "存在しない委員会"');
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(path + suffix)).toBe(false);
  });

  it('createDatabase removes the file when the build fails midway (a clash found only by SQLite)', () => {
    const path = join(temp(), 'plan.plandb');
    const bundle = realSeeds();
    // an explicit id equal to another pillar's derived id: nothing before SQLite can know
    bundle.plan.pillars[1]!.id = seedIds.pillar('pillar1');
    expect(() => createDatabase(path, bundle)).toThrow(/UNIQUE/);
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(path + suffix)).toBe(false);
  });

  it('buildDatabase leaves an open database empty, with no change set, when it fails midway', async () => {
    const db = openPlanDatabase(join(temp(), 'plan.plandb'));
    try {
      // The builder writes a new file on its own connection; the plan is then read as the app reads it.
      const file = sqliteOf(db);
      const count = async (table: 'plan' | 'pillar' | 'unit' | 'action_row' | 'change_set' | 'change') =>
        Number((await db.db.q.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const bundle = realSeeds();
      bundle.plan.pillars[1]!.id = seedIds.pillar('pillar1');
      expect(() => buildDatabase(file, bundle)).toThrow();
      for (const table of ['plan', 'pillar', 'unit', 'action_row', 'change_set', 'change'] as const) expect(await count(table), table).toBe(0);
      // and the same file then takes the good plan
      buildDatabase(file, realSeeds());
      expect(await count('action_row')).toBe(35);
      expect(await count('change_set')).toBe(1);
      // but not a second one
      expect(() => buildDatabase(file, realSeeds())).toThrow(/empty database/);
    } finally {
      await db.db.close();
    }
  });

  it('the CLI refuses a broken dump with the file, entry and field on stderr and creates no database', async () => {
    const dir = temp();
    const bundle = JSON.parse(JSON.stringify(realSeeds())) as { actionPlan: { rows: { targets: { kind: string }[] }[] }[] };
    bundle.actionPlan[1]!.rows[0]!.targets[0]!.kind = 'sum';
    const dumpPath = join(dir, 'broken.json');
    writeFileSync(dumpPath, JSON.stringify(bundle));
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const dbPath = join(dir, 'out.plandb');
    expect(await runCli(['init', '--db', dbPath, '--from', dumpPath])).toBe(1);
    expect(errors.join('\n')).toContain('計画データに誤りがあります');
    expect(errors.join('\n')).toContain('actionPlan[1].rows[0].targets[0].kind');
    expect(errors.join('\n')).toContain('broken.json');
    expect(existsSync(dbPath)).toBe(false);

    // a reference problem (an unknown unit) is named in the dump as well
    const unknownUnit = JSON.parse(JSON.stringify(realSeeds())) as { actionPlan: { rows: { units: string[] }[] }[] };
    unknownUnit.actionPlan[0]!.rows[0]!.units[0] = '存在しない委員会';
    writeFileSync(dumpPath, JSON.stringify(unknownUnit));
    errors.length = 0;
    expect(await runCli(['init', '--db', dbPath, '--from', dumpPath])).toBe(1);
    expect(errors.join('\n')).toContain(`${dumpPath}: actionPlan[0].rows[0] (p1-digital).units[0]: unknown unit "存在しない委員会"`);
    expect(existsSync(dbPath)).toBe(false);
  });
});
