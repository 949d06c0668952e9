import type { PillarInput, RollupInput, TargetFigures, TargetInput, UnitInput } from './figures';
import { Commitment, type Counts, PlanState, type PillarRollup, type RollupNames, type RollupResult, StatusCode, type TargetRollup, type TargetYear, type UnitRollup, type YearRollup } from './result';
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

function firstIndexOf(years: TargetFigures['years'], fiscalYear: number, before: number): number {
  for (let i = 0; i < before; i++) if (years[i]!.fiscalYear === fiscalYear) return i;
  return before;
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

/**
 * Every figure of one target: the years, the plan side, the actual side and the status as of a year.
 * The names of its units, pillar and theme are the rollup's (RollupResult.names), once each.
 */
export function rollupTarget(t: TargetInput, asOfYear: number): TargetRollup {
  const goal = goalOf(t);
  const source = t.years;
  // At its final length: the years are kept in the result, and an array grown by push holds 16 slots.
  const years = new Array<TargetYear>(source.length);
  for (let i = 0; i < source.length; i++) {
    const y = source[i]!;
    // As commitmentOf: the first year of that fiscal year (the same one, unless a year is listed twice).
    const index = firstIndexOf(source, y.fiscalYear, i);
    years[i] = {
      fiscalYear: y.fiscalYear,
      plan: y.plan,
      actual: y.actual,
      commitment: commitmentAt(t, index, source[index]!.plan ?? null, goal),
      planShareOfGoal: y.plan === null ? null : shareOf(y.plan, goal, t.direction),
    };
  }
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
    pillarId: t.pillarId,
    unitIds: t.unitIds,
    years,
    plan: termSide(t, 'plan'),
    actual: termSide(t, 'actual'),
    status: statusAsOf(t, asOfYear),
  };
}

/*
 * Counts are kept in Int32Arrays while counting (a large chamber has thousands of units, each with
 * its own counts) and made into objects once, for the rows shown. A block of counts is
 * [themes, targets, one per StatusCode, one per PlanState], each in the schema's order.
 */
const statusCodes = StatusCode.options;
const planStates = PlanState.options;
const commitments = Commitment.options;
const indexOf = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k, i) => [k, i])) as Record<K, number>;
const STATUS_AT = indexOf(statusCodes);
const PLAN_AT = indexOf(planStates);
const COMMITMENT_AT = indexOf(commitments);
const STATUS0 = 2;
const PLAN0 = STATUS0 + statusCodes.length;
const STRIDE = PLAN0 + planStates.length;

function addTarget(counts: Int32Array, at: number, t: TargetRollup): void {
  counts[at + 1]!++;
  counts[at + STATUS0 + STATUS_AT[t.status.code]]!++;
  counts[at + PLAN0 + PLAN_AT[t.plan.state]]!++;
}

function countsAt(counts: Int32Array, at: number): Counts {
  const status = {} as Record<StatusCode, number>;
  for (let i = 0; i < statusCodes.length; i++) status[statusCodes[i]!] = counts[at + STATUS0 + i]!;
  const plan = {} as Record<PlanState, number>;
  for (let i = 0; i < planStates.length; i++) plan[planStates[i]!] = counts[at + PLAN0 + i]!;
  return { themes: counts[at]!, targets: counts[at + 1]!, status, plan };
}

/** Themes, targets and how many targets are in each status and plan state. */
export function countsOf(targets: readonly TargetRollup[], themes: number): Counts {
  const counts = new Int32Array(STRIDE);
  counts[0] = themes;
  for (const t of targets) addTarget(counts, 0, t);
  return countsAt(counts, 0);
}

/** The sidebar's order of unit kinds. */
const unitKindOrder = ['department', 'committee', 'branch', 'section', 'womens_association', 'youth_group', 'group'];
const kindRank = (kind: string) => {
  const i = unitKindOrder.indexOf(kind);
  return i < 0 ? unitKindOrder.length : i;
};

export const NO_PILLAR_NAME = '柱・指針の指定なし（支部の目標など）';

/** The position of each id in `rows` (the last of equal ids, as a Map built from the rows keeps it). */
function indexById(rows: readonly { id: string }[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) index.set(rows[i]!.id, i);
  return index;
}

/** The whole rollup: per target, per unit, per pillar, per fiscal year, and the totals. */
export function computeRollup(input: RollupInput, options: RollupOptions): RollupResult {
  const { asOfYear } = options;
  const unitId = options.unitId ?? null;
  const fiscalYears: number[] = [];
  for (let y = input.startYear; y <= input.endYear; y++) fiscalYears.push(y);
  if (!fiscalYears.includes(asOfYear)) throw new RangeError(`fiscal year ${asOfYear} is outside the plan ${input.startYear}-${input.endYear}`);
  const unit = unitId === null ? null : (input.units.find((u) => u.id === unitId) ?? null);
  if (unitId !== null && unit === null) throw new RangeError(`unknown unit ${unitId}`);

  const { units, pillars } = input;
  const unitAt = indexById(units);
  const pillarAt = indexById(pillars);
  // One block of counts per unit, per pillar (and one for targets of no pillar or one not in the plan), and the totals.
  const unitCounts = new Int32Array(units.length * STRIDE);
  const pillarCounts = new Int32Array((pillars.length + 1) * STRIDE);
  const orphans = pillars.length * STRIDE;
  const totals = new Int32Array(STRIDE);
  const pillarBlock = (id: string | null) => (id === null ? orphans : (pillarAt.get(id) ?? pillars.length) * STRIDE);
  // Per fiscal year of the plan: targets planned, with an actual, and one count per Commitment.
  const n = fiscalYears.length;
  const yearCounts = new Int32Array(n * (2 + commitments.length));

  const targets: TargetRollup[] = [];
  const names: RollupNames = { units: {}, pillars: {}, themes: {} };
  const at: number[] = []; // the count blocks of the target's units, reused from target to target
  // Each name is written once (a record of thousands of ids is a dictionary: a write per target and
  // unit cost more than the rest of the loop); the first write fixes a key's place, as before.
  const unitNamed = new Uint8Array(units.length);
  const pillarNamed = new Uint8Array(pillars.length);
  let lastTheme: string | null = null; // a theme's targets come one after the other
  for (const t of input.targets) {
    if (unitId !== null && !t.unitIds.includes(unitId)) continue;
    const ids = t.unitIds;
    at.length = 0;
    for (let k = 0; k < ids.length; k++) {
      const i = unitAt.get(ids[k]!);
      if (i === undefined) {
        at.push(-1);
        names.units[ids[k]!] = '';
      } else {
        at.push(i * STRIDE);
        if (unitNamed[i] === 0) {
          unitNamed[i] = 1;
          names.units[ids[k]!] = units[i]!.name;
        }
      }
    }
    const p = t.pillarId ? pillarAt.get(t.pillarId) : undefined;
    if (p !== undefined && pillarNamed[p] === 0) {
      pillarNamed[p] = 1;
      names.pillars[t.pillarId!] = pillars[p]!.name;
    }
    if (t.themeId !== null && t.themeText !== null && t.themeId !== lastTheme) {
      lastTheme = t.themeId;
      names.themes[t.themeId] = t.themeText;
    }
    const r = rollupTarget(t, asOfYear);
    targets.push(r);
    addTarget(totals, 0, r);
    for (const block of at) if (block >= 0) addTarget(unitCounts, block, r);
    addTarget(pillarCounts, pillarBlock(r.pillarId), r);
    // A target whose years are the plan's, in order (every target the query reads), is read by index; any other is searched.
    const ys = r.years;
    let aligned = ys.length === n;
    for (let i = 0; aligned && i < n; i++) aligned = ys[i]!.fiscalYear === fiscalYears[i];
    for (let i = 0; i < n; i++) {
      const y = aligned ? ys[i] : ys.find((v) => v.fiscalYear === fiscalYears[i]);
      if (!y) continue;
      const block = i * (2 + commitments.length);
      if (y.plan !== null) yearCounts[block]!++;
      if (y.actual !== null) yearCounts[block + 1]!++;
      yearCounts[block + 2 + COMMITMENT_AT[y.commitment]]!++;
    }
  }
  let themes = 0;
  for (const th of input.themes) {
    if (unitId !== null && !th.unitIds.includes(unitId)) continue;
    themes++;
    for (const id of th.unitIds) {
      const i = unitAt.get(id);
      if (i !== undefined) unitCounts[i * STRIDE]!++;
    }
    pillarCounts[pillarBlock(th.pillarId)]!++;
  }
  totals[0] = themes;

  return {
    startYear: input.startYear,
    endYear: input.endYear,
    fiscalYears,
    asOfYear,
    unit: unit ? { id: unit.id, name: unit.name } : null,
    targets,
    names,
    units: unitRows(unit ? [unit] : units, unitAt, unitCounts),
    pillars: pillarRows(pillars, pillarAt, pillarCounts),
    years: fiscalYears.map((fiscalYear, i): YearRollup => {
      const block = i * (2 + commitments.length);
      const commitment = {} as Record<Commitment, number>;
      for (let c = 0; c < commitments.length; c++) commitment[commitments[c]!] = yearCounts[block + 2 + c]!;
      return { fiscalYear, ordinal: i + 1, targets: targets.length, planned: yearCounts[block]!, actualsEntered: yearCounts[block + 1]!, commitment };
    }),
    totals: countsAt(totals, 0),
  };
}

/**
 * The units in the sidebar's order (kind, then position), each with the counts of its id; a unit
 * with neither targets nor themes is left out.
 */
function unitRows(units: readonly UnitInput[], unitAt: Map<string, number>, counts: Int32Array): UnitRollup[] {
  const ranked = units.map((u) => ({ u, rank: kindRank(u.kind) }));
  ranked.sort((a, b) => a.rank - b.rank || a.u.position - b.u.position);
  const rows: UnitRollup[] = [];
  for (const { u } of ranked) {
    const at = unitAt.get(u.id)! * STRIDE;
    if (counts[at] === 0 && counts[at + 1] === 0) continue;
    rows.push({ unitId: u.id, name: u.name, kind: u.kind, ...countsAt(counts, at) });
  }
  return rows;
}

/** The pillars in their order, then the targets and themes of no pillar (or of one not in the plan); empty rows left out. */
function pillarRows(pillars: readonly PillarInput[], pillarAt: Map<string, number>, counts: Int32Array): PillarRollup[] {
  const rows: PillarRollup[] = [...pillars]
    .sort((a, b) => a.position - b.position)
    .map((p) => ({ pillarId: p.id, name: p.name, kind: p.kind, no: p.no, ...countsAt(counts, pillarAt.get(p.id)! * STRIDE) }));
  rows.push({ pillarId: null, name: NO_PILLAR_NAME, kind: null, no: null, ...countsAt(counts, pillars.length * STRIDE) });
  return rows.filter((p) => p.targets > 0 || p.themes > 0);
}
