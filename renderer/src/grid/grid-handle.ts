/**
 * The grid's handle, shared by PlanGrid's hooks: the live AG Grid API, the latest props (callbacks
 * read them at call time, so they stay stable across renders), and readings of the live grid in the
 * terms of the pure modules (ShownGrid, GridSelection).
 */
import { useCallback, useMemo, useRef, type MutableRefObject, type ReactNode } from 'react';
import type { GridApi, IRowNode } from 'ag-grid-community';
import type { ChangeFollowUp, ScreenRef } from '../../../shared/domain/editing';
import type { StatusReporter } from '../components/status';
import { wholeRows, type GridSelection } from './cell-range';
import { planColumnsOf } from './column-defs';
import type { ShownGrid } from './shown-grid';
import type { PlanColumn, RowOps } from './types';

export interface PlanGridProps<Row> {
  testId: string;
  /** null while loading. */
  rows: Row[] | null;
  columns: PlanColumn<Row>[];
  rowId(row: Row): string;
  status: StatusReporter;
  /** The screen the rows are from: each write names it and answers with the rows of it that changed. */
  screen: ScreenRef;
  /** Takes a write's answer (null when it failed) and shows what the database now holds (use-rows.ts). */
  changed(outcome: ChangeFollowUp | null, sent: ScreenRef): Promise<void>;
  rowOps?: RowOps<Row>;
  emptyText?: string;
  /** Screen-specific controls shown at the left of the grid's toolbar. */
  toolbar?: ReactNode;
}

/** The focused cell with its row and plan column. */
export interface FocusedCell<Row> {
  node: IRowNode<Row>;
  row: Row;
  colId: string;
  col: PlanColumn<Row> | undefined;
}

export interface GridHandle<Row> {
  api: MutableRefObject<GridApi<Row> | null>;
  props: MutableRefObject<PlanGridProps<Row>>;
  column(colId: string): PlanColumn<Row> | undefined;
  focused(): FocusedCell<Row> | null;
  focusCell(rowIndex: number, colId: string): void;
  /** The rows and plan columns as shown now. */
  shown(): ShownGrid<Row>;
  /** The focused cell and the rows chosen with Shift+Space, as display positions. */
  selection(): GridSelection;
}

export function useGridHandle<Row>(props: PlanGridProps<Row>): GridHandle<Row> {
  const api = useRef<GridApi<Row> | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const byId = useMemo(() => new Map(props.columns.map((c) => [c.id, c])), [props.columns]);
  const byIdRef = useRef(byId);
  byIdRef.current = byId;

  const column = useCallback((colId: string) => byIdRef.current.get(colId), []);

  const focused = useCallback((): FocusedCell<Row> | null => {
    const a = api.current;
    const f = a?.getFocusedCell();
    if (!a || !f) return null;
    const node = a.getDisplayedRowAtIndex(f.rowIndex);
    const colId = f.column.getColId();
    return node?.data ? { node, row: node.data, colId, col: byIdRef.current.get(colId) } : null;
  }, []);

  const focusCell = useCallback((rowIndex: number, colId: string) => {
    const a = api.current;
    if (!a) return;
    a.ensureIndexVisible(rowIndex);
    a.ensureColumnVisible(colId);
    a.setFocusedCell(rowIndex, colId);
  }, []);

  const shown = useCallback((): ShownGrid<Row> => {
    const a = api.current;
    if (!a) return { rowCount: 0, row: () => undefined, columns: [] };
    return {
      rowCount: a.getDisplayedRowCount(),
      row: (i) => (i >= 0 ? a.getDisplayedRowAtIndex(i)?.data : undefined),
      columns: planColumnsOf(
        a.getAllDisplayedColumns().map((c) => c.getColId()),
        byIdRef.current,
      ),
    };
  }, []);

  const selection = useCallback((): GridSelection => {
    const a = api.current;
    if (!a) return { active: null, ranges: [] };
    const colIds = a.getAllDisplayedColumns().map((c) => c.getColId());
    const f = a.getFocusedCell();
    const rows = a
      .getSelectedNodes()
      .filter((n) => n.data && n.displayed && n.rowIndex !== null)
      .map((n) => n.rowIndex!);
    return { active: f ? { row: f.rowIndex, col: colIds.indexOf(f.column.getColId()) } : null, ranges: wholeRows(rows, colIds.length) };
  }, []);

  return useMemo(() => ({ api, props: latest, column, focused, focusCell, shown, selection }), [column, focused, focusCell, shown, selection]);
}
