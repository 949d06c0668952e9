import type { ColDef, ColGroupDef, EditableCallbackParams, SpanRowsParams } from 'ag-grid-community';
import { describe, expect, it } from 'vitest';
import { chosenValues, planColumnsOf, shownOrder, toColumnDef, toColumnDefs, type ColumnHooks } from '../../renderer/src/grid/column-defs';
import { ListCellEditor } from '../../renderer/src/grid/ListCellEditor';
import { TextCellEditor } from '../../renderer/src/grid/TextCellEditor';
import type { PlanColumn } from '../../renderer/src/grid/types';
import { themeColumns, themeRows, type ThemeRow } from './grid-fixture';

const moves: string[] = [];
const hooks: ColumnHooks = {
  move: (d) => moves.push(d),
  refused: () => undefined,
  isMatch: (row, colId) => row === 1 && colId === 'theme',
  isCurrent: (row, colId) => row === 2 && colId === 'theme',
};
const def = (id: string) => toColumnDef(themeColumns.find((c) => c.id === id)!, hooks);
const rows = themeRows();

describe('plan columns as AG Grid columns', () => {
  it('put adjacent columns of one group under one header', () => {
    const defs = toColumnDefs(themeColumns, hooks);
    expect(defs.map((d) => d.headerName)).toEqual(['No', 'テーマ', '到達目標', '2021年度']);
    const group = defs[3] as ColGroupDef<ThemeRow>;
    expect(group.headerClass).toBe('header-group');
    expect(group.children.map((c) => (c as ColDef).colId)).toEqual(['target', 'new']);
    // The same group name apart makes two headers.
    const apart = [themeColumns[3]!, themeColumns[1]!, themeColumns[4]!];
    expect(toColumnDefs(apart, hooks).map((d) => d.headerName)).toEqual(['2021年度', 'テーマ', '2021年度']);
  });

  it('make a cell editable only where the row has a cell to write, and mark read-only columns', () => {
    expect(def('no').editable).toBe(false);
    expect(def('no').cellClass).toEqual(['cell-single', 'cell-readonly']);
    const editable = def('theme').editable as (p: EditableCallbackParams<ThemeRow>) => boolean;
    expect(editable({ data: rows[0] } as EditableCallbackParams<ThemeRow>)).toBe(true);
    const sometimes: PlanColumn<ThemeRow> = { ...themeColumns[1]!, cell: (r) => (r.isNew ? themeColumns[1]!.cell!(r) : null) };
    const sometimesEditable = toColumnDef(sometimes, hooks).editable as (p: EditableCallbackParams<ThemeRow>) => boolean;
    expect(rows.map((data) => sometimesEditable({ data } as EditableCallbackParams<ThemeRow>))).toEqual([false, true, false, false]);
    expect(def('theme').cellClass).toEqual(['cell-multiline', 'cell-editable']);
    expect(def('target').cellClass).toEqual(['cell-single', 'cell-number', 'cell-editable']);
    expect(def('target').headerClass).toBe('header-number');
    expect(def('new').cellClass).toEqual(['cell-single', 'cell-editable', 'cell-bool']);
    expect(def('no').pinned).toBe('left');
    expect(def('theme')).toMatchObject({ wrapText: true, autoHeight: true, sortable: false, suppressMovable: true, minWidth: 60 });
  });

  it('span a shared cell over the rows whose keys are equal, and no other column', () => {
    const spanRows = def('goal').spanRows as (p: SpanRowsParams<ThemeRow>) => boolean;
    const pair = (a: number, b: number) => ({ nodeA: { data: rows[a] }, nodeB: { data: rows[b] } }) as unknown as SpanRowsParams<ThemeRow>;
    expect(spanRows(pair(0, 1))).toBe(true);
    expect(spanRows(pair(1, 2))).toBe(false);
    expect(def('theme').spanRows).toBeUndefined();
  });

  it('edit choices and unit lists in the list editor, the rest in the text editor, with the grid’s moves', () => {
    expect(def('theme').cellEditor).toBe(TextCellEditor);
    const kind: PlanColumn<ThemeRow> = { id: 'kind', header: '種別', kind: 'enum', text: () => '率', editText: () => 'rate', options: [{ value: 'rate', label: '率' }] };
    const d = toColumnDef(kind, hooks);
    expect(d.cellEditor).toBe(ListCellEditor);
    const params = (d.cellEditorParams as (p: { data: ThemeRow }) => Record<string, unknown>)({ data: rows[0]! });
    expect(params).toMatchObject({ listOptions: kind.options, multiple: false, chosen: ['rate'] });
    (params.move as (d: string) => void)('down');
    expect(moves).toEqual(['down']);
    const textParams = (def('theme').cellEditorParams as (p: { data: ThemeRow }) => Record<string, unknown>)({ data: rows[0]! });
    expect(Object.keys(textParams).sort()).toEqual(['move', 'planColumn', 'refused']);
  });

  it('mark find’s matches and the current one through the hooks', () => {
    const rules = def('theme').cellClassRules as Record<string, (p: { node: { rowIndex: number | null } }) => boolean>;
    expect([0, 1, 2].map((rowIndex) => rules['cell-find-match']!({ node: { rowIndex } }))).toEqual([false, true, false]);
    expect([0, 1, 2].map((rowIndex) => rules['cell-find-current']!({ node: { rowIndex } }))).toEqual([false, false, true]);
    expect(rules['cell-find-match']!({ node: { rowIndex: null } })).toBe(false);
  });
});

describe('the values a list editor starts with', () => {
  const units: PlanColumn<{ text: string }> = {
    id: 'units',
    header: '主な担当',
    kind: 'units',
    text: (r) => r.text,
    options: [{ value: 'u1', label: '総務部' }],
  };
  it('are the listed units by value where they are options, as typed otherwise', () => {
    expect(chosenValues(units, { text: '総務部\n\n旧委員会' })).toEqual(['u1', '旧委員会']);
    expect(chosenValues(units, { text: '' })).toEqual([]);
    expect(chosenValues({ ...units, kind: 'enum' }, { text: 'x' })).toEqual(['']);
  });
});

describe('the grid’s columns back as plan columns', () => {
  it('are shown pinned first, and found again by id', () => {
    const cols = [themeColumns[1]!, themeColumns[0]!, themeColumns[2]!];
    expect(shownOrder(cols).map((c) => c.id)).toEqual(['no', 'theme', 'goal']);
    const byId = new Map(themeColumns.map((c) => [c.id, c]));
    expect(planColumnsOf(['goal', 'gone', 'no'], byId).map((c) => c.id)).toEqual(['goal', 'no']);
  });
});
