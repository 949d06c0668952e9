/**
 * What every screen gets from the frame. Apart from the registry (which imports the screens), so
 * that the screens can name it without an import circle.
 */
import type { PlanSummary } from '../../../shared/domain/plan';
import type { UnitWithCounts } from '../../../shared/domain/units';
import type { ScreenFrame } from '../grid/use-rows';

/**
 * The unit filter and fiscal year survive switching screens. The frame's part (status bar, what a
 * write answered, the link for undo and redo, the data version) is ScreenFrame.
 */
export interface ScreenProps extends ScreenFrame {
  plan: PlanSummary;
  fiscalYear: number;
  /** The unit chosen in the sidebar, or null for all units. */
  unitId: string | null;
  units: UnitWithCounts[];
}
