/**
 * Copy, cut and paste on the grid through the browser's clipboard events, as TSV that Excel and
 * LibreOffice read and write. Editors and text fields keep their own clipboard.
 */
import { useCallback } from 'react';
import { copyBlock } from './copy-block';
import { isTextField } from './editable-target';
import type { GridHandle } from './grid-handle';
import { parseTsv, toTsv } from './tsv';
import type { CellWrites } from './use-cell-writes';
import { pasteOutcome, pasteTargets, planWrites } from './write-targets';

export function useClipboard<Row>(grid: GridHandle<Row>, writes: Pick<CellWrites<Row>, 'applyEdits' | 'clearFocused'>) {
  const { applyEdits, clearFocused } = writes;

  /** Copies the chosen rows (or the focused cell); a cut takes the focused cell and clears it. */
  const onCopy = useCallback(
    (e: React.ClipboardEvent, cut: boolean) => {
      const a = grid.api.current;
      if (!a || isTextField(e.target) || a.getEditingCells().length > 0) return;
      const sel = grid.selection();
      const block = copyBlock(grid.shown(), cut ? { active: sel.active, ranges: [] } : sel);
      if (!block) return;
      e.preventDefault();
      e.clipboardData.setData('text/plain', toTsv(block.texts));
      if (cut) clearFocused();
      else grid.props.current.status.info(`${block.what}をコピーしました。`);
    },
    [grid, clearFocused],
  );

  const onPaste = useCallback(
    (e: React.ClipboardEvent) => {
      const a = grid.api.current;
      if (!a || isTextField(e.target) || a.getEditingCells().length > 0) return;
      const text = e.clipboardData.getData('text/plain');
      const sel = grid.selection();
      e.preventDefault();
      if (!sel.active) {
        grid.props.current.status.error('貼り付け先のセルを選んでから貼り付けてください。');
        return;
      }
      if (text === '') return;
      const outcome = pasteOutcome(planWrites(grid.shown(), pasteTargets(parseTsv(text), sel)));
      if ('error' in outcome) grid.props.current.status.error(outcome.error);
      else void applyEdits(outcome.edits, outcome.label, outcome.done);
    },
    [grid, applyEdits],
  );

  return { onCopy, onPaste };
}
