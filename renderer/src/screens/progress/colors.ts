import type { Commitment, PlanState, StatusCode } from '../../../../shared/rollup/result';

/**
 * Colours of the statuses: the ones that need a look are warm, the good ones green/blue, and
 * "nothing entered yet" is a calm grey — it is the normal state before the year's actuals come in.
 */
export const statusColors: Record<StatusCode, string> = {
  achieved: '#1a7f37',
  on_track: '#0969da',
  attention: '#bf8700',
  missed: '#cf222e',
  no_actual: '#8c959f',
  no_reference: '#c4cbd2',
};

export const planStateColors: Record<PlanState, string> = {
  reaches: '#1a7f37',
  misses: '#cf222e',
  incomplete: '#5b7fa6',
  no_goal: '#a0a9b3',
  no_values: '#c4cbd2',
};

export const commitmentColors: Record<Commitment, string> = {
  on_pace: '#1a7f37',
  below_pace: '#bf8700',
  towards: '#5b7fa6',
  unplanned: '#c4cbd2',
  no_goal: '#a0a9b3',
};

export const planColor = '#5b7fa6';
export const actualColor = '#1a7f37';
export const goalColor = '#cf222e';
