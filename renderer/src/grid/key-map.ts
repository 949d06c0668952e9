/**
 * Which key does what in a grid, without AG Grid or React: a key pressed on a cell becomes a
 * command (or is left to AG Grid, or to the browser's clipboard events and the frame), and a key
 * pressed anywhere on the screen may open find or the history. grid-keys.ts carries the commands out.
 */

/** The parts of a keyboard event the map reads. */
export type KeyStroke = Pick<KeyboardEvent, 'type' | 'key' | 'keyCode' | 'isComposing' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** Keys an IME is working on: the grid must leave them to the editor (see stack-notes: Japanese IME). */
export function isComposing(e: Pick<KeyStroke, 'isComposing' | 'keyCode' | 'key'>): boolean {
  return e.isComposing || e.keyCode === 229 || e.key === 'Process';
}

/** What the focused cell is, as far as the keys care. */
export interface KeyCell {
  /** A cell editor is open. */
  editing: boolean;
  /** The cell has a row and a plan column. */
  known: boolean;
  /** The cell can be written. */
  editable: boolean;
  /** A yes/no cell (新). */
  bool: boolean;
  /** How many kinds of row the screen can add (Ctrl+Shift++ adds the second). */
  inserts: number;
}

export type GridCommand =
  | { do: 'edit-composing' }
  | { do: 'select-all' }
  | { do: 'insert-row'; which: number }
  | { do: 'delete-row' }
  | { do: 'move-row'; direction: 'up' | 'down' }
  | { do: 'toggle-row-selection' }
  | { do: 'deselect-all' }
  | { do: 'clear-cell' }
  | { do: 'toggle-bool' };

/**
 * What a key on a cell does: the command to run (if any), whether AG Grid must not handle the key
 * (`suppress`), and whether the browser's default must be stopped. A suppressed key without a
 * command is left to the browser's clipboard events (copy, cut, paste) or the frame (undo, find,
 * history, screen switching).
 */
export interface KeyOutcome {
  command: GridCommand | null;
  suppress: boolean;
  preventDefault: boolean;
}

const leaveToGrid: KeyOutcome = { command: null, suppress: false, preventDefault: false };
const leaveToFrame: KeyOutcome = { command: null, suppress: true, preventDefault: false };
const run = (command: GridCommand): KeyOutcome => ({ command, suppress: true, preventDefault: true });

/** Ctrl+these reach the browser (clipboard events) and the frame (undo, redo, find, history, next screen), not the grid. */
const frameCtrlKeys = ['c', 'x', 'v', 'z', 'y', 'f', 'h', 'pagedown', 'pageup'];

/** The grid's key map for a key pressed on a cell. */
export function gridKey(e: KeyStroke, cell: KeyCell): KeyOutcome {
  if (cell.editing) return isComposing(e) ? leaveToFrame : leaveToGrid;
  if (e.type !== 'keydown') return leaveToGrid;
  // The IME's first keystroke opens the editor so the composition goes there (the grid would drop it).
  if (isComposing(e)) return cell.editable ? { command: { do: 'edit-composing' }, suppress: true, preventDefault: false } : leaveToFrame;
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && !e.altKey) {
    const k = e.key.toLowerCase();
    if (k === 'a') return run({ do: 'select-all' });
    if (k === '+' || k === ';' || k === '=') return run({ do: 'insert-row', which: e.shiftKey && cell.inserts > 1 ? 1 : 0 });
    if (k === '-') return run({ do: 'delete-row' });
    return frameCtrlKeys.includes(k) ? leaveToFrame : leaveToGrid;
  }
  if (e.altKey && e.shiftKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) return run({ do: 'move-row', direction: e.key === 'ArrowUp' ? 'up' : 'down' });
  if (e.key === ' ' && e.shiftKey) return run({ do: 'toggle-row-selection' });
  // Esc drops the chosen rows and still reaches the grid.
  if (e.key === 'Escape') return { command: { do: 'deselect-all' }, suppress: false, preventDefault: false };
  if (!cell.known) return leaveToGrid;
  if (e.key === 'Delete' && !e.shiftKey && !e.altKey) return run({ do: 'clear-cell' });
  if (cell.bool && cell.editable && (e.key === ' ' || e.key === 'Enter' || e.key === 'F2')) return run({ do: 'toggle-bool' });
  return leaveToGrid;
}

export type ScreenCommand = 'open-find' | 'toggle-history' | 'find-next' | 'find-previous';

/** Keys that work anywhere on the screen (also in the find bar): Ctrl+F, Ctrl+Shift+H, F3 / Shift+F3 outside text fields. */
export function screenKey(e: Pick<KeyStroke, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>, inTextField: boolean): ScreenCommand | null {
  const ctrl = e.ctrlKey || e.metaKey;
  const k = e.key.toLowerCase();
  if (ctrl && !e.altKey && k === 'f') return 'open-find';
  if (ctrl && e.shiftKey && k === 'h') return 'toggle-history';
  if (e.key === 'F3' && !inTextField) return e.shiftKey ? 'find-previous' : 'find-next';
  return null;
}
