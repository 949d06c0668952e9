import type { editingMethods } from '../../../shared/contract/methods/editing';
import { applyGridEdits } from '../../model/editing/apply-edits';
import { cellHistory } from '../../model/editing/cell-history';
import { deleteImpact, deleteRow, insertRow, moveRow } from '../../model/editing/row-ops';
import { listOverviewItems, listTargets, listUnitFocus } from '../../model/queries/screen-queries';
import { redo, undo, undoState } from '../../model/editing/undo';
import type { ImplementationOf, ServiceContext } from './context';

export function editingImplementation({ ws }: ServiceContext): ImplementationOf<typeof editingMethods> {
  const db = () => ws.current.sqlite;
  return {
    'edits.apply': ({ label, edits }) => applyGridEdits(db(), label, edits),
    'rows.insert': ({ kind, afterId }) => insertRow(db(), kind, afterId),
    'rows.deleteImpact': ({ kind, id }) => deleteImpact(db(), kind, id),
    'rows.delete': ({ kind, id }) => deleteRow(db(), kind, id),
    'rows.move': ({ kind, id, direction }) => moveRow(db(), kind, id, direction),
    'history.state': () => undoState(db()),
    'history.undo': () => undo(db()),
    'history.redo': () => redo(db()),
    'history.cell': ({ cell }) => cellHistory(db(), cell),
    'targets.list': ({ unitId }) => listTargets(db(), unitId),
    'unitFocus.list': ({ which, unitId }) => listUnitFocus(db(), which, unitId),
    'overview.list': ({ fiscalYear, unitId }) => listOverviewItems(db(), fiscalYear, unitId),
  };
}
