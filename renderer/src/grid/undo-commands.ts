import { useCallback, useEffect, useState } from 'react';
import type { ChangeFollowUp, UndoRedoOutcome, UndoState } from '../../../shared/domain/editing';
import { onShellCommand } from '../api/shell-commands';
import { api } from '../api/transport';
import type { StatusReporter } from '../components/status';
import { errorMessage } from '../errors';
import type { ScreenLink } from './apply-changes';
import { isTextField } from './editable-target';
import { enqueueWrite } from './write-queue';

/**
 * Undo and redo of the application (over the change log, so also after a restart): Ctrl+Z,
 * Ctrl+Y / Ctrl+Shift+Z, the toolbar buttons and the Edit menu. In a text field (a cell being
 * edited, the find bar) the keys and the menu undo the typing instead, as everywhere else.
 * The request names the screen on show (`screen()`), whose rows then update from the answer in
 * place; with no such screen, `otherwise` gets the answer (null when the undo failed).
 */
export function useUndoCommands(
  status: StatusReporter,
  screen: () => ScreenLink | null,
  otherwise: (outcome: ChangeFollowUp | null) => void,
): {
  state: UndoState;
  refresh: () => void;
  /** Shows the undo state a write answered with. */
  show: (state: UndoState) => void;
  run: (what: 'undo' | 'redo') => void;
} {
  const [state, setState] = useState<UndoState>({ undoLabel: null, redoLabel: null });

  const refresh = useCallback(() => {
    void api['history.state']({}).then(setState, () => undefined);
  }, []);

  const run = useCallback(
    (what: 'undo' | 'redo') => {
      void enqueueWrite(async () => {
        const link = screen();
        const args = link ? { screen: link.screen } : {};
        let outcome: UndoRedoOutcome | null = null;
        try {
          outcome = await (what === 'undo' ? api['history.undo'](args) : api['history.redo'](args));
          setState(outcome.undo);
          status.info(what === 'undo' ? `元に戻しました: ${outcome.label}` : `やり直しました: ${outcome.label}`);
        } catch (e) {
          status.error(errorMessage(e));
        }
        // A failed undo: the screen (or the frame) reads what the database holds, labels included.
        if (link) await link.changed(outcome, link.screen);
        else {
          otherwise(outcome);
          if (!outcome) refresh();
        }
      });
    },
    [status, screen, otherwise, refresh],
  );

  useEffect(() => {
    refresh();
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || isTextField(e.target) || document.querySelector('dialog[open]')) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) {
        e.preventDefault();
        run('undo');
      } else if (k === 'y' || (k === 'z' && e.shiftKey)) {
        e.preventDefault();
        run('redo');
      }
    };
    // 編集 › 元に戻す / やり直し of the Electron menu.
    const stopCommands = onShellCommand((command) => {
      if (command !== 'undo' && command !== 'redo') return;
      if (isTextField(document.activeElement)) document.execCommand(command);
      else run(command);
    });
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      stopCommands();
    };
  }, [run, refresh]);

  return { state, refresh, show: setState, run };
}
