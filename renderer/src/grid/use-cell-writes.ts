/**
 * Writing cells: a committed editor, Delete, the 新 toggle and any batch of edits each go to the
 * database as one change set (one undo step), queued behind earlier writes; the answer's rows go
 * into the grid, or, when the write failed, the screen is read again.
 */
import { useCallback } from 'react';
import type { CellEditRequestEvent } from 'ag-grid-community';
import type { ChangeFollowUp, GridEdit, ScreenRef } from '../../../shared/domain/editing';
import { api } from '../api/transport';
import { errorMessage } from '../errors';
import { cellEdit } from './cell-edit';
import type { GridHandle } from './grid-handle';
import type { PlanColumn } from './types';
import { enqueueWrite } from './write-queue';

export interface CellWrites<Row> {
  /** One write with its answer (call inside enqueueWrite); `done` runs only when it succeeded. */
  write(request: (screen: ScreenRef) => Promise<ChangeFollowUp>, done?: () => void): Promise<void>;
  applyEdits(edits: GridEdit[], label: string, done: string): Promise<void>;
  onCellEditRequest(e: CellEditRequestEvent<Row>): void;
  clearFocused(): void;
  toggleBool(row: Row, col: PlanColumn<Row>): void;
}

export function useCellWrites<Row>(grid: GridHandle<Row>): CellWrites<Row> {
  const write = useCallback(
    async (request: (screen: ScreenRef) => Promise<ChangeFollowUp>, done?: () => void) => {
      const screen = grid.props.current.screen;
      let outcome: ChangeFollowUp | null = null;
      try {
        outcome = await request(screen);
        done?.();
      } catch (e) {
        grid.props.current.status.error(errorMessage(e));
      }
      await grid.props.current.changed(outcome, screen);
    },
    [grid],
  );

  const applyEdits = useCallback(
    (edits: GridEdit[], label: string, done: string) =>
      enqueueWrite(() => write((screen) => api['edits.apply']({ label, edits, screen }), () => grid.props.current.status.info(done))),
    [grid, write],
  );

  const onCellEditRequest = useCallback(
    (e: CellEditRequestEvent<Row>) => {
      const col = grid.column(e.column.getColId());
      if (!col || !e.data) return;
      const r = cellEdit(e.data, col, e.newValue == null ? null : String(e.newValue));
      if (!r) return;
      if ('problem' in r) {
        grid.props.current.status.error(`${col.header}: ${r.problem} 入力は保存していません。`);
        return;
      }
      void applyEdits([r.edit], 'セルの編集', '保存しました。');
    },
    [grid, applyEdits],
  );

  const clearFocused = useCallback(() => {
    const f = grid.focused();
    if (!f) return;
    if (!f.col?.cell?.(f.row)) {
      grid.props.current.status.error('このセルは編集できません。');
      return;
    }
    if (f.col.text(f.row) === '') return;
    const r = cellEdit(f.row, f.col, null);
    if (r && 'edit' in r) void applyEdits([r.edit], 'セルの消去', '消去しました。');
  }, [grid, applyEdits]);

  const toggleBool = useCallback(
    (row: Row, col: PlanColumn<Row>) => {
      const r = cellEdit(row, col, col.text(row) === '' ? '新' : null);
      if (r && 'edit' in r) void applyEdits([r.edit], `「${col.header}」の切り替え`, '保存しました。');
    },
    [applyEdits],
  );

  return { write, applyEdits, onCellEditRequest, clearFocused, toggleBool };
}
