import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community';
import type { Direction } from './focus-target';
import { isComposing } from './key-map';
import type { PlanColumn } from './types';

/** What the grid gives its editors besides AG Grid's own parameters. */
export interface PlanEditorParams {
  planColumn: PlanColumn<unknown>;
  /** Moves the focus after the editor has closed (arrow keys while typing into a cell, as in Excel). */
  move(direction: Direction): void;
  /** Tells the user why a value was not taken (status bar). */
  refused(message: string): void;
}

type Params = ICellEditorParams & PlanEditorParams;

/** The key that started the edit replaces the cell's text: a printed character, or an IME keystroke. */
export function startsByTyping(eventKey: string | null): boolean {
  return eventKey !== null && (eventKey.length === 1 || eventKey === 'Process' || eventKey === 'Backspace' || eventKey === 'Delete');
}

/**
 * The cell editor for text and numbers, shown over the cell: Enter commits and moves down,
 * Alt+Enter breaks the line, Tab/Shift+Tab commit and move sideways, Esc cancels. Started by
 * typing, arrow keys commit and move (Excel's "enter" mode); started with F2, Enter or a
 * double-click they move the caret ("edit" mode); F2 switches between the two. Long texts get a
 * larger editor that grows with its content. Invalid input is refused here, before anything is sent.
 */
export class TextCellEditor implements ICellEditorComp {
  private params!: Params;
  private gui!: HTMLDivElement;
  private textarea!: HTMLTextAreaElement;
  private message!: HTMLDivElement;
  private original = '';
  private typing = false;

  init(params: Params): void {
    this.params = params;
    const col = params.planColumn;
    this.original = col.editText ? col.editText(params.data) : col.text(params.data);
    this.typing = startsByTyping(params.eventKey);
    const start = this.typing ? (params.eventKey?.length === 1 ? params.eventKey : '') : this.original;

    this.gui = document.createElement('div');
    this.gui.className = 'plan-editor';
    this.gui.setAttribute('role', 'dialog');
    this.gui.setAttribute('aria-label', `${col.header}を編集`);
    this.textarea = document.createElement('textarea');
    this.textarea.className = 'plan-editor-input';
    this.textarea.value = start;
    this.textarea.spellcheck = false;
    this.textarea.setAttribute('aria-label', col.header);
    if (col.numeric) this.textarea.classList.add('numeric');
    this.message = document.createElement('div');
    this.message.className = 'plan-editor-hint';
    this.message.setAttribute('aria-live', 'polite');
    this.gui.append(this.textarea, this.message);
    this.showHint();

    const width = Math.max(params.eGridCell.getBoundingClientRect().width, 160);
    const long = this.original.length > 60 || this.original.includes('\n');
    this.gui.style.width = `${long ? Math.max(width, Math.min(640, window.innerWidth * 0.5)) : width}px`;
    this.textarea.addEventListener('input', () => {
      this.autosize();
      if (this.gui.classList.contains('invalid')) this.validate();
    });
    this.textarea.addEventListener('keydown', (e) => this.onKeyDown(e));
  }

  private showHint(): void {
    this.gui.classList.remove('invalid');
    this.message.textContent = `Enter 確定 ・ Alt+Enter 改行 ・ Esc 取消${this.typing ? '' : ' ・ F2 矢印で移動'}`;
  }

  /** The refusal of the current text, or null when it can be saved. */
  private problem(): string | null {
    const col = this.params.planColumn;
    if (!col.parse) return null;
    const r = col.parse(this.textarea.value, this.params.data);
    return r.ok ? null : r.message;
  }

  private validate(): boolean {
    const problem = this.problem();
    if (problem === null) {
      this.showHint();
      return true;
    }
    this.gui.classList.add('invalid');
    this.message.textContent = problem;
    return false;
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (isComposing(e)) {
      // The IME owns this key (a conversion being confirmed with Enter, arrows choosing a candidate).
      e.stopPropagation();
      return;
    }
    const plain = !e.ctrlKey && !e.metaKey;
    if (e.key === 'Enter' && e.altKey) {
      e.preventDefault();
      e.stopPropagation();
      this.textarea.setRangeText('\n', this.textarea.selectionStart, this.textarea.selectionEnd, 'end');
      this.autosize();
      return;
    }
    if ((e.key === 'Enter' || e.key === 'Tab') && plain && !this.validate()) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (e.key === 'Enter' && plain) {
      // The grid commits and moves down (enterNavigatesVerticallyAfterEdit); no line break here.
      e.preventDefault();
      return;
    }
    if (e.key === 'F2') {
      e.preventDefault();
      e.stopPropagation();
      this.typing = !this.typing;
      this.showHint();
      return;
    }
    const arrows: Record<string, 'up' | 'down' | 'left' | 'right'> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };
    const direction = arrows[e.key];
    if (direction && this.typing && plain && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      e.stopPropagation();
      if (!this.validate()) return;
      this.params.stopEditing(true);
      this.params.move(direction);
      return;
    }
    if (direction || e.key === 'Home' || e.key === 'End' || e.key === 'PageUp' || e.key === 'PageDown' || e.key === 'Backspace' || e.key === 'Delete') {
      // Caret movement and deletion belong to the text, not to the grid.
      e.stopPropagation();
    }
    if ((e.ctrlKey || e.metaKey) && ['z', 'y', 'a', 'c', 'v', 'x'].includes(e.key.toLowerCase())) e.stopPropagation();
  }

  private autosize(): void {
    const t = this.textarea;
    t.style.height = 'auto';
    const cell = this.params.eGridCell.getBoundingClientRect().height;
    t.style.height = `${Math.min(Math.max(t.scrollHeight + 2, cell - 4, 32), window.innerHeight * 0.6)}px`;
  }

  getGui(): HTMLElement {
    return this.gui;
  }

  afterGuiAttached(): void {
    this.textarea.focus();
    const end = this.textarea.value.length;
    this.textarea.setSelectionRange(end, end);
    this.autosize();
  }

  /** Focuses the text field at once, while the key that opened the editor is still being handled (IME). */
  focusNow(): void {
    this.textarea.focus();
  }

  getValue(): string {
    return this.textarea.value;
  }

  isPopup(): boolean {
    return true;
  }

  getPopupPosition(): 'over' {
    return 'over';
  }

  isCancelAfterEnd(): boolean {
    const value = this.textarea.value;
    if (value === this.original) return true;
    const problem = this.problem();
    if (problem !== null) {
      this.params.refused(`${this.params.planColumn.header}: ${problem} 入力は保存していません。`);
      return true;
    }
    return false;
  }
}
