import type { ColumnOption } from '../grid/types';

/** How a target's years roll up to the term (domain.md), in the planners' words. */
export const kindOptions: ColumnOption[] = [
  { value: 'cumulative', label: '累計（延）' },
  { value: 'level', label: '年度末の水準' },
  { value: 'final_volume', label: '最終年度の量' },
  { value: 'rate', label: '率' },
  { value: 'maintain', label: '水準の維持' },
  { value: 'money', label: '金額' },
];

export const directionOptions: ColumnOption[] = [
  { value: 'at_least', label: '以上' },
  { value: 'more_than', label: '超' },
  { value: 'at_most', label: '以下' },
  { value: 'less_than', label: '未満' },
];

export const labelOf = (options: ColumnOption[], value: string) => options.find((o) => o.value === value)?.label ?? value;
