/**
 * Column translation: the plan columns a screen describes (types.ts) become AG Grid column
 * definitions, and the grid's shown columns become plan columns again.
 */
import type { CellClassParams, ColDef, ColGroupDef } from 'ag-grid-community';
import type { Direction } from './focus-target';
import { ListCellEditor, type ListEditorParams } from './ListCellEditor';
import { sharesCell } from './shown-grid';
import { TextCellEditor, type PlanEditorParams } from './TextCellEditor';
import type { PlanColumn } from './types';

/** What the definitions call back into: the grid's moves and messages, and find's highlights. */
export interface ColumnHooks {
  move(direction: Direction): void;
  refused(message: string): void;
  isMatch(rowIndex: number, colId: string): boolean;
  isCurrent(rowIndex: number, colId: string): boolean;
}

/** The values a list editor starts with chosen: each listed unit (by its value when it is an option), or the one choice. */
export function chosenValues<Row>(col: PlanColumn<Row>, row: Row): string[] {
  if (col.kind !== 'units') return [col.editText?.(row) ?? ''];
  return col
    .text(row)
    .split('\n')
    .filter(Boolean)
    .map((label) => col.options?.find((o) => o.label === label)?.value ?? label);
}

function editorParams<Row>(col: PlanColumn<Row>, hooks: ColumnHooks) {
  return (p: { data: Row }): PlanEditorParams | ListEditorParams => {
    const base: PlanEditorParams = { planColumn: col as PlanColumn<unknown>, move: hooks.move, refused: hooks.refused };
    if (col.kind !== 'enum' && col.kind !== 'units') return base;
    return { ...base, listOptions: col.options ?? [], multiple: col.kind === 'units', chosen: chosenValues(col, p.data) };
  };
}

/** One plan column as AG Grid's column definition. */
export function toColumnDef<Row>(col: PlanColumn<Row>, hooks: ColumnHooks): ColDef<Row> {
  const editable = !!col.cell;
  const list = col.kind === 'enum' || col.kind === 'units';
  return {
    colId: col.id,
    headerName: col.header,
    headerTooltip: col.headerTooltip ?? col.header,
    width: col.width,
    minWidth: col.minWidth ?? 60,
    flex: col.flex,
    pinned: col.pinned ? 'left' : undefined,
    valueGetter: (p) => (p.data ? col.text(p.data) : ''),
    editable: editable ? (p) => !!(p.data && col.cell?.(p.data)) : false,
    cellEditor: list ? ListCellEditor : TextCellEditor,
    cellEditorPopup: true,
    cellEditorParams: editorParams(col, hooks),
    wrapText: !!col.wrap,
    autoHeight: !!col.wrap,
    spanRows: col.spanKey ? (p) => sharesCell(col, p.nodeA?.data, p.nodeB?.data) : undefined,
    cellRenderer: col.render ? (p: { data: Row }) => (p.data ? col.render!(p.data) : null) : undefined,
    cellClass: [col.wrap ? 'cell-multiline' : 'cell-single', col.numeric ? 'cell-number' : '', editable ? 'cell-editable' : 'cell-readonly', col.kind === 'bool' ? 'cell-bool' : ''].filter(Boolean),
    cellClassRules: {
      'cell-find-match': (p: CellClassParams<Row>) => p.node.rowIndex !== null && hooks.isMatch(p.node.rowIndex, col.id),
      'cell-find-current': (p: CellClassParams<Row>) => p.node.rowIndex !== null && hooks.isCurrent(p.node.rowIndex, col.id),
    },
    headerClass: col.numeric ? 'header-number' : undefined,
    sortable: false,
    suppressMovable: true,
  };
}

/** The plan columns as AG Grid's definitions; adjacent columns of one group share a header above theirs. */
export function toColumnDefs<Row>(columns: readonly PlanColumn<Row>[], hooks: ColumnHooks): (ColDef<Row> | ColGroupDef<Row>)[] {
  const out: (ColDef<Row> | ColGroupDef<Row>)[] = [];
  for (const col of columns) {
    const def = toColumnDef(col, hooks);
    const last = out.at(-1);
    if (col.group && last && 'children' in last && last.headerName === col.group) last.children.push(def);
    else if (col.group) out.push({ headerName: col.group, children: [def], headerClass: 'header-group' });
    else out.push(def);
  }
  return out;
}

/** The order the grid shows the columns in: pinned ones first (the columns cannot be moved). */
export function shownOrder<Row>(columns: readonly PlanColumn<Row>[]): PlanColumn<Row>[] {
  return [...columns.filter((c) => c.pinned), ...columns.filter((c) => !c.pinned)];
}

/** The plan columns behind the grid's shown column ids (ids without a plan column are left out). */
export function planColumnsOf<Row>(colIds: readonly string[], byId: ReadonlyMap<string, PlanColumn<Row>>): PlanColumn<Row>[] {
  return colIds.flatMap((id) => {
    const col = byId.get(id);
    return col ? [col] : [];
  });
}
