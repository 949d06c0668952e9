import { lazy, type ComponentType } from 'react';
import type { PlanSummary } from '../../../shared/domain/plan';
import type { UnitWithCounts } from '../../../shared/domain/units';
import { ActionPlanScreen } from './ActionPlanScreen';
import { BranchesScreen } from './BranchesScreen';
import { OverviewScreen } from './OverviewScreen';
import { TargetsScreen } from './TargetsScreen';
import { UnitFocusScreen } from './UnitFocusScreen';

/** Messages for the status bar: what was saved, or what went wrong (in Japanese). */
export interface StatusReporter {
  info(text: string): void;
  error(text: string): void;
}

/** What every screen gets from the frame; the unit filter and fiscal year survive switching screens. */
export interface ScreenProps {
  plan: PlanSummary;
  fiscalYear: number;
  /** The unit chosen in the sidebar, or null for all units. */
  unitId: string | null;
  units: UnitWithCounts[];
  status: StatusReporter;
  /** Ask the frame to reload what it shows of the database (units and counts) after a change. */
  onDataChanged(): void;
  /** Goes up whenever the database changed outside the screen (undo, redo): reload then. */
  dataVersion: number;
}

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
