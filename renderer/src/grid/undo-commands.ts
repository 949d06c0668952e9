import { useCallback, useEffect, useState } from 'react';
import type { UndoState } from '../../../shared/domain/editing';
import { api } from '../api/transport';
import { errorMessage } from '../errors';
import type { StatusReporter } from '../screens/registry';
import { COMMAND_EVENT } from './command-event';
import { isTextField } from './editable-target';
import { enqueueWrite } from './write-queue';


/**
 * Undo and redo of the application (over the change log, so also after a restart): Ctrl+Z,
 * Ctrl+Y / Ctrl+Shift+Z, the toolbar buttons and the Edit menu. In a text field (a cell being
 * edited, the find bar) the keys and the menu undo the typing instead, as everywhere else.
 */
export function useUndoCommands(status: StatusReporter, onChanged: () => void): {
  state: UndoState;
  refresh: () => void;
  run: (what: 'undo' | 'redo') => void;
} {
  const [state, setState] = useState<UndoState>({ undoLabel: null, redoLabel: null });

  const refresh = useCallback(() => {
    void api['history.state']({}).then(setState, () => undefined);
  }, []);

  const run = useCallback(
    (what: 'undo' | 'redo') => {
      void enqueueWrite(async () => {
        try {
          const r = await (what === 'undo' ? api['history.undo']({}) : api['history.redo']({}));
          status.info(what === 'undo' ? `元に戻しました: ${r.label}` : `やり直しました: ${r.label}`);
        } catch (e) {
          status.error(errorMessage(e));
        }
        onChanged();
        refresh();
      });
    },
    [status, onChanged, refresh],
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
    const onCommand = (e: Event) => {
      const what = (e as CustomEvent<unknown>).detail;
      if (what !== 'undo' && what !== 'redo') return;
      if (isTextField(document.activeElement)) document.execCommand(what);
      else run(what);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener(COMMAND_EVENT, onCommand);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(COMMAND_EVENT, onCommand);
    };
  }, [run, refresh]);

  return { state, refresh, run };
}
