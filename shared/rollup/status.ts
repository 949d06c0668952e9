import { exactSum } from './arithmetic';
import type { TargetFigures, YearFigure } from './figures';
import { formatFigure, formatYears } from './format';
import { directionLabels } from './labels';
import type { ReferenceKind, StatusCode, TargetStatus } from './result';
import { goalOf, isSummed, lowerIsBetter, meets } from './term';

/**
 * Progress as of a fiscal year: the actuals entered for the years up to it, against the term goal
 * or the path to it. The rules, per kind (README, rollup section, says the same):
 *
 * 実績未入力 (no_actual) — an actual the judgement needs is missing: for cumulative and money every
 *   year up to the chosen one, for maintain every year up to it, otherwise the chosen year. It is
 *   not a failure; it comes first unless the actuals already entered settle the matter.
 * cumulative / money (the years add up):
 *   達成 when the actuals to date reach the term goal (a cumulative count reaching an at-least goal
 *   has reached it even in an early year); in the final year, 未達 when they do not (a cumulative
 *   count already over an at-most goal is 未達 at once). Before the final year: 順調 when the actuals
 *   to date meet the path — for cumulative the pro-rata share of the goal (goal × years so far ÷
 *   years of the plan), for money the sum of the yearly plans to date when every year has one
 *   (drawdowns and recoveries are planned unevenly), else pro rata — and 要注意 when they do not.
 * level / final_volume / rate (the last year counts, never summed):
 *   達成 when the chosen year's actual meets the term goal; in the final year 未達 when it does not;
 *   before it, 順調 / 要注意 against the year's plan, or without one the straight line from the
 *   baseline to the goal, or without a baseline the goal itself.
 * maintain: 未達 as soon as any year's actual is under the level to keep (baseline, else term goal);
 *   達成 when every year of the plan meets it; 順調 while every year so far does.
 * Without a term goal (or, for maintain, a level): the year's plan is the goal of that year —
 *   cumulative and money compare the sums to date when every year so far has a plan — and the final
 *   year says 達成 / 未達, earlier years 順調 / 要注意. With no plan either: 目標未設定 (no_reference).
 * Direction: 以上 / 超 / 以下 / 未満 decide every "meets" above (meets()); for 以下 and 未満, lower is better.
 */
export function statusAsOf(t: TargetFigures, unit: string, asOfYear: number): TargetStatus {
  const index = t.years.findIndex((y) => y.fiscalYear === asOfYear);
  if (index < 0) throw new RangeError(`fiscal year ${asOfYear} is outside the plan`);
  const toDate = t.years.slice(0, index + 1);
  const isFinal = index === t.years.length - 1;
  const ctx: Ctx = { t, unit, asOfYear, toDate, isFinal, k: index + 1, n: t.years.length, year: t.years[index]! };
  if (t.kind === 'maintain') return maintainStatus(ctx);
  if (isSummed(t.kind)) return summedStatus(ctx);
  return lastYearStatus(ctx);
}

interface Ctx {
  t: TargetFigures;
  unit: string;
  asOfYear: number;
  toDate: YearFigure[];
  isFinal: boolean;
  /** Years of the plan so far (1 for its first year) and in all. */
  k: number;
  n: number;
  year: YearFigure;
}

function result(ctx: Ctx, code: StatusCode, figure: number | null, reference: number | null, referenceKind: ReferenceKind | null, reason: string): TargetStatus {
  return { code, asOfYear: ctx.asOfYear, figure, reference, referenceKind, reason };
}

const f = (ctx: Ctx, v: number | null) => formatFigure(v, ctx.unit);
const missingActuals = (years: YearFigure[]) => years.filter((y) => y.actual === null).map((y) => y.fiscalYear);

function noActual(ctx: Ctx, missing: number[], figure: number | null = null): TargetStatus {
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

/** 順調 / 要注意 before the final year, 達成 / 未達 in it, judged against `reference`. */
function judged(ctx: Ctx, figure: number, reference: number, kind: ReferenceKind, figureWords: string): TargetStatus {
  const ok = meets(figure, reference, ctx.t.direction);
  const code: StatusCode = ctx.isFinal ? (ok ? 'achieved' : 'missed') : ok ? 'on_track' : 'attention';
  const relation = ok ? `${referenceWords[kind]}${f(ctx, reference)}${directionLabels[ctx.t.direction]}を満たします` : `${referenceWords[kind]}${f(ctx, reference)}${directionLabels[ctx.t.direction]}に届きません`;
  return result(ctx, code, figure, reference, kind, `${figureWords}${f(ctx, figure)}は${relation}。`);
}

function summedStatus(ctx: Ctx): TargetStatus {
  const { t, toDate } = ctx;
  const entered = toDate.filter((y) => y.actual !== null).map((y) => y.actual!);
  const sum = entered.length ? exactSum(entered) : null;
  const missing = missingActuals(toDate);
  const words = `${ctx.asOfYear}年度までの実績の合計`;
  const goal = t.termGoal;
  if (goal !== null && sum !== null && t.kind === 'cumulative' && entered.every((v) => v >= 0)) {
    const ok = meets(sum, goal, t.direction);
    if (ok && !lowerIsBetter(t.direction)) return result(ctx, 'achieved', sum, goal, 'term_goal', `${words}${f(ctx, sum)}で期間目標${f(ctx, goal)}に到達しました。`);
    if (!ok && lowerIsBetter(t.direction)) return result(ctx, 'missed', sum, goal, 'term_goal', `${words}${f(ctx, sum)}が期間目標${f(ctx, goal)}${directionLabels[t.direction]}を超えました。`);
  }
  if (missing.length) return noActual(ctx, missing, sum);
  if (goal !== null) {
    if (ctx.isFinal) return judged(ctx, sum!, goal, 'term_goal', words);
    const plans = toDate.map((y) => y.plan);
    if (t.kind === 'money' && plans.every((p) => p !== null)) return judged(ctx, sum!, exactSum(plans as number[]), 'plans_to_date', words);
    return judged(ctx, sum!, (goal * ctx.k) / ctx.n, 'pro_rata', words);
  }
  const plans = toDate.map((y) => y.plan);
  if (plans.every((p) => p !== null)) return judged(ctx, sum!, exactSum(plans as number[]), 'plans_to_date', words);
  if (ctx.year.plan !== null) return judged(ctx, ctx.year.actual!, ctx.year.plan, 'year_plan', `${ctx.asOfYear}年度の実績`);
  return result(ctx, 'no_reference', sum, null, null, `期間目標も${formatYears(missingPlans(toDate))}の計画値もないため判定できません。`);
}

const missingPlans = (years: YearFigure[]) => years.filter((y) => y.plan === null).map((y) => y.fiscalYear);

function lastYearStatus(ctx: Ctx): TargetStatus {
  const { t, year } = ctx;
  const actual = year.actual;
  if (actual === null) return noActual(ctx, [ctx.asOfYear]);
  const words = `${ctx.asOfYear}年度の実績`;
  const goal = t.termGoal;
  if (goal === null) {
    if (year.plan === null) return result(ctx, 'no_reference', actual, null, null, `期間目標も${ctx.asOfYear}年度の計画値もないため判定できません。`);
    return judged(ctx, actual, year.plan, 'year_plan', words);
  }
  if (meets(actual, goal, t.direction)) return result(ctx, 'achieved', actual, goal, 'term_goal', `${words}${f(ctx, actual)}は期間目標${f(ctx, goal)}${directionLabels[t.direction]}を満たします。`);
  if (ctx.isFinal) return judged(ctx, actual, goal, 'term_goal', words);
  if (year.plan !== null) return judged(ctx, actual, year.plan, 'year_plan', words);
  const line = interpolated(t, ctx.asOfYear);
  if (line !== null) return judged(ctx, actual, line, 'interpolated', words);
  return judged(ctx, actual, goal, 'term_goal', words);
}

/** The straight line from the baseline (its year, or the year before the plan) to the goal in the final year. */
function interpolated(t: TargetFigures, fiscalYear: number): number | null {
  if (!t.baseline || t.termGoal === null) return null;
  const from = t.baseline.year ?? t.years[0]!.fiscalYear - 1;
  const to = t.years.at(-1)!.fiscalYear;
  if (from >= to || fiscalYear <= from) return null;
  return t.baseline.value + ((t.termGoal - t.baseline.value) * (fiscalYear - from)) / (to - from);
}

function maintainStatus(ctx: Ctx): TargetStatus {
  const { t, toDate } = ctx;
  const level = goalOf(t);
  const missing = missingActuals(toDate);
  const entered = toDate.filter((y) => y.actual !== null);
  if (level === null) {
    if (missing.length) return noActual(ctx, missing);
    return result(ctx, 'no_reference', null, null, null, '維持する水準（基準値・期間目標）がないため判定できません。');
  }
  const failing = entered.find((y) => !meets(y.actual!, level, t.direction));
  if (failing)
    return result(ctx, 'missed', failing.actual, level, 'maintain_level', `${failing.fiscalYear}年度の実績${f(ctx, failing.actual)}が維持する水準${f(ctx, level)}${directionLabels[t.direction]}を満たしません。`);
  if (missing.length) return noActual(ctx, missing);
  const worst = entered.reduce((w, y) => ((lowerIsBetter(t.direction) ? y.actual! > w.actual! : y.actual! < w.actual!) ? y : w));
  const code: StatusCode = ctx.isFinal ? 'achieved' : 'on_track';
  const span = ctx.k === 1 ? `${ctx.asOfYear}年度` : `${toDate[0]!.fiscalYear}〜${ctx.asOfYear}年度`;
  return result(ctx, code, worst.actual, level, 'maintain_level', `${span}のすべての年度で維持する水準${f(ctx, level)}${directionLabels[t.direction]}を満たしています。`);
}
