import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../electron/db/open';
import { rollupOf } from '../../electron/model/queries/rollup';
import { readRollupInput } from '../../electron/model/queries/rollup-queries';
import { createDatabase } from '../../electron/workspace/create-database';
import type { RollupInput, TargetDirection, TargetFigures, TargetKind } from '../../shared/rollup/figures';
import { pillarNameOf, reasonsOf, themeTextOf, unitNamesOf } from '../../shared/rollup/reasons';
import type { RollupResult } from '../../shared/rollup/result';
import { statusReason } from '../../shared/rollup/status';
import { rollupTable } from '../../shared/rollup/table';
import { termFigure, termSideReason } from '../../shared/rollup/term';
import { scaleBundle } from '../bench/synthetic';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';
import { oldStatusAsOf, oldTermSide } from '../helpers/rollup-old-shape';

/**
 * The rollup answer leaves out the reasons in words and the names (each unit, pillar and theme is
 * named once, in RollupResult.names); the page, the exports and the command line make them from the
 * figures. Here: what they make is what the answer used to carry, word for word, on the seed plan,
 * on a 10× synthetic plan (which has actuals in every year) and on any target fast-check makes. The
 * old answer's words come from rollup-old-shape.ts, the code that made them, kept in the tests only.
 */

/** What the old answer said of one target: its reasons, names and figures, as the old code made them. */
function oldShape(input: RollupInput, t: RollupInput['targets'][number], asOfYear: number) {
  const unitName = new Map(input.units.map((u) => [u.id, u.name]));
  const pillarName = new Map(input.pillars.map((p) => [p.id, p.name]));
  const plan = oldTermSide(t, t.unit, 'plan');
  const actual = oldTermSide(t, t.unit, 'actual');
  const status = oldStatusAsOf(t, t.unit, asOfYear);
  return {
    reasons: { plan: plan.reason, actual: actual.reason, status: status.reason },
    unitNames: t.unitIds.map((id) => unitName.get(id) ?? ''),
    pillarName: t.pillarId ? (pillarName.get(t.pillarId) ?? null) : null,
    themeText: t.themeText,
    plan: { value: plan.figure.value, gap: plan.gap, share: plan.share, state: plan.state },
    actual: { value: actual.figure.value, gap: actual.gap, share: actual.share, state: actual.state },
    status: { code: status.code, figure: status.figure, reference: status.reference, referenceKind: status.referenceKind },
    figures: { plan: plan.figure, actual: actual.figure },
  };
}

/** The same, derived from the new answer. */
function derived(r: RollupResult, t: RollupResult['targets'][number]) {
  return {
    reasons: reasonsOf(t, r.asOfYear),
    unitNames: unitNamesOf(t, r.names),
    pillarName: pillarNameOf(t, r.names),
    themeText: themeTextOf(t, r.names),
    plan: t.plan,
    actual: t.actual,
    status: t.status,
    figures: { plan: termFigure(t, 'plan'), actual: termFigure(t, 'actual') },
  };
}

describe.each([1, 10])('the reasons and names of the %i× plan are those of the old answer', { timeout: 300_000 }, (factor) => {
  let opened: OpenedDatabase;
  let input: RollupInput;
  const temp = tempDir();
  beforeAll(async () => {
    opened = createDatabase(join(temp.dir, 'plan.plandb'), factor === 1 ? realSeeds() : scaleBundle(realSeeds(), factor));
    input = await readRollupInput(opened.db);
  });
  afterAll(async () => {
    await opened.db.close();
    temp.cleanup();
  });

  it('every fiscal year, the whole plan and the first unit with targets', async () => {
    const byId = new Map(input.targets.map((t) => [t.id, t]));
    const unitId = input.targets.find((t) => t.unitIds.length > 0)!.unitIds[0]!;
    let compared = 0;
    const statuses = new Set<string>();
    for (let fy = input.startYear; fy <= input.endYear; fy++) {
      for (const narrowed of [undefined, unitId]) {
        const r = await rollupOf(opened.db, { fiscalYear: fy, unitId: narrowed });
        expect(r.targets.length).toBeGreaterThan(0);
        const got = r.targets.map((t) => derived(r, t));
        const want = r.targets.map((t) => oldShape(input, byId.get(t.id)!, fy));
        expect(got).toEqual(want);
        // The names carry the units, pillars and themes the targets name and no others.
        expect(Object.keys(r.names.units).sort()).toEqual([...new Set(r.targets.flatMap((t) => t.unitIds))].sort());
        expect(Object.keys(r.names.pillars).length).toBeLessThanOrEqual(input.pillars.length);
        // The rollup table's notes (tooltips) say the same; the label's note is the target's own.
        const table = rollupTable(r);
        table.rows.forEach((row, i) => {
          expect(row.notes('planState')).toBe(want[i]!.reasons.plan);
          expect(row.notes('status')).toBe(want[i]!.reasons.status);
          expect(row.notes('label')).toBe(r.targets[i]!.note || undefined);
          expect(row.notes('termGoal')).toBeUndefined();
          expect(row.cells.units).toBe(want[i]!.unitNames.join('、'));
          expect(row.cells.pillar).toBe(want[i]!.pillarName ?? '');
        });
        for (const t of r.targets) statuses.add(t.status.code);
        compared += got.length;
      }
    }
    expect(compared).toBeGreaterThan(factor * 89 * 3);
    // The seed plan has no actuals; the 10× plan has one in every year, so the judgements are tried too.
    if (factor === 10) expect(statuses.size).toBeGreaterThan(2);
  });
});

describe('any target: the derived reasons are the old ones', () => {
  const kinds: TargetKind[] = ['cumulative', 'level', 'final_volume', 'rate', 'maintain', 'money'];
  const directions: TargetDirection[] = ['at_least', 'more_than', 'at_most', 'less_than'];
  // Whole numbers, tenths and negatives (money can be drawn down), often missing.
  const value = fc.oneof(fc.integer({ min: -500, max: 50_000 }), fc.integer({ min: -5000, max: 5000 }).map((v) => v / 10));
  const maybe = fc.option(value, { nil: null, freq: 3 });
  const target = fc.record({
    kind: fc.constantFrom(...kinds),
    direction: fc.constantFrom(...directions),
    termGoal: maybe,
    baseline: fc.option(fc.record({ value, year: fc.option(fc.integer({ min: 2017, max: 2022 }), { nil: null }) }), { nil: null }),
    years: fc.tuple(maybe, maybe, maybe, maybe, maybe, maybe).map(([p0, a0, p1, a1, p2, a2]) => [
      { fiscalYear: 2020, plan: p0, actual: a0 },
      { fiscalYear: 2021, plan: p1, actual: a1 },
      { fiscalYear: 2022, plan: p2, actual: a2 },
    ]),
  });

  it('plan, actual and status, every fiscal year', () => {
    fc.assert(
      fc.property(target, fc.constantFrom('名', '億円', ''), (t: TargetFigures, unit) => {
        expect(termSideReason(t, unit, 'plan')).toBe(oldTermSide(t, unit, 'plan').reason);
        expect(termSideReason(t, unit, 'actual')).toBe(oldTermSide(t, unit, 'actual').reason);
        for (const fy of [2020, 2021, 2022]) expect(statusReason(t, unit, fy)).toBe(oldStatusAsOf(t, unit, fy).reason);
      }),
      { numRuns: 3000 },
    );
  });
});
