import { z } from 'zod';
import { targetDirections, targetKinds } from '../domain/editable-fields';
import { FiscalYear, Uuid } from '../domain/ids';

/**
 * The rollup as it crosses the contract and the command line (plain JSON). The rules that fill it
 * are in term.ts (the term figure and the plan side), status.ts (progress as of a year) and
 * rollup.ts (per target, unit, pillar, year). It carries each fact once and only the figures: the
 * reasons in words (reasons.ts) and the names (namesOf) are made by whoever shows them, for what
 * they show (a plan of 9,000 targets would otherwise build and ship 27,000 sentences per answer).
 */

export const StatusCode = z.enum(['achieved', 'on_track', 'attention', 'missed', 'no_actual', 'no_reference']);
export type StatusCode = z.infer<typeof StatusCode>;

export const PlanState = z.enum(['reaches', 'misses', 'incomplete', 'no_goal', 'no_values']);
export type PlanState = z.infer<typeof PlanState>;

export const Commitment = z.enum(['on_pace', 'below_pace', 'towards', 'unplanned', 'no_goal']);
export type Commitment = z.infer<typeof Commitment>;

const figure = z.number().nullable();
const year = z.number().int();

/**
 * A kind's term figure from the yearly values of one side (plan or actual). Not in the answer: the
 * answer carries its value (TermSide.value); termFigure (term.ts) makes the rest from the years.
 */
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

/**
 * One side (plan or actual) against the term goal. The goal compared with is goalOf(target) (the
 * term goal, or for maintain the level to keep); why it stands so is sideReason (reasons.ts).
 */
export const TermSide = z.object({
  /** The term figure (TermFigure.value); null when no year has a value: missing, never 0. */
  value: figure,
  /** value − goal; null when either is missing. */
  gap: figure,
  /** value / goal in percent, for goals of the at-least kind with a positive goal; else null. */
  share: figure,
  state: PlanState,
});
export type TermSide = z.infer<typeof TermSide>;

export const ReferenceKind = z.enum(['term_goal', 'pro_rata', 'plans_to_date', 'year_plan', 'interpolated', 'maintain_level']);
export type ReferenceKind = z.infer<typeof ReferenceKind>;

/** Progress as of the rollup's asOfYear; why, in words, is statusReason (reasons.ts). */
export const TargetStatus = z.object({
  code: StatusCode,
  /** The actual figure judged (sum to date, value of the year, weakest year); null when none. */
  figure,
  /** What it was judged against; null when there was nothing to judge against. */
  reference: figure,
  referenceKind: ReferenceKind.nullable(),
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
  /** Its theme, pillar and units; their texts and names are in RollupResult.names, once each. */
  themeId: Uuid.nullable(),
  pillarId: Uuid.nullable(),
  unitIds: z.array(Uuid),
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

/**
 * The names of the units, pillars and themes the targets name, once each: units by id ('' for an
 * id not in the plan), pillars by id, themes' texts by id.
 */
export const RollupNames = z.object({ units: z.record(Uuid, z.string()), pillars: z.record(Uuid, z.string()), themes: z.record(Uuid, z.string()) });
export type RollupNames = z.infer<typeof RollupNames>;

export const RollupResult = z.object({
  startYear: FiscalYear,
  endYear: FiscalYear,
  fiscalYears: z.array(FiscalYear),
  asOfYear: FiscalYear,
  /** The unit the rollup is narrowed to, or null for the whole plan. */
  unit: z.object({ id: Uuid, name: z.string() }).nullable(),
  targets: z.array(TargetRollup),
  names: RollupNames,
  units: z.array(UnitRollup),
  pillars: z.array(PillarRollup),
  years: z.array(YearRollup),
  totals: Counts,
});
export type RollupResult = z.infer<typeof RollupResult>;
