import { describe, expect, it } from 'vitest';
import { gridKey, isComposing, screenKey, type KeyCell, type KeyStroke } from '../../renderer/src/grid/key-map';

const key = (k: string, mods: Partial<KeyStroke> = {}): KeyStroke => ({
  type: 'keydown',
  key: k,
  keyCode: 0,
  isComposing: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});
const textCell: KeyCell = { editing: false, known: true, editable: true, bool: false, inserts: 2 };
const run = (command: object) => ({ command, suppress: true, preventDefault: true });
const toGrid = { command: null, suppress: false, preventDefault: false };
const toFrame = { command: null, suppress: true, preventDefault: false };

describe('the key map on a cell', () => {
  it('adds, deletes and moves rows with Ctrl++ (Ctrl+; and Ctrl+= on other layouts), Ctrl+Shift++, Ctrl+-, Alt+Shift+arrows', () => {
    for (const k of ['+', ';', '=']) expect(gridKey(key(k, { ctrlKey: true }), textCell)).toEqual(run({ do: 'insert-row', which: 0 }));
    expect(gridKey(key('+', { ctrlKey: true, shiftKey: true }), textCell)).toEqual(run({ do: 'insert-row', which: 1 }));
    // A screen with one kind of row adds it with Ctrl+Shift++ too.
    expect(gridKey(key('+', { ctrlKey: true, shiftKey: true }), { ...textCell, inserts: 1 })).toEqual(run({ do: 'insert-row', which: 0 }));
    expect(gridKey(key('-', { metaKey: true }), textCell)).toEqual(run({ do: 'delete-row' }));
    expect(gridKey(key('ArrowUp', { altKey: true, shiftKey: true }), textCell)).toEqual(run({ do: 'move-row', direction: 'up' }));
    expect(gridKey(key('ArrowDown', { altKey: true, shiftKey: true }), textCell)).toEqual(run({ do: 'move-row', direction: 'down' }));
    expect(gridKey(key('ArrowDown', { altKey: true }), textCell)).toEqual(toGrid);
  });

  it('selects all with Ctrl+A, chooses a row with Shift+Space, and Esc drops the choice while the grid still sees Esc', () => {
    expect(gridKey(key('A', { ctrlKey: true }), textCell)).toEqual(run({ do: 'select-all' }));
    expect(gridKey(key(' ', { shiftKey: true }), textCell)).toEqual(run({ do: 'toggle-row-selection' }));
    expect(gridKey(key('Escape'), textCell)).toEqual({ command: { do: 'deselect-all' }, suppress: false, preventDefault: false });
  });

  it('leaves the clipboard, undo, find, history and screen keys to the browser and the frame, other Ctrl keys to the grid', () => {
    for (const k of ['c', 'x', 'v', 'z', 'y', 'f', 'h', 'PageDown', 'PageUp', 'Z']) expect(gridKey(key(k, { ctrlKey: true }), textCell), k).toEqual(toFrame);
    expect(gridKey(key('ArrowDown', { ctrlKey: true }), textCell)).toEqual(toGrid);
    // Ctrl+Alt is AltGr on some layouts: typed characters, not commands.
    expect(gridKey(key('a', { ctrlKey: true, altKey: true }), textCell)).toEqual(toGrid);
  });

  it('clears the cell with Delete (the hook refuses a read-only one with a message), not with Shift or Alt', () => {
    expect(gridKey(key('Delete'), textCell)).toEqual(run({ do: 'clear-cell' }));
    expect(gridKey(key('Delete'), { ...textCell, editable: false })).toEqual(run({ do: 'clear-cell' }));
    expect(gridKey(key('Delete', { shiftKey: true }), textCell)).toEqual(toGrid);
    expect(gridKey(key('Delete'), { ...textCell, known: false })).toEqual(toGrid);
  });

  it('toggles 新 with Space, Enter or F2 where it can be written; elsewhere those keys are the grid’s', () => {
    const bool = { ...textCell, bool: true };
    for (const k of [' ', 'Enter', 'F2']) expect(gridKey(key(k), bool), k).toEqual(run({ do: 'toggle-bool' }));
    expect(gridKey(key('Enter'), { ...bool, editable: false })).toEqual(toGrid);
    expect(gridKey(key('Enter'), textCell)).toEqual(toGrid);
    expect(gridKey(key('x'), bool)).toEqual(toGrid);
  });

  it('opens the editor on an IME’s first keystroke where the cell can be written, and swallows it elsewhere', () => {
    const ime = key('Process', { keyCode: 229 });
    expect(gridKey(ime, textCell)).toEqual({ command: { do: 'edit-composing' }, suppress: true, preventDefault: false });
    expect(gridKey(ime, { ...textCell, editable: false })).toEqual(toFrame);
    expect(gridKey(key('a', { isComposing: true }), textCell).command).toEqual({ do: 'edit-composing' });
  });

  it('inside an open editor leaves every key to the editor, except an IME’s, which the grid must not see', () => {
    const editing = { ...textCell, editing: true };
    expect(gridKey(key('Delete'), editing)).toEqual(toGrid);
    expect(gridKey(key('+', { ctrlKey: true }), editing)).toEqual(toGrid);
    expect(gridKey(key('Enter', { keyCode: 229 }), editing)).toEqual(toFrame);
  });

  it('acts on key downs only', () => {
    expect(gridKey(key('Delete', { type: 'keypress' }), textCell)).toEqual(toGrid);
    expect(gridKey(key('a', { type: 'keyup', ctrlKey: true }), textCell)).toEqual(toGrid);
  });

  it('knows an IME at work by its flag, its key code 229 or the key Process', () => {
    expect(isComposing(key('a', { isComposing: true }))).toBe(true);
    expect(isComposing(key('a', { keyCode: 229 }))).toBe(true);
    expect(isComposing(key('Process'))).toBe(true);
    expect(isComposing(key('a', { keyCode: 65 }))).toBe(false);
  });
});

describe('the screen’s keys', () => {
  it('open find with Ctrl+F and the history with Ctrl+Shift+H, also from a text field', () => {
    expect(screenKey(key('f', { ctrlKey: true }), true)).toBe('open-find');
    expect(screenKey(key('F', { ctrlKey: true, shiftKey: true }), false)).toBe('open-find');
    expect(screenKey(key('H', { ctrlKey: true, shiftKey: true }), true)).toBe('toggle-history');
    expect(screenKey(key('h', { ctrlKey: true }), false)).toBeNull();
    expect(screenKey(key('f', { ctrlKey: true, altKey: true }), false)).toBeNull();
  });

  it('step through matches with F3 / Shift+F3 outside text fields (the find bar handles its own)', () => {
    expect(screenKey(key('F3'), false)).toBe('find-next');
    expect(screenKey(key('F3', { shiftKey: true }), false)).toBe('find-previous');
    expect(screenKey(key('F3'), true)).toBeNull();
    expect(screenKey(key('f'), false)).toBeNull();
  });
});
