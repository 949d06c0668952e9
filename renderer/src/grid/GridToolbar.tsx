/**
 * The grid's toolbar: the screen's own controls, the row operations (add, delete, move) with their
 * keys in the tooltips, find and the history panel.
 */
import type { ReactNode } from 'react';
import type { MoveDirection } from '../../../shared/domain/editing';
import type { RowOps } from './types';

export interface GridToolbarProps<Row> {
  toolbar?: ReactNode;
  rowOps?: RowOps<Row>;
  insertRow(which: number): void;
  deleteRow(): void;
  moveRow(direction: MoveDirection): void;
  openFind(): void;
  historyOpen: boolean;
  toggleHistory(): void;
}

export function GridToolbar<Row>({ toolbar, rowOps, insertRow, deleteRow, moveRow, openFind, historyOpen, toggleHistory }: GridToolbarProps<Row>) {
  return (
    <div className="grid-toolbar" role="toolbar" aria-label="表の操作">
      {toolbar}
      {rowOps && (
        <>
          {rowOps.inserts.map((ins, i) => (
            <button key={ins.kind} type="button" onClick={() => insertRow(i)} title={`選んだ行の下に${ins.label}（${ins.shortcut ?? (i === 0 ? 'Ctrl++' : 'Ctrl+Shift++')}）`}>
              ＋ {ins.label}
            </button>
          ))}
          <button type="button" onClick={() => deleteRow()} title={`選んだ${rowOps.noun}を削除（Ctrl+-）`}>
            − {rowOps.noun}を削除
          </button>
          <button type="button" onClick={() => moveRow('up')} title="上へ移動（Alt+Shift+↑）" aria-label="上へ移動">
            ↑
          </button>
          <button type="button" onClick={() => moveRow('down')} title="下へ移動（Alt+Shift+↓）" aria-label="下へ移動">
            ↓
          </button>
        </>
      )}
      <span className="spacer" />
      <button type="button" onClick={openFind} title="検索（Ctrl+F）">
        検索
      </button>
      <button type="button" aria-pressed={historyOpen} onClick={toggleHistory} title="選んだセルの変更履歴（Ctrl+Shift+H）">
        履歴
      </button>
    </div>
  );
}
