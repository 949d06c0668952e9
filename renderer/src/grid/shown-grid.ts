/**
 * The grid as it is shown, without AG Grid: the rows in display order and the plan columns in
 * display order. The pure modules (ranges, paste targets, focus moves) read the grid through this,
 * so they can be tested with plain arrays; grid-handle.ts reads it off the live grid.
 */
import type { PlanColumn } from './types';

export interface ShownGrid<Row> {
  readonly rowCount: number;
  /** The row shown at a display index, or undefined outside the grid. */
  row(index: number): Row | undefined;
  /** The plan columns in the order shown (pinned first). */
  readonly columns: readonly PlanColumn<Row>[];
}

/** A ShownGrid over plain arrays (the rows as the database gave them: the grid neither sorts nor filters). */
export function shownGridOf<Row>(rows: readonly Row[], columns: readonly PlanColumn<Row>[]): ShownGrid<Row> {
  return { rowCount: rows.length, row: (i) => rows[i], columns };
}

/** Whether two adjacent rows share one cell of this column (row spanning, as in the printed document). */
export function sharesCell<Row>(col: Pick<PlanColumn<Row>, 'spanKey'>, above: Row | undefined, below: Row | undefined): boolean {
  if (!col.spanKey || above === undefined || below === undefined) return false;
  const key = col.spanKey(below);
  return key !== null && key === col.spanKey(above);
}

/** Whether the row at `index` continues the shared cell of the row above in this column. */
export function continuesSpan<Row>(grid: ShownGrid<Row>, col: PlanColumn<Row>, index: number): boolean {
  return index > 0 && sharesCell(col, grid.row(index - 1), grid.row(index));
}

/** The text a cell shows: a shared cell's text only in the row where it starts (what a copied block holds). */
export function shownText<Row>(grid: ShownGrid<Row>, col: PlanColumn<Row>, index: number): string {
  const row = grid.row(index);
  return row === undefined || continuesSpan(grid, col, index) ? '' : col.text(row);
}
