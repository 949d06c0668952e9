import type { TargetDirection, TargetKind } from './figures';
import type { Commitment, PlanState, StatusCode } from './result';

/** How a kind rolls its years up to the term, as the planners say it. */
export const kindLabels: Record<TargetKind, string> = {
  cumulative: '累計（年度の合計）',
  level: '年度末の水準',
  final_volume: '最終年度の年間量',
  rate: '率',
  maintain: '水準の維持',
  money: '金額（年度の合計）',
};

/** Short forms for narrow columns. */
export const kindShortLabels: Record<TargetKind, string> = {
  cumulative: '累計',
  level: '水準',
  final_volume: '最終年度',
  rate: '率',
  maintain: '維持',
  money: '金額',
};

export const directionLabels: Record<TargetDirection, string> = {
  at_least: '以上',
  more_than: '超',
  at_most: '以下',
  less_than: '未満',
};

/** The progress status as of a fiscal year (actuals against the goal or the path to it). */
export const statusLabels: Record<StatusCode, string> = {
  achieved: '達成',
  on_track: '順調',
  attention: '要注意',
  missed: '未達',
  no_actual: '実績未入力',
  no_reference: '目標未設定',
};

/** Whether the yearly plans add up to the term goal. */
export const planStateLabels: Record<PlanState, string> = {
  reaches: '計画で到達',
  misses: '計画では未到達',
  incomplete: '未計画の年度あり',
  no_goal: '期間目標なし',
  no_values: '計画値なし',
};

/** What one fiscal year's plan commits against the term goal. */
export const commitmentLabels: Record<Commitment, string> = {
  on_pace: '目標ペース以上',
  below_pace: '目標ペース未満',
  towards: '途上（最終年度で判定）',
  unplanned: '計画値なし',
  no_goal: '期間目標なし',
};

/** Display order of statuses: the ones that need a look first, then the quiet ones. */
export const statusOrder: readonly StatusCode[] = ['missed', 'attention', 'on_track', 'achieved', 'no_actual', 'no_reference'];
export const planStateOrder: readonly PlanState[] = ['misses', 'incomplete', 'reaches', 'no_goal', 'no_values'];
export const commitmentOrder: readonly Commitment[] = ['below_pace', 'on_pace', 'towards', 'unplanned', 'no_goal'];
