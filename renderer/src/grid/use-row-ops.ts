/**
 * Row operations on the focused row: add below (Ctrl++ / Ctrl+Shift++), delete after asking
 * (Ctrl+-), move up or down (Alt+Shift+↑/↓). Each is one change set; the focus follows the row.
 */
import { useCallback, useState } from 'react';
import type { MoveDirection } from '../../../shared/domain/editing';
import { api } from '../api/transport';
import type { ConfirmRequest } from '../components/ConfirmDialog';
import { errorMessage } from '../errors';
import type { FocusRequest } from './focus-target';
import type { GridHandle } from './grid-handle';
import type { CellWrites } from './use-cell-writes';
import { enqueueWrite } from './write-queue';

export function useRowOps<Row>(grid: GridHandle<Row>, write: CellWrites<Row>['write'], requestFocus: (want: FocusRequest) => void) {
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);

  const insertRow = useCallback(
    async (index: number) => {
      const ops = grid.props.current.rowOps;
      const f = grid.focused();
      const insert = ops?.inserts[index];
      if (!ops || !insert) return;
      if (!f) {
        grid.props.current.status.error('追加する位置の行を選んでください。');
        return;
      }
      await enqueueWrite(() =>
        write(async (screen) => {
          const r = await api['rows.insert']({ kind: insert.kind, afterId: insert.afterId(f.row), screen });
          requestFocus({ id: r.id ?? undefined, colId: ops.focusColumn, done: `${insert.label}しました。` });
          return r;
        }),
      );
    },
    [grid, write, requestFocus],
  );

  const deleteRow = useCallback(async () => {
    const ops = grid.props.current.rowOps;
    const f = grid.focused();
    if (!ops || !f) return;
    const subject = ops.subject(f.row);
    const index = f.node.rowIndex ?? 0;
    let impact;
    try {
      impact = await api['rows.deleteImpact'](subject);
    } catch (e) {
      grid.props.current.status.error(errorMessage(e));
      return;
    }
    const close = () => {
      setConfirm(null);
      grid.focusCell(index, f.colId);
    };
    setConfirm({
      title: `${ops.noun}の削除`,
      message: impact.what,
      details: impact.details,
      confirmLabel: '削除する',
      onCancel: close,
      onConfirm: () => {
        setConfirm(null);
        const want: FocusRequest = { index, colId: f.colId };
        void enqueueWrite(() => {
          requestFocus(want);
          return write((screen) => api['rows.delete']({ ...subject, screen }), () => (want.done = '削除しました。'));
        });
      },
    });
  }, [grid, write, requestFocus]);

  const moveRow = useCallback(
    async (direction: MoveDirection) => {
      const ops = grid.props.current.rowOps;
      const f = grid.focused();
      if (!ops || !f) return;
      const want: FocusRequest = { id: grid.props.current.rowId(f.row), colId: f.colId };
      await enqueueWrite(() => {
        requestFocus(want);
        const done = () => (want.done = direction === 'up' ? '上へ移動しました。' : '下へ移動しました。');
        return write((screen) => api['rows.move']({ ...ops.subject(f.row), direction, screen }), done);
      });
    },
    [grid, write, requestFocus],
  );

  return { confirm, insertRow, deleteRow, moveRow };
}
