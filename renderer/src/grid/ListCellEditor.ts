import type { ICellEditorComp, ICellEditorParams } from 'ag-grid-community';
import { unitNameKey } from '../../../shared/model/input/unit-names';
import { isComposing } from './key-map';
import type { PlanEditorParams } from './TextCellEditor';

export interface ListOption {
  value: string;
  label: string;
  /** A heading the option is listed under (部, 委員会 …). */
  group?: string;
  /** Other names the filter finds it by (a unit's short name). */
  aliases?: readonly string[];
}

/**
 * Whether an option is shown for what was typed in the filter: part of its label or of another
 * name, compared as the input layer compares names (NFKC, any case, spaces ignored), or its code.
 */
export function optionMatches(o: ListOption, typed: string): boolean {
  const q = unitNameKey(typed);
  if (q === '') return true;
  return [o.label, ...(o.aliases ?? [])].some((name) => unitNameKey(name).includes(q)) || o.value.toLowerCase() === q;
}

export interface ListEditorParams extends PlanEditorParams {
  listOptions: ListOption[];
  /** Several options may be chosen (主な担当); the value is their labels, one per line. */
  multiple: boolean;
  /** The chosen option values when the editor opens. */
  chosen: string[];
}

type Params = ICellEditorParams & ListEditorParams;

/**
 * A choice from a list, by keyboard: type to filter (IME works, it is a text field), ↑↓ to move,
 * Space to tick (several choices), Enter to commit, Esc to cancel. With one choice, Enter takes the
 * highlighted option. The value is the chosen labels, one per line, which is also what a paste gives.
 */
export class ListCellEditor implements ICellEditorComp {
  private params!: Params;
  private gui!: HTMLDivElement;
  private filter!: HTMLInputElement;
  private list!: HTMLDivElement;
  private chosen: string[] = [];
  private active = 0;
  private visible: ListOption[] = [];
  private committed: string | null = null;
  private original = '';

  init(params: Params): void {
    this.params = params;
    this.chosen = [...params.chosen];
    this.original = this.labelsOf(this.chosen);
    this.gui = document.createElement('div');
    this.gui.className = 'plan-editor plan-list-editor';
    this.gui.setAttribute('role', 'dialog');
    this.gui.setAttribute('aria-label', `${params.planColumn.header}を選択`);
    this.filter = document.createElement('input');
    this.filter.className = 'plan-list-filter';
    this.filter.placeholder = params.multiple ? '絞り込み（Space で選択、Enter で確定）' : '絞り込み（Enter で確定）';
    this.filter.setAttribute('aria-label', '絞り込み');
    if (params.eventKey && params.eventKey.length === 1) this.filter.value = params.eventKey;
    this.list = document.createElement('div');
    this.list.className = 'plan-list';
    this.list.setAttribute('role', 'listbox');
    if (params.multiple) this.list.setAttribute('aria-multiselectable', 'true');
    this.gui.append(this.filter, this.list);
    this.gui.style.width = `${Math.max(params.eGridCell.getBoundingClientRect().width, params.multiple ? 300 : 200)}px`;
    this.filter.addEventListener('input', () => {
      this.active = 0;
      this.render();
    });
    this.filter.addEventListener('keydown', (e) => this.onKeyDown(e));
    const current = params.listOptions.findIndex((o) => this.chosen.includes(o.value));
    this.render();
    if (!params.multiple && current >= 0 && this.filter.value === '') this.active = current;
    this.render();
  }

  private labelsOf(values: string[]): string {
    const options = this.params.listOptions;
    return options
      .filter((o) => values.includes(o.value))
      .sort((a, b) => (this.params.multiple ? options.indexOf(a) - options.indexOf(b) : 0))
      .map((o) => o.label)
      .join('\n');
  }

  private render(): void {
    this.visible = this.params.listOptions.filter((o) => optionMatches(o, this.filter.value));
    if (this.active >= this.visible.length) this.active = Math.max(0, this.visible.length - 1);
    this.list.replaceChildren();
    let group: string | undefined;
    this.visible.forEach((o, i) => {
      if (o.group && o.group !== group) {
        group = o.group;
        const h = document.createElement('div');
        h.className = 'plan-list-group';
        h.textContent = o.group;
        this.list.append(h);
      }
      const item = document.createElement('div');
      item.className = `plan-list-option${i === this.active ? ' active' : ''}`;
      item.setAttribute('role', 'option');
      const on = this.chosen.includes(o.value);
      item.setAttribute('aria-selected', String(on));
      item.textContent = `${this.params.multiple ? (on ? '☑ ' : '☐ ') : ''}${o.label}`;
      item.addEventListener('mousedown', (e) => {
        e.preventDefault();
        this.active = i;
        if (this.params.multiple) this.toggle();
        else this.commit();
      });
      this.list.append(item);
      if (i === this.active) queueMicrotask(() => item.scrollIntoView({ block: 'nearest' }));
    });
    if (this.params.multiple) {
      const summary = document.createElement('div');
      summary.className = 'plan-editor-hint';
      summary.textContent = `${this.chosen.length}件選択 ・ Space 選択/解除 ・ Enter 確定 ・ Esc 取消`;
      this.list.append(summary);
    }
  }

  private toggle(): void {
    const o = this.visible[this.active];
    if (!o) return;
    this.chosen = this.chosen.includes(o.value) ? this.chosen.filter((v) => v !== o.value) : [...this.chosen, o.value];
    this.render();
  }

  private commit(): void {
    const o = this.visible[this.active];
    if (!this.params.multiple && o) this.chosen = [o.value];
    this.committed = this.labelsOf(this.chosen);
    this.params.stopEditing();
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (isComposing(e)) {
      e.stopPropagation();
      return;
    }
    const key = e.key;
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      this.active = Math.min(Math.max(0, this.active + (key === 'ArrowDown' ? 1 : -1)), this.visible.length - 1);
      this.render();
    } else if (key === ' ' && this.params.multiple) {
      e.preventDefault();
      e.stopPropagation();
      this.toggle();
    } else if (key === 'Enter' || key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      this.commit();
    } else if (key !== 'Escape') {
      e.stopPropagation();
    }
  }

  getGui(): HTMLElement {
    return this.gui;
  }

  afterGuiAttached(): void {
    this.filter.focus();
  }

  focusNow(): void {
    this.filter.focus();
  }

  getValue(): string {
    return this.committed ?? this.original;
  }

  isPopup(): boolean {
    return true;
  }

  getPopupPosition(): 'under' {
    return 'under';
  }

  isCancelAfterEnd(): boolean {
    return this.committed === null || this.committed === this.original;
  }
}
