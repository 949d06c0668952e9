import type { PillarInput, RollupInput, TargetFigures, TargetInput, ThemeInput, UnitInput } from './figures';
import { Commitment, type Counts, PlanState, type PillarRollup, type RollupResult, StatusCode, type TargetRollup, type TargetYear, type UnitRollup, type YearRollup } from './result';
import { statusAsOf } from './status';
import { goalOf, isSummed, meets, shareOf, termSide } from './term';

export interface RollupOptions {
  /** The fiscal year the progress status is judged as of (one of the plan's years). */
  asOfYear: number;
  /** Narrow to the targets and themes of one unit. */
  unitId?: string | null;
}

/**
 * What one fiscal year's plan commits against the term goal:
 * - cumulative / money: the year's plan against its pro-rata share of the goal (goal ÷ years of the plan);
 * - maintain: the year's plan against the level to keep;
 * - level / final_volume / rate: a plan already meeting the goal is on pace; in the final year one
 *   that does not is below pace; in earlier years it is a step on the way (途上), judged at the end.
 */
export function commitmentOf(t: TargetFigures, fiscalYear: number): Commitment {
  const index = t.years.findIndex((y) => y.fiscalYear === fiscalYear);
  return commitmentAt(t, index, t.years[index]?.plan ?? null, goalOf(t));
}

function firstIndexOf(years: TargetFigures['years'], fiscalYear: number): number {
  for (let i = 0; i < years.length; i++) if (years[i]!.fiscalYear === fiscalYear) return i;
  return -1;
}

/** commitmentOf for the year at `index` of t.years, its plan and the target's goal already known. */
function commitmentAt(t: TargetFigures, index: number, plan: number | null, goal: number | null): Commitment {
  if (plan === null) return 'unplanned';
  if (goal === null) return 'no_goal';
  if (isSummed(t.kind)) return meets(plan, goal / t.years.length, t.direction) ? 'on_pace' : 'below_pace';
  if (meets(plan, goal, t.direction)) return 'on_pace';
  if (t.kind === 'maintain' || index === t.years.length - 1) return 'below_pace';
  return 'towards';
}

/** Every figure of one target: the years, the plan side, the actual side and the status as of a year. */
export function rollupTarget(t: TargetInput, asOfYear: number, names: { units: Map<string, string>; pillars: Map<string, string> }): TargetRollup {
  const goal = goalOf(t);
  const years: TargetYear[] = t.years.map((y) => {
    // As commitmentOf: the first year of that fiscal year (the same one, unless a year is listed twice).
    const index = firstIndexOf(t.years, y.fiscalYear);
    return {
      fiscalYear: y.fiscalYear,
      plan: y.plan,
      actual: y.actual,
      commitment: commitmentAt(t, index, t.years[index]!.plan ?? null, goal),
      planShareOfGoal: y.plan === null ? null : shareOf(y.plan, goal, t.direction),
    };
  });
  return {
    id: t.id,
    key: t.key,
    label: t.label,
    unit: t.unit,
    kind: t.kind,
    direction: t.direction,
    baseline: t.baseline,
    termGoal: t.termGoal,
    note: t.note,
    themeId: t.themeId,
    themeText: t.themeText,
    pillarId: t.pillarId,
    pillarName: t.pillarId ? (names.pillars.get(t.pillarId) ?? null) : null,
    unitIds: t.unitIds,
    unitNames: t.unitIds.map((id) => names.units.get(id) ?? ''),
    years,
    plan: termSide(t, t.unit, 'plan'),
    actual: termSide(t, t.unit, 'actual'),
    status: statusAsOf(t, t.unit, asOfYear),
  };
}

// Templates copied with a spread (keys in the schema's order): cheaper than building each from the options.
const statusZeroes = Object.fromEntries(StatusCode.options.map((k) => [k, 0])) as Record<StatusCode, number>;
const planZeroes = Object.fromEntries(PlanState.options.map((k) => [k, 0])) as Record<PlanState, number>;
const commitmentZeroes = Object.fromEntries(Commitment.options.map((k) => [k, 0])) as Record<Commitment, number>;

/** Themes, targets and how many targets are in each status and plan state. */
export function countsOf(targets: readonly TargetRollup[], themes: number): Counts {
  const counts: Counts = { themes, targets: 0, status: { ...statusZeroes }, plan: { ...planZeroes } };
  for (const t of targets) add(counts, t);
  return counts;
}

function add(counts: Counts, t: TargetRollup): void {
  counts.targets++;
  counts.status[t.status.code]++;
  counts.plan[t.plan.state]++;
}

/** The sidebar's order of unit kinds. */
const unitKindOrder = ['department', 'committee', 'branch', 'section', 'womens_association', 'youth_group', 'group'];
const kindRank = (kind: string) => {
  const i = unitKindOrder.indexOf(kind);
  return i < 0 ? unitKindOrder.length : i;
};

export const NO_PILLAR_NAME = '柱・指針の指定なし（支部の目標など）';

/** The whole rollup: per target, per unit, per pillar, per fiscal year, and the totals. */
export function computeRollup(input: RollupInput, options: RollupOptions): RollupResult {
  const { asOfYear } = options;
  const unitId = options.unitId ?? null;
  const fiscalYears: number[] = [];
  for (let y = input.startYear; y <= input.endYear; y++) fiscalYears.push(y);
  if (!fiscalYears.includes(asOfYear)) throw new RangeError(`fiscal year ${asOfYear} is outside the plan ${input.startYear}-${input.endYear}`);
  const unit = unitId === null ? null : (input.units.find((u) => u.id === unitId) ?? null);
  if (unitId !== null && unit === null) throw new RangeError(`unknown unit ${unitId}`);

  const names = { units: new Map(input.units.map((u) => [u.id, u.name])), pillars: new Map(input.pillars.map((p) => [p.id, p.name])) };
  const inScope = (owners: string[]) => unitId === null || owners.includes(unitId);
  const targetInputs = input.targets.filter((t) => inScope(t.unitIds));
  const themes = input.themes.filter((th) => inScope(th.unitIds));
  const targets = targetInputs.map((t) => rollupTarget(t, asOfYear, names));

  return {
    startYear: input.startYear,
    endYear: input.endYear,
    fiscalYears,
    asOfYear,
    unit: unit ? { id: unit.id, name: unit.name } : null,
    targets,
    units: unitRollups(unit ? [unit] : input.units, targets, themes),
    pillars: pillarRollups(input.pillars, targets, themes),
    years: yearRollups(fiscalYears, targets),
    totals: countsOf(targets, themes.length),
  };
}

export function unitRollups(units: readonly UnitInput[], targets: readonly TargetRollup[], themes: readonly ThemeInput[]): UnitRollup[] {
  // Counted in one pass over targets and themes, not a filter per unit: a large chamber has
  // thousands of units and targets.
  const themeCount = new Map<string, number>();
  for (const th of themes) for (const id of th.unitIds) themeCount.set(id, (themeCount.get(id) ?? 0) + 1);
  const countsByUnit = new Map<string, Counts>();
  for (const t of targets)
    for (const id of t.unitIds) {
      let counts = countsByUnit.get(id);
      if (!counts) countsByUnit.set(id, (counts = countsOf([], 0)));
      add(counts, t);
    }
  const ranked = units.map((u) => ({ u, rank: kindRank(u.kind) }));
  ranked.sort((a, b) => a.rank - b.rank || a.u.position - b.u.position);
  const rows: UnitRollup[] = [];
  for (const { u } of ranked) {
    const counts = countsByUnit.get(u.id);
    const themeTotal = themeCount.get(u.id) ?? 0;
    // A unit with neither targets nor themes is left out.
    if (!counts && themeTotal === 0) continue;
    rows.push({ unitId: u.id, name: u.name, kind: u.kind, themes: themeTotal, targets: counts?.targets ?? 0, status: counts?.status ?? { ...statusZeroes }, plan: counts?.plan ?? { ...planZeroes } });
  }
  return rows;
}

export function pillarRollups(pillars: readonly PillarInput[], targets: readonly TargetRollup[], themes: readonly ThemeInput[]): PillarRollup[] {
  // One pass over targets and themes; those of no pillar, or of a pillar not in the plan, go to the last row.
  const counts = new Map<string | null, Counts>(pillars.map((p) => [p.id, countsOf([], 0)]));
  const orphans = countsOf([], 0);
  const countsOfPillar = (id: string | null) => (id === null ? orphans : (counts.get(id) ?? orphans));
  for (const t of targets) add(countsOfPillar(t.pillarId), t);
  for (const th of themes) countsOfPillar(th.pillarId).themes++;
  const rows: PillarRollup[] = [...pillars]
    .sort((a, b) => a.position - b.position)
    .map((p) => ({ pillarId: p.id, name: p.name, kind: p.kind, no: p.no, ...counts.get(p.id)! }));
  rows.push({ pillarId: null, name: NO_PILLAR_NAME, kind: null, no: null, ...orphans });
  return rows.filter((p) => p.targets > 0 || p.themes > 0);
}

export function yearRollups(fiscalYears: readonly number[], targets: readonly TargetRollup[]): YearRollup[] {
  // A target whose years are the plan's, in order (every target the query reads), is read by index;
  // any other is searched as before.
  const aligned = targets.map((t) => t.years.length === fiscalYears.length && t.years.every((y, i) => y.fiscalYear === fiscalYears[i]));
  return fiscalYears.map((fiscalYear, i) => {
    const commitment = { ...commitmentZeroes };
    let planned = 0;
    let actualsEntered = 0;
    for (let k = 0; k < targets.length; k++) {
      const t = targets[k]!;
      const y = aligned[k] ? t.years[i] : t.years.find((v) => v.fiscalYear === fiscalYear);
      if (!y) continue;
      commitment[y.commitment]++;
      if (y.plan !== null) planned++;
      if (y.actual !== null) actualsEntered++;
    }
    return { fiscalYear, ordinal: i + 1, targets: targets.length, planned, actualsEntered, commitment };
  });
}
