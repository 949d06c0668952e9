import { z } from 'zod';
import { targetDirections, targetKinds } from '../domain/editable-fields';
import { FiscalYear, Uuid } from '../domain/ids';

/**
 * The rollup as it crosses the contract and the command line (plain JSON). The rules that fill it
 * are in term.ts (the term figure and the plan side), status.ts (progress as of a year) and
 * rollup.ts (per target, unit, pillar, year).
 */

export const StatusCode = z.enum(['achieved', 'on_track', 'attention', 'missed', 'no_actual', 'no_reference']);
export type StatusCode = z.infer<typeof StatusCode>;

export const PlanState = z.enum(['reaches', 'misses', 'incomplete', 'no_goal', 'no_values']);
export type PlanState = z.infer<typeof PlanState>;

export const Commitment = z.enum(['on_pace', 'below_pace', 'towards', 'unplanned', 'no_goal']);
export type Commitment = z.infer<typeof Commitment>;

const figure = z.number().nullable();
const year = z.number().int();

/** A kind's term figure from the yearly values of one side (plan or actual). */
export const TermFigure = z.object({
  /** null when no year has a value: missing, never 0. */
  value: figure,
  /** sum of the years / value of the last year with one / the weakest year (maintain). */
  method: z.enum(['sum', 'last', 'worst']),
  yearsWithValue: z.array(year),
  missingYears: z.array(year),
  /** Every year the figure depends on has a value (sum, worst: all years; last: the final year). */
  complete: z.boolean(),
  /** last / worst: the year the value comes from. */
  fromYear: year.nullable(),
});
export type TermFigure = z.infer<typeof TermFigure>;

/** One side (plan or actual) against the term goal. */
export const TermSide = z.object({
  figure: TermFigure,
  /** The goal compared with: the term goal, or for maintain the level to keep (baseline, else term goal). */
  goal: figure,
  /** figure − goal; null when either is missing. */
  gap: figure,
  /** figure / goal in percent, for goals of the at-least kind with a positive goal; else null. */
  share: figure,
  state: PlanState,
  /** One line in Japanese saying why. */
  reason: z.string(),
});
export type TermSide = z.infer<typeof TermSide>;

export const ReferenceKind = z.enum(['term_goal', 'pro_rata', 'plans_to_date', 'year_plan', 'interpolated', 'maintain_level']);
export type ReferenceKind = z.infer<typeof ReferenceKind>;

export const TargetStatus = z.object({
  code: StatusCode,
  asOfYear: FiscalYear,
  /** The actual figure judged (sum to date, value of the year, weakest year); null when none. */
  figure,
  /** What it was judged against; null when there was nothing to judge against. */
  reference: figure,
  referenceKind: ReferenceKind.nullable(),
  reason: z.string(),
});
export type TargetStatus = z.infer<typeof TargetStatus>;

export const TargetYear = z.object({
  fiscalYear: FiscalYear,
  plan: figure,
  actual: figure,
  /** What this year's plan commits against the term goal. */
  commitment: Commitment,
  /** plan / term goal in percent (cumulative and money: the year's share of the term). */
  planShareOfGoal: figure,
});
export type TargetYear = z.infer<typeof TargetYear>;

export const TargetRollup = z.object({
  id: Uuid,
  key: z.string().nullable(),
  label: z.string(),
  unit: z.string(),
  kind: z.enum(targetKinds),
  direction: z.enum(targetDirections),
  baseline: z.object({ value: z.number(), year: year.nullable() }).nullable(),
  termGoal: figure,
  note: z.string().nullable(),
  themeId: Uuid.nullable(),
  themeText: z.string().nullable(),
  pillarId: Uuid.nullable(),
  pillarName: z.string().nullable(),
  unitIds: z.array(Uuid),
  unitNames: z.array(z.string()),
  years: z.array(TargetYear),
  plan: TermSide,
  actual: TermSide,
  status: TargetStatus,
});
export type TargetRollup = z.infer<typeof TargetRollup>;

const count = z.number().int().nonnegative();
export const StatusCounts = z.record(StatusCode, count);
export type StatusCounts = z.infer<typeof StatusCounts>;
export const PlanStateCounts = z.record(PlanState, count);
export type PlanStateCounts = z.infer<typeof PlanStateCounts>;
export const CommitmentCounts = z.record(Commitment, count);
export type CommitmentCounts = z.infer<typeof CommitmentCounts>;

/** Counts over a set of targets: how many, in which status, and what the plans say. */
export const Counts = z.object({
  themes: count,
  targets: count,
  status: StatusCounts,
  plan: PlanStateCounts,
});
export type Counts = z.infer<typeof Counts>;

export const UnitRollup = Counts.extend({ unitId: Uuid, name: z.string(), kind: z.string() });
export type UnitRollup = z.infer<typeof UnitRollup>;

export const PillarRollup = Counts.extend({
  /** null: targets whose theme has no pillar (e.g. the branches' own targets). */
  pillarId: Uuid.nullable(),
  name: z.string(),
  kind: z.enum(['pillar', 'principle']).nullable(),
  no: z.number().int().nullable(),
});
export type PillarRollup = z.infer<typeof PillarRollup>;

export const YearRollup = z.object({
  fiscalYear: FiscalYear,
  /** 1 for the first year of the plan (中期事業計画1年目). */
  ordinal: z.number().int(),
  targets: count,
  /** Targets with a plan value for the year / with an actual. */
  planned: count,
  actualsEntered: count,
  commitment: CommitmentCounts,
});
export type YearRollup = z.infer<typeof YearRollup>;

export const RollupResult = z.object({
  startYear: FiscalYear,
  endYear: FiscalYear,
  fiscalYears: z.array(FiscalYear),
  asOfYear: FiscalYear,
  /** The unit the rollup is narrowed to, or null for the whole plan. */
  unit: z.object({ id: Uuid, name: z.string() }).nullable(),
  targets: z.array(TargetRollup),
  units: z.array(UnitRollup),
  pillars: z.array(PillarRollup),
  years: z.array(YearRollup),
  totals: Counts,
});
export type RollupResult = z.infer<typeof RollupResult>;
