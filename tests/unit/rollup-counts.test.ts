import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlanDatabase } from '../../electron/db/open';
import type { PlanDb } from '../../electron/db/plan-db';
import { rollupOf } from '../../electron/model/queries/rollup';
import { createDatabase } from '../../electron/workspace/create-database';
import { unitNamesOf } from '../../shared/rollup/reasons';
import { Commitment, type Counts, PlanState, type RollupResult, StatusCode, type TargetRollup } from '../../shared/rollup/result';
import { scaleBundle } from '../bench/synthetic';
import { engines, type PlanUnderTest, seededPlan } from '../helpers/engines';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * The rollup's counts per unit, pillar, fiscal year and in total, recounted here the plain way from
 * the targets it lists (a filter per unit, per pillar, per year), on the seed plan (both engines)
 * and on a plan ten times the seed: the rollup counts them in one pass, by index.
 */

function recount(targets: readonly TargetRollup[], themes: number): Counts {
  const status = Object.fromEntries(StatusCode.options.map((c) => [c, targets.filter((t) => t.status.code === c).length]));
  const plan = Object.fromEntries(PlanState.options.map((s) => [s, targets.filter((t) => t.plan.state === s).length]));
  return { themes, targets: targets.length, status, plan } as Counts;
}

async function checkCounts(db: PlanDb, r: RollupResult): Promise<void> {
  expect(r.totals).toEqual(recount(r.targets, r.totals.themes));
  for (const u of r.units) expect(u).toEqual({ unitId: u.unitId, name: u.name, kind: u.kind, ...recount(r.targets.filter((t) => t.unitIds.includes(u.unitId)), u.themes) });
  // Every unit responsible for a target has its row (the whole plan) or is the unit narrowed to.
  const listed = new Set(r.units.map((u) => u.unitId));
  const names = new Map((await db.q.selectFrom('unit').select(['id', 'name']).execute()).map((u) => [u.id, u.name]));
  for (const t of r.targets) {
    expect(unitNamesOf(t, r.names)).toEqual(t.unitIds.map((id) => names.get(id)));
    if (r.unit === null) for (const id of t.unitIds) expect(listed.has(id)).toBe(true);
  }
  const pillarIds = new Set(r.pillars.map((p) => p.pillarId));
  for (const p of r.pillars) {
    const mine = r.targets.filter((t) => (p.pillarId === null ? t.pillarId === null || !pillarIds.has(t.pillarId) : t.pillarId === p.pillarId));
    expect(p).toEqual({ pillarId: p.pillarId, name: p.name, kind: p.kind, no: p.no, ...recount(mine, p.themes) });
  }
  // Each theme in scope is counted under exactly one pillar row.
  expect(r.pillars.reduce((a, p) => a + p.themes, 0)).toBe(r.totals.themes);
  r.fiscalYears.forEach((fiscalYear, i) => {
    const ys = r.targets.map((t) => t.years[i]!);
    expect(ys.every((y) => y.fiscalYear === fiscalYear)).toBe(true);
    expect(r.years[i]).toEqual({
      fiscalYear,
      ordinal: i + 1,
      targets: r.targets.length,
      planned: ys.filter((y) => y.plan !== null).length,
      actualsEntered: ys.filter((y) => y.actual !== null).length,
      commitment: Object.fromEntries(Commitment.options.map((c) => [c, ys.filter((y) => y.commitment === c).length])),
    });
  });
}

async function checkPlan(db: PlanDb): Promise<void> {
  const plan = await db.q.selectFrom('plan').select(['start_year', 'end_year']).executeTakeFirstOrThrow();
  const themes = (await db.q.selectFrom('theme').select('id').execute()).length;
  const units = (await db.q.selectFrom('unit').select('id').orderBy('position').execute()).map((u) => u.id);
  for (let fy = plan.start_year; fy <= plan.end_year; fy++) {
    const whole = await rollupOf(db, { fiscalYear: fy });
    expect(whole.targets.length).toBeGreaterThan(0);
    expect(whole.totals.themes).toBe(themes);
    await checkCounts(db, whole);
    // A few units, narrowed: their targets are the whole plan's that they are responsible for.
    for (const unitId of units.filter((_, i) => i % 23 === 0)) {
      const narrowed = await rollupOf(db, { fiscalYear: fy, unitId });
      expect(narrowed.targets).toEqual(whole.targets.filter((t) => t.unitIds.includes(unitId)));
      await checkCounts(db, narrowed);
    }
  }
}

describe.each(engines)('the seed plan on %s', (engine) => {
  let env: PlanUnderTest;
  beforeAll(async () => {
    env = await seededPlan(engine);
  });
  afterAll(() => env.cleanup());

  it('counts per unit, pillar, year and in total are those of the targets listed', () => checkPlan(env.db));
});

describe('a plan ten times the seed (SQLite)', () => {
  const t = tempDir();
  let db: PlanDb;
  beforeAll(async () => {
    const path = join(t.dir, 'plan.plandb');
    await (await createDatabase(path, scaleBundle(realSeeds(), 10))).db.close();
    db = openPlanDatabase(path, { create: false }).db;
  }, 60_000);
  afterAll(async () => {
    await db.close();
    t.cleanup();
  });

  it('counts per unit, pillar, year and in total are those of the targets listed', () => checkPlan(db), 60_000);
});
