import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RollupInput, TargetDirection, TargetFigures, TargetInput, TargetKind, YearFigure } from '../../shared/rollup/figures';
import { computeRollup } from '../../shared/rollup/rollup';
import { StatusCode } from '../../shared/rollup/result';
import { statusAsOf, statusReason } from '../../shared/rollup/status';
import { meets, termFigure, termSide } from '../../shared/rollup/term';

/** Property tests of the rollup rules (shared/rollup): what must hold for any plan, not just the seed. */

const START = 2020;
const END = 2022;
const fiscalYears = [2020, 2021, 2022];
const kinds: TargetKind[] = ['cumulative', 'level', 'final_volume', 'rate', 'maintain', 'money'];
const directions: TargetDirection[] = ['at_least', 'more_than', 'at_most', 'less_than'];

/** A figure as people type them: whole numbers or one decimal (55.7), kept as integer tenths to compute the truth exactly. */
const tenths = fc.integer({ min: 0, max: 5_000_000 });
const maybeTenths = fc.option(tenths, { nil: null, freq: 3 });

function yearsOf(plans: (number | null)[], actuals: (number | null)[] = [null, null, null]): YearFigure[] {
  return fiscalYears.map((fiscalYear, i) => ({ fiscalYear, plan: plans[i]! === null ? null : plans[i]! / 10, actual: actuals[i]! === null ? null : actuals[i]! / 10 }));
}

const target = (kind: TargetKind, direction: TargetDirection, years: YearFigure[], termGoal: number | null = null, baseline: number | null = null): TargetFigures => ({
  kind,
  direction,
  termGoal,
  baseline: baseline === null ? null : { value: baseline, year: START - 1 },
  years,
});

describe('the term figure of a target, from its years', () => {
  it('cumulative: equals the sum of its years (of the years that have a value)', () => {
    fc.assert(
      fc.property(fc.array(maybeTenths, { minLength: 3, maxLength: 3 }), (plans) => {
        const figure = termFigure(target('cumulative', 'at_least', yearsOf(plans)), 'plan');
        const present = plans.filter((p): p is number => p !== null);
        if (present.length === 0) expect(figure.value).toBeNull();
        else expect(figure.value).toBe(present.reduce((a, b) => a + b, 0) / 10);
        expect(figure.complete).toBe(present.length === 3);
        expect(figure.missingYears).toEqual(fiscalYears.filter((_, i) => plans[i] === null));
      }),
    );
  });

  it('a level, a final-year volume and a rate are never summed: the last year with a value is the term figure', () => {
    fc.assert(
      fc.property(fc.constantFrom<TargetKind>('level', 'final_volume', 'rate'), fc.array(maybeTenths, { minLength: 3, maxLength: 3 }), (kind, plans) => {
        const figure = termFigure(target(kind, 'at_least', yearsOf(plans)), 'plan');
        const lastIndex = plans.findLastIndex((p) => p !== null);
        if (lastIndex < 0) {
          expect(figure.value).toBeNull();
          return;
        }
        expect(figure.value).toBe(plans[lastIndex]! / 10);
        expect(figure.fromYear).toBe(fiscalYears[lastIndex]);
        expect(figure.complete).toBe(lastIndex === 2);
        const present = plans.filter((p): p is number => p !== null && p > 0);
        if (present.length >= 2) expect(figure.value).toBeLessThan(present.reduce((a, b) => a + b, 0) / 10);
      }),
    );
  });

  it('changing an earlier year never moves the term figure of a level, but always moves a cumulative sum', () => {
    fc.assert(
      fc.property(tenths, tenths, tenths, fc.integer({ min: 1, max: 1000 }), (a, b, c, delta) => {
        const before = yearsOf([a, b, c]);
        const after = yearsOf([a + delta, b, c]);
        expect(termFigure(target('level', 'at_least', after), 'plan').value).toBe(termFigure(target('level', 'at_least', before), 'plan').value);
        expect(termFigure(target('cumulative', 'at_least', after), 'plan').value).toBe((a + delta + b + c) / 10);
      }),
    );
  });

  it('a missing figure is missing, never 0: no values give no figure, no gap and no share', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.constantFrom(...directions), fc.option(tenths, { nil: null }), (kind, direction, goal) => {
        const side = termSide(target(kind, direction, yearsOf([null, null, null]), goal === null ? null : goal / 10), 'plan');
        expect(side.value).toBeNull();
        expect(side.gap).toBeNull();
        expect(side.share).toBeNull();
        expect(side.state).toBe('no_values');
      }),
    );
  });
});

describe('maintain', () => {
  it('fails when any year is under the baseline, and only then', () => {
    fc.assert(
      fc.property(tenths, fc.array(tenths, { minLength: 3, maxLength: 3 }), (baseline, actuals) => {
        const level = baseline / 10;
        const t = target('maintain', 'at_least', yearsOf(actuals, actuals), null, level);
        const anyUnder = actuals.some((a) => a / 10 < level);
        expect(statusAsOf(t, END).code).toBe(anyUnder ? 'missed' : 'achieved');
        expect(termSide(t, 'plan').state).toBe(anyUnder ? 'misses' : 'reaches');
        // Once a year is under, every later year says 未達 too: it cannot be repaired.
        const firstUnder = actuals.findIndex((a) => a / 10 < level);
        if (firstUnder >= 0) for (const fy of fiscalYears.slice(firstUnder)) expect(statusAsOf(t, fy).code).toBe('missed');
      }),
    );
  });

  it('with 以下, fails when any year is over the level', () => {
    fc.assert(
      fc.property(tenths, fc.array(tenths, { minLength: 3, maxLength: 3 }), (baseline, actuals) => {
        const t = target('maintain', 'at_most', yearsOf(actuals, actuals), null, baseline / 10);
        expect(statusAsOf(t, END).code).toBe(actuals.some((a) => a > baseline) ? 'missed' : 'achieved');
      }),
    );
  });
});

describe('direction', () => {
  it('以下 and 未満 are 以上 and 超 seen from the other side', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), (v, g) => {
        expect(meets(v, g, 'at_most')).toBe(meets(-v, -g, 'at_least'));
        expect(meets(v, g, 'less_than')).toBe(meets(-v, -g, 'more_than'));
        expect(meets(v, g, 'more_than')).toBe(meets(v, g, 'at_least') && v !== g);
      }),
    );
  });
});

const unitIds = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004'];
const pillarIds = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2'];

const targetInput = fc.record({
  kind: fc.constantFrom(...kinds),
  direction: fc.constantFrom(...directions),
  goal: fc.option(tenths, { nil: null }),
  baseline: fc.option(tenths, { nil: null, freq: 4 }),
  plans: fc.array(maybeTenths, { minLength: 3, maxLength: 3 }),
  actuals: fc.array(maybeTenths, { minLength: 3, maxLength: 3 }),
  units: fc.subarray(unitIds),
  pillar: fc.option(fc.constantFrom(...pillarIds), { nil: null }),
});

type RawTarget = typeof targetInput extends fc.Arbitrary<infer T> ? T : never;

function planOf(raw: RawTarget[]): RollupInput {
  const targets: TargetInput[] = raw.map((r, i) => ({
    ...target(r.kind, r.direction, yearsOf(r.plans, r.actuals), r.goal === null ? null : r.goal / 10, r.baseline === null ? null : r.baseline / 10),
    id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    key: null,
    label: `目標${i}`,
    unit: '名',
    note: null,
    themeId: null,
    themeText: null,
    pillarId: r.pillar,
    unitIds: r.units,
  }));
  return {
    startYear: START,
    endYear: END,
    targets,
    themes: [],
    units: unitIds.map((id, i) => ({ id, name: `組織${i}`, kind: i % 2 ? 'committee' : 'department', position: i })),
    pillars: pillarIds.map((id, i) => ({ id, kind: 'pillar' as const, no: i + 1, name: `柱${i + 1}`, position: i })),
  };
}

describe('aggregation', () => {
  it("a unit's counts equal the sum over its targets; so do a pillar's, a year's and the totals", () => {
    fc.assert(
      fc.property(fc.array(targetInput, { maxLength: 25 }), fc.constantFrom(...fiscalYears), (raw, asOfYear) => {
        const r = computeRollup(planOf(raw), { asOfYear });
        for (const u of r.units) {
          const mine = r.targets.filter((t) => t.unitIds.includes(u.unitId));
          expect(u.targets).toBe(mine.length);
          for (const code of StatusCode.options) expect(u.status[code]).toBe(mine.filter((t) => t.status.code === code).length);
          expect(Object.values(u.status).reduce((a, b) => a + b, 0)).toBe(u.targets);
          expect(Object.values(u.plan).reduce((a, b) => a + b, 0)).toBe(u.targets);
        }
        // Every unit with a target is listed.
        const withTargets = new Set(r.targets.flatMap((t) => t.unitIds));
        expect(new Set(r.units.filter((u) => u.targets > 0).map((u) => u.unitId))).toEqual(withTargets);
        // Each target is in exactly one pillar row.
        expect(r.pillars.reduce((a, p) => a + p.targets, 0)).toBe(r.targets.length);
        for (const y of r.years) expect(Object.values(y.commitment).reduce((a, b) => a + b, 0)).toBe(r.targets.length);
        expect(Object.values(r.totals.status).reduce((a, b) => a + b, 0)).toBe(r.targets.length);
      }),
    );
  });

  it("narrowing to a unit gives exactly that unit's targets, with the same figures as the whole plan", () => {
    fc.assert(
      fc.property(fc.array(targetInput, { maxLength: 25 }), fc.constantFrom(...unitIds), (raw, unitId) => {
        const input = planOf(raw);
        const whole = computeRollup(input, { asOfYear: 2021 });
        const narrowed = computeRollup(input, { asOfYear: 2021, unitId });
        expect(narrowed.targets).toEqual(whole.targets.filter((t) => t.unitIds.includes(unitId)));
        expect(narrowed.units.map((u) => u.unitId)).toEqual(narrowed.targets.length ? [unitId] : []);
      }),
    );
  });

  it('the status of any target is one of the six, whatever its figures', () => {
    fc.assert(
      fc.property(targetInput, fc.constantFrom(...fiscalYears), (r, fy) => {
        const t = target(r.kind, r.direction, yearsOf(r.plans, r.actuals), r.goal === null ? null : r.goal / 10, r.baseline === null ? null : r.baseline / 10);
        const s = statusAsOf(t, fy);
        expect(StatusCode.options).toContain(s.code);
        expect(statusReason(t, '名', fy).length).toBeGreaterThan(0);
        if (s.code === 'no_actual') expect(t.years.some((y) => y.fiscalYear <= fy && y.actual === null)).toBe(true);
      }),
    );
  });
});
