/**
 * Carries out the key map (key-map.ts): keys on a cell through AG Grid's suppressKeyboardEvent,
 * and the screen's keys (find, history) through a window listener.
 */
import { useCallback, useEffect } from 'react';
import type { SuppressKeyboardEventParams } from 'ag-grid-community';
import type { MoveDirection } from '../../../shared/domain/editing';
import { isTextField } from './editable-target';
import type { GridHandle } from './grid-handle';
import { gridKey, screenKey, type ScreenCommand } from './key-map';
import type { PlanColumn } from './types';

export interface KeyActions<Row> {
  insertRow(which: number): Promise<void>;
  deleteRow(): Promise<void>;
  moveRow(direction: MoveDirection): Promise<void>;
  clearFocused(): void;
  toggleBool(row: Row, col: PlanColumn<Row>): void;
}

export interface ScreenKeyActions {
  openFind(): void;
  toggleHistory(): void;
  goToMatch(step: 1 | -1): void;
}

export function useGridKeys<Row>(grid: GridHandle<Row>, actions: KeyActions<Row>, screen: ScreenKeyActions) {
  const { insertRow, deleteRow, moveRow, clearFocused, toggleBool } = actions;

  const startEditing = useCallback(
    (rowIndex: number, colId: string, key?: string) => {
      const a = grid.api.current;
      if (!a) return;
      a.startEditingCell({ rowIndex, colKey: colId, ...(key ? { key } : {}) });
      // Put the caret in the editor while the IME's keystroke is still being handled, so the
      // composition goes there and not to the grid (the grid would drop it).
      for (const ed of a.getCellEditorInstances()) (ed as Partial<{ focusNow(): void }>).focusNow?.();
    },
    [grid],
  );

  const suppressKeyboardEvent = useCallback(
    (p: SuppressKeyboardEventParams<Row>): boolean => {
      const row = p.node.data;
      const colId = p.column.getColId();
      const col = grid.column(colId);
      const outcome = gridKey(p.event, {
        editing: p.editing,
        known: !!row && !!col,
        editable: !!(row && col?.cell?.(row)),
        bool: col?.kind === 'bool',
        inserts: grid.props.current.rowOps?.inserts.length ?? 0,
      });
      if (outcome.preventDefault) p.event.preventDefault();
      const c = outcome.command;
      switch (c?.do) {
        case 'edit-composing':
          if (p.node.rowIndex !== null) startEditing(p.node.rowIndex, colId, 'Process');
          break;
        case 'select-all':
          p.api.selectAll();
          break;
        case 'insert-row':
          void insertRow(c.which);
          break;
        case 'delete-row':
          void deleteRow();
          break;
        case 'move-row':
          void moveRow(c.direction);
          break;
        case 'toggle-row-selection':
          p.node.setSelected(!p.node.isSelected());
          break;
        case 'deselect-all':
          p.api.deselectAll();
          break;
        case 'clear-cell':
          clearFocused();
          break;
        case 'toggle-bool':
          if (row && col) toggleBool(row, col);
          break;
      }
      return outcome.suppress;
    },
    [grid, startEditing, insertRow, deleteRow, moveRow, clearFocused, toggleBool],
  );

  const { openFind, toggleHistory, goToMatch } = screen;
  useEffect(() => {
    const run: Record<ScreenCommand, () => void> = {
      'open-find': openFind,
      'toggle-history': toggleHistory,
      'find-next': () => goToMatch(1),
      'find-previous': () => goToMatch(-1),
    };
    const onKey = (e: KeyboardEvent) => {
      const command = screenKey(e, isTextField(e.target));
      if (!command) return;
      e.preventDefault();
      run[command]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openFind, toggleHistory, goToMatch]);

  return suppressKeyboardEvent;
}
