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
  const plan = t.years[index]?.plan ?? null;
  if (plan === null) return 'unplanned';
  const goal = goalOf(t);
  if (goal === null) return 'no_goal';
  if (isSummed(t.kind)) return meets(plan, goal / t.years.length, t.direction) ? 'on_pace' : 'below_pace';
  if (meets(plan, goal, t.direction)) return 'on_pace';
  if (t.kind === 'maintain' || index === t.years.length - 1) return 'below_pace';
  return 'towards';
}

/** Every figure of one target: the years, the plan side, the actual side and the status as of a year. */
export function rollupTarget(t: TargetInput, asOfYear: number, names: { units: Map<string, string>; pillars: Map<string, string> }): TargetRollup {
  const goal = goalOf(t);
  const years: TargetYear[] = t.years.map((y) => ({
    fiscalYear: y.fiscalYear,
    plan: y.plan,
    actual: y.actual,
    commitment: commitmentOf(t, y.fiscalYear),
    planShareOfGoal: y.plan === null ? null : shareOf(y.plan, goal, t.direction),
  }));
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

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Themes, targets and how many targets are in each status and plan state. */
export function countsOf(targets: readonly TargetRollup[], themes: number): Counts {
  const status = zeroes(StatusCode.options);
  const plan = zeroes(PlanState.options);
  for (const t of targets) {
    status[t.status.code]++;
    plan[t.plan.state]++;
  }
  return { themes, targets: targets.length, status, plan };
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
  // Group once by unit (one pass over targets and themes), not a filter per unit: a large
  // chamber has thousands of units and targets.
  const targetsOf = new Map<string, TargetRollup[]>();
  for (const t of targets) for (const id of t.unitIds) (targetsOf.get(id) ?? targetsOf.set(id, []).get(id)!).push(t);
  const themeCount = new Map<string, number>();
  for (const th of themes) for (const id of th.unitIds) themeCount.set(id, (themeCount.get(id) ?? 0) + 1);
  return [...units]
    .sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || a.position - b.position)
    .map((u) => ({
      unitId: u.id,
      name: u.name,
      kind: u.kind,
      ...countsOf(targetsOf.get(u.id) ?? [], themeCount.get(u.id) ?? 0),
    }))
    .filter((u) => u.targets > 0 || u.themes > 0);
}

export function pillarRollups(pillars: readonly PillarInput[], targets: readonly TargetRollup[], themes: readonly ThemeInput[]): PillarRollup[] {
  const rows: PillarRollup[] = [...pillars]
    .sort((a, b) => a.position - b.position)
    .map((p) => ({
      pillarId: p.id,
      name: p.name,
      kind: p.kind,
      no: p.no,
      ...countsOf(
        targets.filter((t) => t.pillarId === p.id),
        themes.filter((th) => th.pillarId === p.id).length,
      ),
    }));
  const known = new Set(pillars.map((p) => p.id));
  const orphanTargets = targets.filter((t) => t.pillarId === null || !known.has(t.pillarId));
  const orphanThemes = themes.filter((th) => th.pillarId === null || !known.has(th.pillarId));
  rows.push({ pillarId: null, name: NO_PILLAR_NAME, kind: null, no: null, ...countsOf(orphanTargets, orphanThemes.length) });
  return rows.filter((p) => p.targets > 0 || p.themes > 0);
}

export function yearRollups(fiscalYears: readonly number[], targets: readonly TargetRollup[]): YearRollup[] {
  return fiscalYears.map((fiscalYear, i) => {
    const commitment = zeroes(Commitment.options);
    let planned = 0;
    let actualsEntered = 0;
    for (const t of targets) {
      const y = t.years.find((v) => v.fiscalYear === fiscalYear);
      if (!y) continue;
      commitment[y.commitment]++;
      if (y.plan !== null) planned++;
      if (y.actual !== null) actualsEntered++;
    }
    return { fiscalYear, ordinal: i + 1, targets: targets.length, planned, actualsEntered, commitment };
  });
}
