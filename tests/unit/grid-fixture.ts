/**
 * A small plan grid for the grid's pure modules, built from the same parts a screen uses
 * (PlanColumn descriptions with the input layer's parsers): themes grouped in table rows whose
 * goal is one shared cell, a read-only number, a required theme text, a number and a 新 mark.
 */
import type { GridEdit } from '../../shared/domain/editing';
import { numberIn, requiredText, yesNoInput } from '../../renderer/src/grid/parsers';
import { shownGridOf } from '../../renderer/src/grid/shown-grid';
import type { PlanColumn } from '../../renderer/src/grid/types';

export interface ThemeRow {
  id: string;
  /** The table row the theme belongs to: its themes share one goal cell. */
  tableId: string;
  no: string;
  theme: string;
  goal: string;
  target: string;
  isNew: boolean;
}

export const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function themeRows(): ThemeRow[] {
  return [
    { id: uuid(1), tableId: uuid(101), no: '1', theme: '会員の拡大', goal: '会員数の増加', target: '25,000', isNew: false },
    { id: uuid(2), tableId: uuid(101), no: '2', theme: '会員サービス', goal: '会員数の増加', target: '', isNew: true },
    { id: uuid(3), tableId: uuid(102), no: '3', theme: '中小企業の支援', goal: '経営の安定', target: '120', isNew: false },
    { id: uuid(4), tableId: uuid(103), no: '4', theme: 'ＤＸの推進', goal: 'デジタル化', target: '', isNew: false },
  ];
}

const themeCell = (field: string) => (row: ThemeRow) => ({
  address: { entity: 'theme' as const, id: row.id, field },
  edit: (value: string | null): GridEdit => ({ entity: 'theme', id: row.id, field, value }),
});

export const themeColumns: PlanColumn<ThemeRow>[] = [
  { id: 'no', header: 'No', text: (r) => r.no, pinned: true },
  { id: 'theme', header: 'テーマ', text: (r) => r.theme, cell: themeCell('text'), parse: requiredText(), wrap: true },
  {
    id: 'goal',
    header: '到達目標',
    text: (r) => r.goal,
    spanKey: (r) => r.tableId,
    cell: (row) => ({
      address: { entity: 'actionRow', id: row.tableId, field: 'goal' },
      edit: (value) => ({ entity: 'actionRow', id: row.tableId, field: 'goal', value }),
    }),
  },
  { id: 'target', header: '目標値', kind: 'number', numeric: true, text: (r) => r.target, cell: themeCell('target'), parse: numberIn('名'), group: '2021年度' },
  { id: 'new', header: '新', kind: 'bool', text: (r) => (r.isNew ? '新' : ''), cell: themeCell('is_new'), parse: yesNoInput, group: '2021年度' },
];

export const themeGrid = (rows: ThemeRow[] = themeRows()) => shownGridOf(rows, themeColumns);

/** The values of a batch of edits, as "entity:id-tail:field=value", for short assertions. */
export const editsAsText = (edits: GridEdit[]) =>
  edits.map((e) => `${e.entity}:${'id' in e ? e.id.slice(-3) : ''}:${'field' in e ? e.field : ''}=${e.value ?? '∅'}`);
