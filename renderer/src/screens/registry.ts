import { lazy, type ComponentType } from 'react';
import { ActionPlanScreen } from './ActionPlanScreen';
import { BranchesScreen } from './BranchesScreen';
import { OverviewScreen } from './OverviewScreen';
import type { ScreenProps } from './screen-props';
import { TargetsScreen } from './TargetsScreen';
import { UnitFocusScreen } from './UnitFocusScreen';

export interface ScreenDef {
  id: string;
  /** The tab label, Japanese. */
  label: string;
  component: ComponentType<ScreenProps>;
}

/** The screens in tab order; a feature adds its screen here. */
export const screens: ScreenDef[] = [
  { id: 'action-plan', label: '中期計画', component: ActionPlanScreen },
  { id: 'targets', label: '目標・実績', component: TargetsScreen },
  { id: 'branches', label: '支部', component: BranchesScreen },
  { id: 'unit-focus', label: '部会・委員会', component: UnitFocusScreen },
  { id: 'overview', label: '年度計画', component: OverviewScreen },
  // Loaded when first opened: its chart library is most of the bundle, and the first screen should not wait for it.
  { id: 'progress', label: '進捗・集計', component: lazy(() => import('./ProgressScreen').then((m) => ({ default: m.ProgressScreen }))) },
];
