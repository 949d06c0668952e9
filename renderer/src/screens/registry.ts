import type { ComponentType } from 'react';
import type { PlanSummary } from '../../../shared/domain/plan';
import type { UnitWithCounts } from '../../../shared/domain/units';
import { ActionPlanScreen } from './ActionPlanScreen';

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
}

export interface ScreenDef {
  id: string;
  /** The tab label, Japanese. */
  label: string;
  component: ComponentType<ScreenProps>;
}

/** The screens in tab order; a feature adds its screen here. */
export const screens: ScreenDef[] = [{ id: 'action-plan', label: '中期計画', component: ActionPlanScreen }];
