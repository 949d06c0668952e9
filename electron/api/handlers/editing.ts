import type { editingMethods } from '../../../shared/contract/methods/editing';
import type { ChangeFollowUp, ScreenRef } from '../../../shared/domain/editing';
import { applyGridEdits } from '../../model/editing/apply-edits';
import { cellHistory } from '../../model/editing/cell-history';
import { deleteImpact, deleteRow, insertRow, moveRow } from '../../model/editing/row-ops';
import { listUnits } from '../../model/queries/plan-queries';
import { screenChange, unitsChanged } from '../../model/queries/screen-changes';
import { listOverviewItems, listTargets, listUnitFocus } from '../../model/queries/screen-queries';
import { touchedBy } from '../../model/queries/touched-rows';
import { checkRevertible, redo, undo, undoState } from '../../model/editing/undo';
import type { PlanDb } from '../../db/plan-db';
import type { ImplementationOf, ServiceContext } from './context';

/**
 * A write's answer: what it did, plus what the page would otherwise ask for next — the new undo
 * state, the rows of the screen the request named that the change set touched, and the units when
 * they changed. Read after the write in the write's own transaction (one BEGIN/COMMIT per edit,
 * and the follow-up sees exactly the state the write left), so the grid still shows only what is
 * stored. `before`: a check made outside the transaction (undo/redo: "nothing to undo" on a
 * read-only file is said rather than refused as a write).
 */
async function withFollowUp<R extends { changeSetId: number | null }>(
  db: PlanDb,
  write: (tx: PlanDb) => Promise<R>,
  screen: ScreenRef | undefined,
  before?: () => Promise<void>,
): Promise<R & ChangeFollowUp> {
  if (before) await before();
  return db.transaction(async (tx) => {
    const result = await write(tx);
    const touched = await touchedBy(tx, result.changeSetId);
    // Asked together: on PostgreSQL the reads go out in one pipeline rather than a round trip each.
    const [undo, screenAnswer, units] = await Promise.all([
      undoState(tx),
      screen ? screenChange(tx, touched, screen) : undefined,
      unitsChanged(touched) ? listUnits(tx) : undefined,
    ]);
    return { ...result, undo, ...(screenAnswer ? { screen: screenAnswer } : {}), ...(units ? { units } : {}) };
  });
}

export function editingImplementation({ ws }: ServiceContext): ImplementationOf<typeof editingMethods> {
  const db = () => ws.current.db;
  return {
    'edits.apply': ({ label, edits, screen }) => withFollowUp(db(), (tx) => applyGridEdits(tx, label, edits), screen),
    'rows.insert': ({ kind, afterId, screen }) => withFollowUp(db(), (tx) => insertRow(tx, kind, afterId), screen),
    'rows.deleteImpact': ({ kind, id }) => deleteImpact(db(), kind, id),
    'rows.delete': ({ kind, id, screen }) => withFollowUp(db(), (tx) => deleteRow(tx, kind, id), screen),
    'rows.move': ({ kind, id, direction, screen }) => withFollowUp(db(), (tx) => moveRow(tx, kind, id, direction), screen),
    'history.state': () => undoState(db()),
    'history.undo': ({ screen }) => withFollowUp(db(), (tx) => undo(tx), screen, () => checkRevertible(db(), 'undo')),
    'history.redo': ({ screen }) => withFollowUp(db(), (tx) => redo(tx), screen, () => checkRevertible(db(), 'redo')),
    'history.cell': ({ cell }) => cellHistory(db(), cell),
    'targets.list': ({ unitId }) => listTargets(db(), unitId),
    'unitFocus.list': ({ which, unitId }) => listUnitFocus(db(), which, unitId),
    'overview.list': ({ fiscalYear, unitId }) => listOverviewItems(db(), fiscalYear, unitId),
  };
}
