import { targetDirections, targetKinds } from '../domain/editable-fields';

export type TargetKind = (typeof targetKinds)[number];
export type TargetDirection = (typeof targetDirections)[number];

/** A target's plan and actual of one fiscal year; null where nothing is entered (never 0). */
export interface YearFigure {
  fiscalYear: number;
  plan: number | null;
  actual: number | null;
}

/** What the rules need to know about one target: its kind, direction, goal and years. */
export interface TargetFigures {
  kind: TargetKind;
  direction: TargetDirection;
  baseline: { value: number; year: number | null } | null;
  termGoal: number | null;
  /** One entry per fiscal year of the plan, in order (a year without figures has nulls). */
  years: YearFigure[];
}

/** A target with where it belongs: the input of the rollup, as the query gathers it. */
export interface TargetInput extends TargetFigures {
  id: string;
  key: string | null;
  label: string;
  unit: string;
  note: string | null;
  themeId: string | null;
  themeText: string | null;
  pillarId: string | null;
  /** The responsible units: those assigned to the target's action row, or the branch it belongs to. */
  unitIds: string[];
}

export interface UnitInput {
  id: string;
  name: string;
  kind: string;
  position: number;
}

export interface PillarInput {
  id: string;
  kind: 'pillar' | 'principle';
  no: number;
  name: string;
  position: number;
}

/** A theme with its pillar and the units of its row: what the theme counts are made of. */
export interface ThemeInput {
  id: string;
  pillarId: string | null;
  unitIds: string[];
}

export interface RollupInput {
  startYear: number;
  endYear: number;
  targets: TargetInput[];
  themes: ThemeInput[];
  units: UnitInput[];
  pillars: PillarInput[];
}

/** Fills in the plan's fiscal years: a year the database has no row for gets nulls. */
export function yearsOfPlan(startYear: number, endYear: number, known: readonly YearFigure[]): YearFigure[] {
  const byYear = new Map(known.map((y) => [y.fiscalYear, y]));
  const out: YearFigure[] = [];
  for (let fy = startYear; fy <= endYear; fy++) out.push(byYear.get(fy) ?? { fiscalYear: fy, plan: null, actual: null });
  return out;
}
