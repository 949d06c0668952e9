import { decimalsOf, roundTo } from './arithmetic';
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
export function statusAsOf(t: TargetFigures, asOfYear: number): TargetStatus {
  return judge(t, asOfYear, null);
}

/**
 * Why statusAsOf says what it says, in one Japanese line: the same judgement, with the words of
 * the branch it took (for a tooltip, a note, the command line; never built for a whole rollup).
 */
export function statusReason(t: TargetFigures, unit: string, asOfYear: number): string {
  const explain = { unit, text: '' };
  judge(t, asOfYear, explain);
  return explain.text;
}

/** Where a judgement asked to explain itself puts its words. */
interface Explain {
  unit: string;
  text: string;
}

function judge(t: TargetFigures, asOfYear: number, explain: Explain | null): TargetStatus {
  const years = t.years;
  let index = -1;
  for (let i = 0; i < years.length; i++)
    if (years[i]!.fiscalYear === asOfYear) {
      index = i;
      break;
    }
  if (index < 0) throw new RangeError(`fiscal year ${asOfYear} is outside the plan`);
  // The years to date are years[0..k-1]: read in place, never copied (thousands of targets per rollup).
  const ctx: Ctx = { t, explain, asOfYear, isFinal: index === years.length - 1, k: index + 1, n: years.length, year: years[index]!, failedYear: 0 };
  if (t.kind === 'maintain') return maintainStatus(ctx);
  if (isSummed(t.kind)) return summedStatus(ctx);
  return lastYearStatus(ctx);
}

interface Ctx {
  t: TargetFigures;
  /** null while rolling up (no words); set by statusReason. */
  explain: Explain | null;
  asOfYear: number;
  isFinal: boolean;
  /** Years of the plan so far (1 for its first year; the years to date are t.years[0..k-1]) and in all. */
  k: number;
  n: number;
  year: YearFigure;
  /** maintain: the year whose actual is under the level (for the words of 未達). */
  failedYear: number;
}

/**
 * The words of one branch of the rules, from the context and the status it gave. Each is a
 * function declared once (never a closure made per target): called only when explaining.
 */
type Words = (ctx: Ctx, s: TargetStatus) => string;

function result(ctx: Ctx, code: StatusCode, figure: number | null, reference: number | null, referenceKind: ReferenceKind | null, words: Words): TargetStatus {
  const s: TargetStatus = { code, figure, reference, referenceKind };
  if (ctx.explain) ctx.explain.text = words(ctx, s);
  return s;
}

const f = (ctx: Ctx, v: number | null) => formatFigure(v, ctx.explain!.unit);

/** The fiscal years to date without an actual (or, with `plans`, without a plan); only built for a reason text. */
function yearsWithout(ctx: Ctx, plans: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < ctx.k; i++) {
    const y = ctx.t.years[i]!;
    if ((plans ? y.plan : y.actual) === null) out.push(y.fiscalYear);
  }
  return out;
}

/** 実績未入力 for the years to date without an actual (cumulative, money, maintain) or for the chosen year. */
const noActualToDate: Words = (ctx) => `${formatYears(yearsWithout(ctx, false))}の実績が未入力です。`;
const noActualInYear: Words = (ctx) => `${ctx.asOfYear}年度の実績が未入力です。`;

const referenceWords: Record<ReferenceKind, string> = {
  term_goal: '期間目標',
  pro_rata: '期間目標の按分',
  plans_to_date: '計画の累計',
  year_plan: '年度計画',
  interpolated: '基準値から期間目標への按分',
  maintain_level: '維持する水準',
};

/** 順調 / 要注意 before the final year, 達成 / 未達 in it, judged against `reference`. */
function judged(ctx: Ctx, figure: number, reference: number, kind: ReferenceKind, words: Words): TargetStatus {
  const ok = meets(figure, reference, ctx.t.direction);
  const code: StatusCode = ctx.isFinal ? (ok ? 'achieved' : 'missed') : ok ? 'on_track' : 'attention';
  return result(ctx, code, figure, reference, kind, words);
}

/** The words of judged: the figure, then whether it meets the reference. */
function judgedWords(ctx: Ctx, s: TargetStatus, figureWords: string): string {
  const ok = s.code === 'achieved' || s.code === 'on_track';
  const reference = `${referenceWords[s.referenceKind!]}${f(ctx, s.reference)}${directionLabels[ctx.t.direction]}`;
  return `${figureWords}${f(ctx, s.figure)}は${ok ? `${reference}を満たします` : `${reference}に届きません`}。`;
}
const judgedSumToDate: Words = (ctx, s) => judgedWords(ctx, s, `${ctx.asOfYear}年度までの実績の合計`);
const judgedYear: Words = (ctx, s) => judgedWords(ctx, s, `${ctx.asOfYear}年度の実績`);

/** exactSum of the plans to date, or null when a year to date has none. */
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

function summedStatus(ctx: Ctx): TargetStatus {
  const { t } = ctx;
  // One pass over the years to date: the sum of the actuals entered (as exactSum adds them), how many
  // are missing, and whether every one entered is not negative.
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
    if (ok && !lowerIsBetter(t.direction)) return result(ctx, 'achieved', sum, goal, 'term_goal', reachedEarly);
    if (!ok && lowerIsBetter(t.direction)) return result(ctx, 'missed', sum, goal, 'term_goal', exceededEarly);
  }
  if (missing) return result(ctx, 'no_actual', sum, null, null, noActualToDate);
  if (goal !== null) {
    if (ctx.isFinal) return judged(ctx, sum!, goal, 'term_goal', judgedSumToDate);
    const plans = t.kind === 'money' ? plansToDate(ctx) : null;
    if (plans !== null) return judged(ctx, sum!, plans, 'plans_to_date', judgedSumToDate);
    return judged(ctx, sum!, (goal * ctx.k) / ctx.n, 'pro_rata', judgedSumToDate);
  }
  const plans = plansToDate(ctx);
  if (plans !== null) return judged(ctx, sum!, plans, 'plans_to_date', judgedSumToDate);
  if (ctx.year.plan !== null) return judged(ctx, ctx.year.actual!, ctx.year.plan, 'year_plan', judgedYear);
  return result(ctx, 'no_reference', sum, null, null, noPlansToDate);
}

const reachedEarly: Words = (ctx, s) => `${ctx.asOfYear}年度までの実績の合計${f(ctx, s.figure)}で期間目標${f(ctx, s.reference)}に到達しました。`;
const exceededEarly: Words = (ctx, s) => `${ctx.asOfYear}年度までの実績の合計${f(ctx, s.figure)}が期間目標${f(ctx, s.reference)}${directionLabels[ctx.t.direction]}を超えました。`;
const noPlansToDate: Words = (ctx) => `期間目標も${formatYears(yearsWithout(ctx, true))}の計画値もないため判定できません。`;

function lastYearStatus(ctx: Ctx): TargetStatus {
  const { t, year } = ctx;
  const actual = year.actual;
  if (actual === null) return result(ctx, 'no_actual', null, null, null, noActualInYear);
  const goal = t.termGoal;
  if (goal === null) {
    if (year.plan === null) return result(ctx, 'no_reference', actual, null, null, noPlanInYear);
    return judged(ctx, actual, year.plan, 'year_plan', judgedYear);
  }
  if (meets(actual, goal, t.direction)) return result(ctx, 'achieved', actual, goal, 'term_goal', meetsGoal);
  if (ctx.isFinal) return judged(ctx, actual, goal, 'term_goal', judgedYear);
  if (year.plan !== null) return judged(ctx, actual, year.plan, 'year_plan', judgedYear);
  const line = interpolated(t, ctx.asOfYear);
  if (line !== null) return judged(ctx, actual, line, 'interpolated', judgedYear);
  return judged(ctx, actual, goal, 'term_goal', judgedYear);
}

const noPlanInYear: Words = (ctx) => `期間目標も${ctx.asOfYear}年度の計画値もないため判定できません。`;
const meetsGoal: Words = (ctx, s) => `${ctx.asOfYear}年度の実績${f(ctx, s.figure)}は期間目標${f(ctx, s.reference)}${directionLabels[ctx.t.direction]}を満たします。`;

/** The straight line from the baseline (its year, or the year before the plan) to the goal in the final year. */
function interpolated(t: TargetFigures, fiscalYear: number): number | null {
  if (!t.baseline || t.termGoal === null) return null;
  const from = t.baseline.year ?? t.years[0]!.fiscalYear - 1;
  const to = t.years.at(-1)!.fiscalYear;
  if (from >= to || fiscalYear <= from) return null;
  return t.baseline.value + ((t.termGoal - t.baseline.value) * (fiscalYear - from)) / (to - from);
}

function maintainStatus(ctx: Ctx): TargetStatus {
  const { t } = ctx;
  const level = goalOf(t);
  if (level === null) {
    for (let i = 0; i < ctx.k; i++) if (t.years[i]!.actual === null) return result(ctx, 'no_actual', null, null, null, noActualToDate);
    return result(ctx, 'no_reference', null, null, null, noLevel);
  }
  // One pass over the years to date: the first entered year under the level, whether any is
  // missing, and the weakest entered year (the first of equals, as a reduce keeps it).
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
    if (!meets(a, level, t.direction)) {
      ctx.failedYear = y.fiscalYear;
      return result(ctx, 'missed', a, level, 'maintain_level', underLevel);
    }
    if (worst === null || (lower ? a > worst.actual! : a < worst.actual!)) worst = y;
  }
  if (missing) return result(ctx, 'no_actual', null, null, null, noActualToDate);
  const code: StatusCode = ctx.isFinal ? 'achieved' : 'on_track';
  return result(ctx, code, worst!.actual, level, 'maintain_level', levelKept);
}

const noLevel: Words = () => '維持する水準（基準値・期間目標）がないため判定できません。';
const underLevel: Words = (ctx, s) => `${ctx.failedYear}年度の実績${f(ctx, s.figure)}が維持する水準${f(ctx, s.reference)}${directionLabels[ctx.t.direction]}を満たしません。`;
const levelKept: Words = (ctx, s) => {
  const span = ctx.k === 1 ? `${ctx.asOfYear}年度` : `${ctx.t.years[0]!.fiscalYear}〜${ctx.asOfYear}年度`;
  return `${span}のすべての年度で維持する水準${f(ctx, s.reference)}${directionLabels[ctx.t.direction]}を満たしています。`;
};
