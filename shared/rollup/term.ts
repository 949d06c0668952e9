import { decimalsOf, exactDifference, percentOf, roundTo } from './arithmetic';
import type { TargetDirection, TargetFigures, TargetKind, YearFigure } from './figures';
import { formatFigure, formatYears } from './format';
import type { PlanState, TermFigure, TermSide } from './result';

/**
 * The term figure of a target and how a side (plan or actual) stands against the term goal.
 * README (rollup section) states the same rules in prose; keep both in step.
 */

export type Side = 'plan' | 'actual';
const sideWord: Record<Side, string> = { plan: '計画', actual: '実績' };

/** Does `value` satisfy the goal in the target's direction (以上 / 超 / 以下 / 未満)? */
export function meets(value: number, goal: number, direction: TargetDirection): boolean {
  switch (direction) {
    case 'at_least':
      return value >= goal;
    case 'more_than':
      return value > goal;
    case 'at_most':
      return value <= goal;
    case 'less_than':
      return value < goal;
  }
}

/** Upper-bound goals (以下 / 未満): lower is better. */
export const lowerIsBetter = (direction: TargetDirection) => direction === 'at_most' || direction === 'less_than';

/** Kinds whose years add up to the term (延・金額). Levels, volumes and rates are never summed. */
export const isSummed = (kind: TargetKind) => kind === 'cumulative' || kind === 'money';

/** The goal a side is compared with: the term goal, or for maintain the level to keep (baseline, else term goal). */
export function goalOf(t: Pick<TargetFigures, 'kind' | 'baseline' | 'termGoal'>): number | null {
  if (t.kind === 'maintain') return t.baseline?.value ?? t.termGoal;
  return t.termGoal;
}

const valueOf = (y: YearFigure, side: Side) => (side === 'plan' ? y.plan : y.actual);

/**
 * The term figure from the yearly values of one side:
 * - cumulative, money: the sum of the years that have a value (complete when every year has one);
 * - level, final_volume, rate: the value of the last year that has one (complete when that is the final year);
 * - maintain: the weakest year (the lowest, or for 以下/未満 the highest), complete when every year has a value.
 * No value in any year gives null, never 0.
 */
export function termFigure(t: Pick<TargetFigures, 'kind' | 'direction' | 'years'>, side: Side, lists = true): TermFigure {
  // One pass over the years (a rollup makes two figures for each of thousands of targets); the sum
  // is made as exactSum makes it, without an array of the values. Without `lists` (the rollup's own
  // judgement, which needs only the value and whether it is complete) the two lists of years are
  // left empty, never made; with them, they are made at their final length.
  const lower = lowerIsBetter(t.direction);
  const plan = side === 'plan';
  const years = t.years;
  let entered = 0;
  for (let i = 0; i < years.length; i++) if ((plan ? years[i]!.plan : years[i]!.actual) !== null) entered++;
  const yearsWithValue = lists ? new Array<number>(entered) : NO_YEARS;
  const missingYears = lists ? new Array<number>(years.length - entered) : NO_YEARS;
  const complete = entered === years.length;
  let last: YearFigure | null = null;
  let worst: YearFigure | null = null;
  let worstValue = 0;
  let decimals = 0;
  let sum = 0;
  let withValue = 0;
  for (let i = 0; i < years.length; i++) {
    const y = years[i]!;
    const v = plan ? y.plan : y.actual;
    if (v === null) {
      if (lists) missingYears[i - withValue] = y.fiscalYear;
      continue;
    }
    if (lists) yearsWithValue[withValue] = y.fiscalYear;
    withValue++;
    decimals = Math.max(decimals, decimalsOf(v));
    sum += v;
    last = y;
    if (worst === null || (lower ? v > worstValue : v < worstValue)) {
      worst = y;
      worstValue = v;
    }
  }
  if (isSummed(t.kind)) {
    return { value: last !== null ? roundTo(sum, decimals) : null, method: 'sum', yearsWithValue, missingYears, complete, fromYear: null };
  }
  if (t.kind === 'maintain') {
    return {
      value: worst ? valueOf(worst, side) : null,
      method: 'worst',
      yearsWithValue,
      missingYears,
      complete,
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

/** The lists of years of a figure made without them (termFigure's `lists`): empty, never written to. */
const NO_YEARS: number[] = [];

/** figure / goal in percent, where that means "how much of the goal": at-least goals above 0, figures not negative. */
export function shareOf(value: number | null, goal: number | null, direction: TargetDirection): number | null {
  if (value === null || goal === null || lowerIsBetter(direction) || goal <= 0 || value < 0) return null;
  return percentOf(value, goal);
}

/**
 * Can the years still missing change whether the figure meets the goal? A cumulative count never
 * shrinks (its values are not negative), so a partial sum that already reaches an at-least goal has
 * reached it, and one that already exceeds an at-most goal has missed it. Money can be negative
 * (drawdowns), and levels, rates and volumes can move either way: for them nothing is settled early,
 * except maintain, where one year under the level breaks it for good.
 */
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

/** How one side stands: the rules of termSide, given its figure and the goal. */
function judgeSide(t: TargetFigures, side: Side, figure: TermFigure, goal: number | null): TermSide {
  const value = figure.value;
  const gap = value !== null && goal !== null ? exactDifference(value, goal) : null;
  const share = shareOf(value, goal, t.direction);
  let state: PlanState;
  if (value === null) state = 'no_values';
  else if (goal === null) state = 'no_goal';
  else {
    const ok = meets(value, goal, t.direction);
    state = (figure.complete ? (ok ? 'reaches' : 'misses') : settledEarly(t, side, figure, goal)) ?? 'incomplete';
  }
  return { value, gap, share, state };
}

/** One side (the yearly plans, or the actuals) against the term goal: do the years add up to it? */
export function termSide(t: TargetFigures, side: Side): TermSide {
  return judgeSide(t, side, termFigure(t, side, false), goalOf(t));
}

/** Why a side stands as termSide says, in one Japanese line (for a tooltip, a note, the command line). */
export function termSideReason(t: TargetFigures, unit: string, side: Side): string {
  const figure = termFigure(t, side);
  const goal = goalOf(t);
  const { gap, state } = judgeSide(t, side, figure, goal);
  const word = sideWord[side];
  const value = figure.value;
  if (state === 'no_values') {
    const why = goal === null ? '期間目標もありません' : `期間目標は${formatFigure(goal, unit)}`;
    return `${word}値がどの年度にもありません（${why}）。`;
  }
  const shown = describeFigure(t.direction, figure, unit, word);
  if (state === 'no_goal') {
    const level = t.kind === 'maintain' ? '維持する水準（基準値・期間目標）' : '期間目標';
    return `${level}がないため判定しません。${shown}。`;
  }
  // reaches, misses, incomplete: there is a value and a goal.
  if (state === 'reaches') return `${shown}で${goalTextOf(t, goal!, unit)}に届きます。`;
  if (state === 'misses') {
    const detail = t.kind === 'maintain' ? `${figure.fromYear}年度が水準を満たしません` : `差${formatFigure(gap, unit)}`;
    return `${shown}で${goalTextOf(t, goal!, unit)}に届きません（${detail}）。`;
  }
  const ok = meets(value!, goal!, t.direction);
  const missing = t.kind === 'level' || t.kind === 'final_volume' || t.kind === 'rate' ? [t.years.at(-1)!.fiscalYear] : figure.missingYears;
  const remaining = isSummed(t.kind) && gap !== null && !ok ? `。期間目標まであと${formatFigure(Math.abs(gap), unit)}` : '';
  return `${formatYears(missing)}の${word}値がありません。${shown}${remaining}。`;
}

const goalTextOf = (t: TargetFigures, goal: number, unit: string) => `${t.kind === 'maintain' ? '維持する水準' : '期間目標'}${formatFigure(goal, unit)}`;

function describeFigure(direction: TargetDirection, figure: TermFigure, unit: string, word: string): string {
  const v = formatFigure(figure.value, unit);
  if (figure.method === 'sum') return figure.yearsWithValue.length === 1 ? `${formatYears(figure.yearsWithValue)}の${word}${v}` : `${formatYears(figure.yearsWithValue)}の${word}の合計${v}`;
  if (figure.method === 'worst') return `${word}の最も${lowerIsBetter(direction) ? '高い' : '低い'}年度（${figure.fromYear}年度）${v}`;
  return `${figure.fromYear}年度の${word}${v}`;
}
