import type { UndoState } from '../../../shared/domain/editing';

/** 元に戻す / やり直し in the toolbar, naming what they would undo or redo. */
export function UndoButtons({ state, run }: { state: UndoState; run(what: 'undo' | 'redo'): void }) {
  return (
    <span className="undo-buttons">
      <button type="button" disabled={!state.undoLabel} onClick={() => run('undo')} title={state.undoLabel ? `元に戻す: ${state.undoLabel}（Ctrl+Z）` : '元に戻す操作はありません'}>
        ↶ 元に戻す
      </button>
      <button type="button" disabled={!state.redoLabel} onClick={() => run('redo')} title={state.redoLabel ? `やり直し: ${state.redoLabel}（Ctrl+Y）` : 'やり直す操作はありません'}>
        ↷ やり直し
      </button>
    </span>
  );
}
