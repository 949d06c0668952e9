import type { RollupNames, TargetRollup } from './result';
import { statusReason } from './status';
import { termSideReason } from './term';

/**
 * What the rollup answer leaves to whoever shows it: the reasons in words and the names of a
 * target's units, pillar and theme. The answer carries the figures and each name once; these
 * make the texts from them, with the rules' own words (term.ts, status.ts), only for what is shown.
 */

export interface TargetReasons {
  /** Why the yearly plans stand as target.plan.state says. */
  plan: string;
  /** Why the actuals stand as target.actual.state says. */
  actual: string;
  /** Why target.status says what it says, as of the rollup's year. */
  status: string;
}

export const planReason = (t: TargetRollup): string => termSideReason(t, t.unit, 'plan');
export const actualReason = (t: TargetRollup): string => termSideReason(t, t.unit, 'actual');
/** `asOfYear`: the rollup's (RollupResult.asOfYear), the year the status was judged as of. */
export const statusReasonOf = (t: TargetRollup, asOfYear: number): string => statusReason(t, t.unit, asOfYear);

/** The three reasons of one target of a rollup as of `asOfYear`. */
export function reasonsOf(t: TargetRollup, asOfYear: number): TargetReasons {
  return { plan: planReason(t), actual: actualReason(t), status: statusReasonOf(t, asOfYear) };
}

/** The names of the target's units, in its order ('' for a unit not in the plan). */
export const unitNamesOf = (t: TargetRollup, names: RollupNames): string[] => t.unitIds.map((id) => names.units[id] ?? '');

/** The name of the target's pillar; null without one (or with one not in the plan). */
export const pillarNameOf = (t: TargetRollup, names: RollupNames): string | null => (t.pillarId ? (names.pillars[t.pillarId] ?? null) : null);

/** The text of the target's theme; null without one. */
export const themeTextOf = (t: TargetRollup, names: RollupNames): string | null => (t.themeId ? (names.themes[t.themeId] ?? null) : null);
