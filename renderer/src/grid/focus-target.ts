/**
 * Where the focus goes: an arrow out of an editor (past the rest of a shared cell, as the grid's
 * own navigation does), a row just added, moved or deleted, the first cell of a screen opened from
 * the keyboard, and the cell find was on when it closes.
 */
import type { CellPos } from './cell-range';
import { continuesSpan, type ShownGrid } from './shown-grid';
import type { PlanColumn } from './types';

export type Direction = 'up' | 'down' | 'left' | 'right';

/** The cell one step away in `direction`, staying inside the grid and skipping the rest of a shared cell. */
export function moveFrom<Row>(grid: ShownGrid<Row>, from: CellPos, direction: Direction): CellPos {
  const lastCol = grid.columns.length - 1;
  const last = grid.rowCount - 1;
  let col = from.col;
  if (direction === 'left') col = Math.max(0, col - 1);
  if (direction === 'right') col = Math.min(lastCol, col + 1);
  const planCol = grid.columns[col];
  let row = from.row;
  if (direction === 'down') {
    do row++;
    while (planCol && row <= last && continuesSpan(grid, planCol, row));
    row = Math.min(row, last);
  }
  if (direction === 'up') {
    row = Math.max(0, row - 1);
    while (planCol && row > 0 && continuesSpan(grid, planCol, row)) row--;
  }
  return { row, col };
}

/** The focus a row operation asks for once the grid holds the new rows, and what the status then says. */
export interface FocusRequest {
  /** The row by id (an added or moved row)… */
  id?: string;
  /** …or by position (where a deleted row was). */
  index?: number;
  colId?: string;
  done?: string;
}

/** Whether the request waits for its row: named by id, and not in the grid yet. */
export function awaitsRow(want: FocusRequest, idRowIndex: number | null | undefined): boolean {
  return want.id !== undefined && want.id !== '' && (idRowIndex === null || idRowIndex === undefined);
}

/**
 * The cell a request lands on: its row by id, or its position kept inside the rows now shown; its
 * column, or the first shown. Null when there is no such cell (an empty grid).
 */
export function requestedCell(want: FocusRequest, idRowIndex: number | null | undefined, rowCount: number, firstColId: string | undefined): { rowIndex: number; colId: string } | null {
  const rowIndex = idRowIndex !== undefined ? idRowIndex : Math.min(want.index ?? 0, rowCount - 1);
  const colId = want.colId ?? firstColId;
  return rowIndex !== null && rowIndex >= 0 && colId ? { rowIndex, colId } : null;
}

/** The column a freshly opened screen focuses: the one new rows are typed into, or the first editable one. */
export function firstFocusColumn<Row>(focusColumn: string | undefined, columns: readonly PlanColumn<Row>[]): string | undefined {
  return focusColumn ?? columns.find((c) => c.cell)?.id;
}
