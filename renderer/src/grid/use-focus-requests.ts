/**
 * The focus after an action that changes rows: a row just added, moved or deleted gets the focus
 * once the grid holds the new rows, after the grid has restored the focus it had before (so a
 * timeout after the data arrived); then the status says it is done, so nobody types into the old
 * cell meanwhile. Also: an arrow key out of an editor moves the focus (past the rest of a shared
 * cell), and a screen opened from the keyboard (Ctrl+PageDown) takes the focus at once.
 */
import { useCallback, useRef } from 'react';
import { awaitsRow, firstFocusColumn, moveFrom, requestedCell, type Direction, type FocusRequest } from './focus-target';
import type { GridHandle } from './grid-handle';

export function useFocusRequests<Row>(grid: GridHandle<Row>) {
  const pending = useRef<FocusRequest | null>(null);

  /** Asks for the focus once the rows have come (the request object may be completed later: its `done`). */
  const requestFocus = useCallback((want: FocusRequest) => {
    pending.current = want;
  }, []);

  const applyPendingFocus = useCallback(() => {
    const a = grid.api.current;
    const want = pending.current;
    if (!a || !want) return;
    const node = want.id ? a.getRowNode(want.id) : undefined;
    if (awaitsRow(want, node?.rowIndex)) return;
    pending.current = null;
    setTimeout(() => {
      if (a.isDestroyed()) return;
      const to = requestedCell(want, node ? node.rowIndex : undefined, a.getDisplayedRowCount(), a.getAllDisplayedColumns()[0]?.getColId());
      if (a.getEditingCells().length === 0 && to) grid.focusCell(to.rowIndex, to.colId);
      if (want.done) grid.props.current.status.info(want.done);
    }, 0);
  }, [grid]);

  const onFirstDataRendered = useCallback(() => {
    const a = grid.api.current;
    const colId = firstFocusColumn(grid.props.current.rowOps?.focusColumn, grid.props.current.columns);
    if (a && colId && a.getDisplayedRowCount() > 0 && (document.activeElement === document.body || document.activeElement === null)) grid.focusCell(0, colId);
  }, [grid]);

  /** Moves the focus one cell (an editor closed by an arrow key, Enter or Tab). */
  const move = useCallback(
    (direction: Direction) => {
      const sel = grid.selection();
      if (!sel.active) return;
      const shown = grid.shown();
      const to = moveFrom(shown, sel.active, direction);
      const col = shown.columns[to.col];
      if (col) grid.focusCell(to.row, col.id);
    },
    [grid],
  );

  return { requestFocus, applyPendingFocus, onFirstDataRendered, move };
}
