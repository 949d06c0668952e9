import { decimalsOf, exactDifference, roundTo } from '../../shared/rollup/arithmetic';
import type { TargetDirection, TargetFigures, YearFigure } from '../../shared/rollup/figures';
import { formatFigure, formatYears } from '../../shared/rollup/format';
import { directionLabels } from '../../shared/rollup/labels';
import type { PlanState, ReferenceKind, StatusCode, TermFigure } from '../../shared/rollup/result';
import { goalOf, isSummed, lowerIsBetter, meets, shareOf } from '../../shared/rollup/term';

/**
 * The reasons in words as the rollup answer carried them before they left it (the code of
 * shared/rollup/term.ts and status.ts at that time, comments left out): kept in the tests only, so
 * that rollup-reasons.test.ts can show that the words made from the leaner answer are the same.
 * Not a second copy of the rules in the app: nothing but that test uses it.
 */

interface OldTermSide {
  figure: TermFigure;
  goal: number | null;
  gap: number | null;
  share: number | null;
  state: PlanState;
  reason: string;
}
interface OldTargetStatus {
  code: StatusCode;
  asOfYear: number;
  figure: number | null;
  reference: number | null;
  referenceKind: ReferenceKind | null;
  reason: string;
}

type Side = 'plan' | 'actual';
const sideWord: Record<Side, string> = { plan: '計画', actual: '実績' };

const valueOf = (y: YearFigure, side: Side) => (side === 'plan' ? y.plan : y.actual);

function termFigure(t: Pick<TargetFigures, 'kind' | 'direction' | 'years'>, side: Side): TermFigure {
  const yearsWithValue: number[] = [];
  const missingYears: number[] = [];
  const lower = lowerIsBetter(t.direction);
  const plan = side === 'plan';
  const years = t.years;
  let last: YearFigure | null = null;
  let worst: YearFigure | null = null;
  let worstValue = 0;
  let decimals = 0;
  let sum = 0;
  for (let i = 0; i < years.length; i++) {
    const y = years[i]!;
    const v = plan ? y.plan : y.actual;
    if (v === null) {
      missingYears.push(y.fiscalYear);
      continue;
    }
    yearsWithValue.push(y.fiscalYear);
    decimals = Math.max(decimals, decimalsOf(v));
    sum += v;
    last = y;
    if (worst === null || (lower ? v > worstValue : v < worstValue)) {
      worst = y;
      worstValue = v;
    }
  }
  if (isSummed(t.kind)) {
    return { value: last !== null ? roundTo(sum, decimals) : null, method: 'sum', yearsWithValue, missingYears, complete: missingYears.length === 0, fromYear: null };
  }
  if (t.kind === 'maintain') {
    return {
      value: worst ? valueOf(worst, side) : null,
      method: 'worst',
      yearsWithValue,
      missingYears,
      complete: missingYears.length === 0,
      fromYear: worst?.fiscalYear ?? null,
    };
  }
  const finalYear = years.length ? years[years.length - 1]!.fiscalYear : null;
  return {
    value: last ? valueOf(last, side) : null,
    method: 'last',
    yearsWithValue,
    missingYears,
    complete: last !== null && last.fiscalYear === finalYear,
    fromYear: last?.fiscalYear ?? null,
  };
}

function settledEarly(t: Pick<TargetFigures, 'kind' | 'direction' | 'years'>, side: Side, figure: TermFigure, goal: number): PlanState | null {
  if (figure.value === null) return null;
  const ok = meets(figure.value, goal, t.direction);
  if (t.kind === 'maintain') return ok ? null : 'misses';
  if (t.kind !== 'cumulative') return null;
  for (const y of t.years) if (!((valueOf(y, side) ?? 0) >= 0)) return null;
  if (ok && !lowerIsBetter(t.direction)) return 'reaches';
  if (!ok && lowerIsBetter(t.direction)) return 'misses';
  return null;
}

function sideOf(figure: TermFigure, goal: number | null, gap: number | null, share: number | null, state: PlanState, reason: string): OldTermSide {
  return { figure, goal, gap, share, state, reason };
}

export function oldTermSide(t: TargetFigures, unit: string, side: Side): OldTermSide {
  const figure = termFigure(t, side);
  const goal = goalOf(t);
  const word = sideWord[side];
  const value = figure.value;
  const gap = value !== null && goal !== null ? exactDifference(value, goal) : null;
  const share = shareOf(value, goal, t.direction);
  if (value === null) {
    const why = goal === null ? '期間目標もありません' : `期間目標は${formatFigure(goal, unit)}`;
    return sideOf(figure, goal, gap, share, 'no_values', `${word}値がどの年度にもありません（${why}）。`);
  }
  const shown = describeFigure(t.direction, figure, unit, word);
  if (goal === null) {
    const level = t.kind === 'maintain' ? '維持する水準（基準値・期間目標）' : '期間目標';
    return sideOf(figure, goal, gap, share, 'no_goal', `${level}がないため判定しません。${shown}。`);
  }
  const ok = meets(value, goal, t.direction);
  const settled = figure.complete ? (ok ? 'reaches' : 'misses') : settledEarly(t, side, figure, goal);
  if (settled === 'reaches') return sideOf(figure, goal, gap, share, 'reaches', `${shown}で${goalTextOf(t, goal, unit)}に届きます。`);
  if (settled === 'misses') {
    const detail = t.kind === 'maintain' ? `${figure.fromYear}年度が水準を満たしません` : `差${formatFigure(gap, unit)}`;
    return sideOf(figure, goal, gap, share, 'misses', `${shown}で${goalTextOf(t, goal, unit)}に届きません（${detail}）。`);
  }
  const missing = t.kind === 'level' || t.kind === 'final_volume' || t.kind === 'rate' ? [t.years.at(-1)!.fiscalYear] : figure.missingYears;
  const remaining = isSummed(t.kind) && gap !== null && !ok ? `。期間目標まであと${formatFigure(Math.abs(gap), unit)}` : '';
  return sideOf(figure, goal, gap, share, 'incomplete', `${formatYears(missing)}の${word}値がありません。${shown}${remaining}。`);
}

const goalTextOf = (t: TargetFigures, goal: number, unit: string) => `${t.kind === 'maintain' ? '維持する水準' : '期間目標'}${formatFigure(goal, unit)}`;

function describeFigure(direction: TargetDirection, figure: TermFigure, unit: string, word: string): string {
  const v = formatFigure(figure.value, unit);
  if (figure.method === 'sum') return figure.yearsWithValue.length === 1 ? `${formatYears(figure.yearsWithValue)}の${word}${v}` : `${formatYears(figure.yearsWithValue)}の${word}の合計${v}`;
  if (figure.method === 'worst') return `${word}の最も${lowerIsBetter(direction) ? '高い' : '低い'}年度（${figure.fromYear}年度）${v}`;
  return `${figure.fromYear}年度の${word}${v}`;
}

export function oldStatusAsOf(t: TargetFigures, unit: string, asOfYear: number): OldTargetStatus {
  const years = t.years;
  let index = -1;
  for (let i = 0; i < years.length; i++)
    if (years[i]!.fiscalYear === asOfYear) {
      index = i;
      break;
    }
  if (index < 0) throw new RangeError(`fiscal year ${asOfYear} is outside the plan`);
  const ctx: Ctx = { t, unit, asOfYear, isFinal: index === years.length - 1, k: index + 1, n: years.length, year: years[index]! };
  if (t.kind === 'maintain') return maintainStatus(ctx);
  if (isSummed(t.kind)) return summedStatus(ctx);
  return lastYearStatus(ctx);
}

interface Ctx {
  t: TargetFigures;
  unit: string;
  asOfYear: number;
  isFinal: boolean;
    k: number;
  n: number;
  year: YearFigure;
}

function result(ctx: Ctx, code: StatusCode, figure: number | null, reference: number | null, referenceKind: ReferenceKind | null, reason: string): OldTargetStatus {
  return { code, asOfYear: ctx.asOfYear, figure, reference, referenceKind, reason };
}

const f = (ctx: Ctx, v: number | null) => formatFigure(v, ctx.unit);

function yearsWithout(ctx: Ctx, plans: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < ctx.k; i++) {
    const y = ctx.t.years[i]!;
    if ((plans ? y.plan : y.actual) === null) out.push(y.fiscalYear);
  }
  return out;
}

function noActual(ctx: Ctx, missing: number[], figure: number | null = null): OldTargetStatus {
  return result(ctx, 'no_actual', figure, null, null, `${formatYears(missing)}の実績が未入力です。`);
}

const referenceWords: Record<ReferenceKind, string> = {
  term_goal: '期間目標',
  pro_rata: '期間目標の按分',
  plans_to_date: '計画の累計',
  year_plan: '年度計画',
  interpolated: '基準値から期間目標への按分',
  maintain_level: '維持する水準',
};

function judged(ctx: Ctx, figure: number, reference: number, kind: ReferenceKind, figureWords: string): OldTargetStatus {
  const ok = meets(figure, reference, ctx.t.direction);
  const code: StatusCode = ctx.isFinal ? (ok ? 'achieved' : 'missed') : ok ? 'on_track' : 'attention';
  const relation = ok ? `${referenceWords[kind]}${f(ctx, reference)}${directionLabels[ctx.t.direction]}を満たします` : `${referenceWords[kind]}${f(ctx, reference)}${directionLabels[ctx.t.direction]}に届きません`;
  return result(ctx, code, figure, reference, kind, `${figureWords}${f(ctx, figure)}は${relation}。`);
}

function plansToDate(ctx: Ctx): number | null {
  let decimals = 0;
  let sum = 0;
  for (let i = 0; i < ctx.k; i++) {
    const p = ctx.t.years[i]!.plan;
    if (p === null) return null;
    decimals = Math.max(decimals, decimalsOf(p));
    sum += p;
  }
  return roundTo(sum, decimals);
}

function summedStatus(ctx: Ctx): OldTargetStatus {
  const { t } = ctx;
  let entered = 0;
  let missing = 0;
  let nonNegative = true;
  let decimals = 0;
  let total = 0;
  for (let i = 0; i < ctx.k; i++) {
    const a = t.years[i]!.actual;
    if (a === null) {
      missing++;
      continue;
    }
    entered++;
    if (!(a >= 0)) nonNegative = false;
    decimals = Math.max(decimals, decimalsOf(a));
    total += a;
  }
  const sum = entered ? roundTo(total, decimals) : null;
  const goal = t.termGoal;
  if (goal !== null && sum !== null && t.kind === 'cumulative' && nonNegative) {
    const ok = meets(sum, goal, t.direction);
    if (ok && !lowerIsBetter(t.direction)) return result(ctx, 'achieved', sum, goal, 'term_goal', `${ctx.asOfYear}年度までの実績の合計${f(ctx, sum)}で期間目標${f(ctx, goal)}に到達しました。`);
    if (!ok && lowerIsBetter(t.direction)) return result(ctx, 'missed', sum, goal, 'term_goal', `${ctx.asOfYear}年度までの実績の合計${f(ctx, sum)}が期間目標${f(ctx, goal)}${directionLabels[t.direction]}を超えました。`);
  }
  if (missing) return noActual(ctx, yearsWithout(ctx, false), sum);
  const words = `${ctx.asOfYear}年度までの実績の合計`;
  if (goal !== null) {
    if (ctx.isFinal) return judged(ctx, sum!, goal, 'term_goal', words);
    const plans = t.kind === 'money' ? plansToDate(ctx) : null;
    if (plans !== null) return judged(ctx, sum!, plans, 'plans_to_date', words);
    return judged(ctx, sum!, (goal * ctx.k) / ctx.n, 'pro_rata', words);
  }
  const plans = plansToDate(ctx);
  if (plans !== null) return judged(ctx, sum!, plans, 'plans_to_date', words);
  if (ctx.year.plan !== null) return judged(ctx, ctx.year.actual!, ctx.year.plan, 'year_plan', `${ctx.asOfYear}年度の実績`);
  return result(ctx, 'no_reference', sum, null, null, `期間目標も${formatYears(yearsWithout(ctx, true))}の計画値もないため判定できません。`);
}

function lastYearStatus(ctx: Ctx): OldTargetStatus {
  const { t, year } = ctx;
  const actual = year.actual;
  if (actual === null) return noActual(ctx, [ctx.asOfYear]);
  const goal = t.termGoal;
  if (goal === null) {
    if (year.plan === null) return result(ctx, 'no_reference', actual, null, null, `期間目標も${ctx.asOfYear}年度の計画値もないため判定できません。`);
    return judged(ctx, actual, year.plan, 'year_plan', `${ctx.asOfYear}年度の実績`);
  }
  if (meets(actual, goal, t.direction)) return result(ctx, 'achieved', actual, goal, 'term_goal', `${ctx.asOfYear}年度の実績${f(ctx, actual)}は期間目標${f(ctx, goal)}${directionLabels[t.direction]}を満たします。`);
  const words = `${ctx.asOfYear}年度の実績`;
  if (ctx.isFinal) return judged(ctx, actual, goal, 'term_goal', words);
  if (year.plan !== null) return judged(ctx, actual, year.plan, 'year_plan', words);
  const line = interpolated(t, ctx.asOfYear);
  if (line !== null) return judged(ctx, actual, line, 'interpolated', words);
  return judged(ctx, actual, goal, 'term_goal', words);
}

function interpolated(t: TargetFigures, fiscalYear: number): number | null {
  if (!t.baseline || t.termGoal === null) return null;
  const from = t.baseline.year ?? t.years[0]!.fiscalYear - 1;
  const to = t.years.at(-1)!.fiscalYear;
  if (from >= to || fiscalYear <= from) return null;
  return t.baseline.value + ((t.termGoal - t.baseline.value) * (fiscalYear - from)) / (to - from);
}

function maintainStatus(ctx: Ctx): OldTargetStatus {
  const { t } = ctx;
  const level = goalOf(t);
  if (level === null) {
    const missing = yearsWithout(ctx, false);
    if (missing.length) return noActual(ctx, missing);
    return result(ctx, 'no_reference', null, null, null, '維持する水準（基準値・期間目標）がないため判定できません。');
  }
  const lower = lowerIsBetter(t.direction);
  let missing = false;
  let worst: YearFigure | null = null;
  for (let i = 0; i < ctx.k; i++) {
    const y = t.years[i]!;
    const a = y.actual;
    if (a === null) {
      missing = true;
      continue;
    }
    if (!meets(a, level, t.direction))
      return result(ctx, 'missed', a, level, 'maintain_level', `${y.fiscalYear}年度の実績${f(ctx, a)}が維持する水準${f(ctx, level)}${directionLabels[t.direction]}を満たしません。`);
    if (worst === null || (lower ? a > worst.actual! : a < worst.actual!)) worst = y;
  }
  if (missing) return noActual(ctx, yearsWithout(ctx, false));
  const code: StatusCode = ctx.isFinal ? 'achieved' : 'on_track';
  const span = ctx.k === 1 ? `${ctx.asOfYear}年度` : `${t.years[0]!.fiscalYear}〜${ctx.asOfYear}年度`;
  return result(ctx, code, worst!.actual, level, 'maintain_level', `${span}のすべての年度で維持する水準${f(ctx, level)}${directionLabels[t.direction]}を満たしています。`);
}
