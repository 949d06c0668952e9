import { describe, expect, it } from 'vitest';
import type { TargetDirection, TargetFigures, TargetKind } from '../../shared/rollup/figures';
import { commitmentOf } from '../../shared/rollup/rollup';
import { statusAsOf, statusReason } from '../../shared/rollup/status';
import { termFigure, termSide, termSideReason } from '../../shared/rollup/term';

/** The status rules of the README, one case each (FY2020–2022, a three-year plan). */

type Pair = [plan: number | null, actual: number | null];
function t(kind: TargetKind, goal: number | null, years: Pair[], direction: TargetDirection = 'at_least', baseline: TargetFigures['baseline'] = null): TargetFigures {
  return { kind, direction, termGoal: goal, baseline, years: years.map(([plan, actual], i) => ({ fiscalYear: 2020 + i, plan, actual })) };
}
const status = (f: TargetFigures, year: number) => statusAsOf(f, year);

describe('cumulative: actual to date against the pro-rata path', () => {
  const goal = 25000; // 研修講座受講者25,000名 over the term; pro rata 8,333.33… a year
  it('順調 when the actuals to date reach the pro-rata share, 要注意 when not', () => {
    expect(status(t('cumulative', goal, [[8300, 8400], [null, null], [null, null]]), 2020)).toMatchObject({ code: 'on_track', referenceKind: 'pro_rata' });
    const behind = status(t('cumulative', goal, [[8300, 8300], [null, null], [null, null]]), 2020);
    expect(behind.code).toBe('attention');
    expect(behind.reference).toBeCloseTo(8333.333, 2);
    expect(status(t('cumulative', goal, [[8300, 8000], [8300, 9000], [null, null]]), 2021)).toMatchObject({ code: 'on_track', figure: 17000 });
  });
  it('達成 as soon as the sum reaches the term goal, even early', () => {
    expect(status(t('cumulative', goal, [[null, 26000], [null, null], [null, null]]), 2020).code).toBe('achieved');
    expect(status(t('cumulative', goal, [[null, 20000], [null, 5000], [null, null]]), 2021).code).toBe('achieved');
  });
  it('未達 in the final year when the three years fall short', () => {
    expect(status(t('cumulative', goal, [[null, 8000], [null, 8000], [null, 8000]]), 2022)).toMatchObject({ code: 'missed', figure: 24000, reference: 25000 });
  });
  it('実績未入力 when a year up to the chosen one has no actual, never counted as 0', () => {
    const f = t('cumulative', goal, [[null, 9000], [null, null], [null, 9000]]);
    expect(status(f, 2022).code).toBe('no_actual');
    expect(statusReason(f, '名', 2022)).toContain('2021年度');
  });
  it('超 (more_than) needs strictly more', () => {
    expect(status(t('cumulative', 2000, [[null, 2000], [null, 0], [null, 0]], 'more_than'), 2022).code).toBe('missed');
    expect(status(t('cumulative', 2000, [[null, 2001], [null, 0], [null, 0]], 'more_than'), 2022).code).toBe('achieved');
  });
  it('以下 (at_most): a sum already over the limit is 未達 at once; under it until the end is 達成', () => {
    expect(status(t('cumulative', 100, [[null, 120], [null, null], [null, null]], 'at_most'), 2020).code).toBe('missed');
    expect(status(t('cumulative', 90, [[null, 20], [null, null], [null, null]], 'at_most'), 2020).code).toBe('on_track');
    expect(status(t('cumulative', 90, [[null, 40], [null, null], [null, null]], 'at_most'), 2020).code).toBe('attention');
    expect(status(t('cumulative', 90, [[null, 30], [null, 30], [null, 30]], 'at_most'), 2022).code).toBe('achieved');
  });
});

describe('money: can be negative (drawdowns), judged against the planned path', () => {
  // 積立金 取り崩し 7.5億円 (FY2020), 2億円 (FY2021), recovery in FY2022: a limit on the total drawdown of 9.5億円.
  const reserve = (a: [number | null, number | null, number | null]) =>
    t('money', -9.5, [[-7.5, a[0]], [-2, a[1]], [0.5, a[2]]], 'at_least');
  it('a drawdown as planned is 順調, a deeper one 要注意', () => {
    expect(status(reserve([-7.5, null, null]), 2020)).toMatchObject({ code: 'on_track', referenceKind: 'plans_to_date', reference: -7.5 });
    expect(status(reserve([-8, null, null]), 2020).code).toBe('attention');
  });
  it('sums exactly and judges the term in the final year', () => {
    expect(status(reserve([-7.5, -2, 0.5]), 2022)).toMatchObject({ code: 'achieved', figure: -9 });
    expect(status(reserve([-7.5, -2.1, 0]), 2022)).toMatchObject({ code: 'missed', figure: -9.6 });
  });
  it('has no share of the goal (a ratio of negative amounts means nothing), but a gap', () => {
    const side = termSide(reserve([null, null, null]), 'plan');
    expect(side).toMatchObject({ share: null, gap: 0.5, state: 'reaches' });
    expect(side.value).toBe(-9);
  });
});

describe('level, final-year volume, rate: the year itself, never summed', () => {
  it('達成 when the year meets the term goal; 順調/要注意 against the year plan before the final year', () => {
    // 会員 83,000件以上 at end of FY2022; 81,000件以上 at end of FY2020
    const members = (a2020: number | null, a2022: number | null = null) => t('level', 83000, [[81000, a2020], [null, null], [null, a2022]]);
    expect(status(members(81500), 2020)).toMatchObject({ code: 'on_track', referenceKind: 'year_plan', reference: 81000 });
    expect(status(members(80000), 2020).code).toBe('attention');
    expect(status(members(83100), 2020).code).toBe('achieved');
    expect(status(members(81500, 82000), 2022)).toMatchObject({ code: 'missed', referenceKind: 'term_goal' });
  });
  it('without a plan for the year, the straight line from the baseline to the goal', () => {
    // ITツール活用 60% (baseline 55.7%, 2019): 2019→2022 is three steps, so FY2020's point is 55.7 + 4.3 ÷ 3 = 57.13%
    const rate = (actual: number) => t('rate', 60, [[null, actual], [null, null], [null, null]], 'at_least', { value: 55.7, year: 2019 });
    const s = status(rate(57.2), 2020);
    expect(s).toMatchObject({ code: 'on_track', referenceKind: 'interpolated' });
    expect(s.reference).toBeCloseTo(57.1333, 4);
    expect(status(rate(57.1), 2020).code).toBe('attention');
  });
  it('without a term goal: the year plan is that year’s goal; with none either, 目標未設定', () => {
    const fair = (plan: number | null, actual: number) => t('final_volume', null, [[plan, actual], [null, null], [plan, actual]]);
    expect(status(fair(1200, 1250), 2020).code).toBe('on_track');
    expect(status(fair(1200, 1100), 2022).code).toBe('missed');
    expect(status(fair(null, 1100), 2020).code).toBe('no_reference');
  });
  it('未満 (less_than): lower is better', () => {
    expect(status(t('rate', 5, [[null, 4], [null, null], [null, null]], 'less_than'), 2020).code).toBe('achieved');
    expect(status(t('rate', 5, [[null, null], [null, null], [null, 5]], 'less_than'), 2022).code).toBe('missed');
  });
});

describe('maintain: every year at or above the level (baseline, else term goal)', () => {
  // ビジネス関連検定試験受験者数の水準162,500名を維持 — no baseline year in the document; the level is the term goal.
  const kentei = (a: [number | null, number | null, number | null]) => t('maintain', 162500, [[162500, a[0]], [null, a[1]], [null, a[2]]]);
  it('順調 while every year so far holds, 達成 when all three do, 未達 from the first year under it', () => {
    expect(status(kentei([163000, null, null]), 2020).code).toBe('on_track');
    expect(status(kentei([163000, 170000, 162500]), 2022).code).toBe('achieved');
    expect(status(kentei([150000, null, null]), 2020).code).toBe('missed');
    expect(status(kentei([150000, 170000, 170000]), 2022)).toMatchObject({ code: 'missed', figure: 150000 });
  });
  it('the baseline, when there is one, is the level to keep', () => {
    const f = t('maintain', 200000, [[null, 170000], [null, null], [null, null]], 'at_least', { value: 162500, year: 2019 });
    expect(status(f, 2020).code).toBe('on_track');
  });
});

describe('the plan side: do the yearly plans reach the term goal?', () => {
  it('cumulative: complete plans that add up to the goal reach it; missing years are shown as missing', () => {
    expect(termSide(t('cumulative', 10000, [[4000, null], [3000, null], [3000, null]]), 'plan').state).toBe('reaches');
    expect(termSide(t('cumulative', 10000, [[4000, null], [3000, null], [2000, null]]), 'plan')).toMatchObject({ state: 'misses', gap: -1000 });
    const f = t('cumulative', 10000, [[4000, null], [null, null], [null, null]]);
    expect(termSide(f, 'plan')).toMatchObject({ state: 'incomplete', gap: -6000, share: 40 });
    expect(termFigure(f, 'plan').missingYears).toEqual([2021, 2022]);
    expect(termSideReason(f, '社', 'plan')).toContain('あと6,000社');
  });
  it('a level is judged by the final year’s plan, not the sum', () => {
    expect(termSide(t('level', 83000, [[81000, null], [82000, null], [83000, null]]), 'plan')).toMatchObject({ state: 'reaches', gap: 0 });
  });
  it('no term goal is shown as such, not as 0 or as a miss', () => {
    expect(termSide(t('cumulative', null, [[12, null], [null, null], [null, null]]), 'plan')).toMatchObject({ state: 'no_goal', gap: null, share: null });
  });
});

describe('what a year’s plan commits against the term', () => {
  it('cumulative: the year against goal ÷ 3', () => {
    const f = t('cumulative', 25000, [[8300, null], [8400, null], [null, null]]);
    expect(commitmentOf(f, 2020)).toBe('below_pace');
    expect(commitmentOf(f, 2021)).toBe('on_pace');
    expect(commitmentOf(f, 2022)).toBe('unplanned');
  });
  it('a level is on the way before the final year', () => {
    const f = t('level', 83000, [[81000, null], [null, null], [82000, null]]);
    expect(commitmentOf(f, 2020)).toBe('towards');
    expect(commitmentOf(f, 2022)).toBe('below_pace');
  });
});
