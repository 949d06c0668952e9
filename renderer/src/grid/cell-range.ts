/**
 * Selections and ranges as positions in the shown grid (display row index, display column index),
 * without AG Grid. A selection is the active cell plus rectangles chosen around it: today the rows
 * chosen with Shift+Space (each a whole-row rectangle); mouse and Shift+arrow ranges are rectangles
 * from an anchor to the active cell, and fit the same type.
 */

export interface CellPos {
  row: number;
  col: number;
}

/** A rectangle of cells, both edges included. */
export interface CellRect {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface GridSelection {
  /** The focused cell, or null when no cell has the focus. */
  active: CellPos | null;
  /** The chosen rectangles; none means just the active cell. */
  ranges: CellRect[];
}

/** The rectangle between an anchor and the cell the selection was extended to, in either direction. */
export function rectBetween(anchor: CellPos, focus: CellPos): CellRect {
  return {
    top: Math.min(anchor.row, focus.row),
    bottom: Math.max(anchor.row, focus.row),
    left: Math.min(anchor.col, focus.col),
    right: Math.max(anchor.col, focus.col),
  };
}

/** Whole rows (Shift+Space) as rectangles over `colCount` columns. */
export function wholeRows(rows: readonly number[], colCount: number): CellRect[] {
  return rows.map((row) => ({ top: row, bottom: row, left: 0, right: colCount - 1 }));
}

export function rectContains(rect: CellRect, pos: CellPos): boolean {
  return pos.row >= rect.top && pos.row <= rect.bottom && pos.col >= rect.left && pos.col <= rect.right;
}

/** The cells of a rectangle, row by row. */
export function rectCells(rect: CellRect): CellPos[] {
  const out: CellPos[] = [];
  for (let row = rect.top; row <= rect.bottom; row++) for (let col = rect.left; col <= rect.right; col++) out.push({ row, col });
  return out;
}

const span = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const sortedUnique = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

/** The rows any range covers, top to bottom, each once. */
export function selectedRows(sel: GridSelection): number[] {
  return sortedUnique(sel.ranges.flatMap((r) => span(r.top, r.bottom)));
}

/** The columns any range covers, left to right, each once. */
export function selectedColumns(sel: GridSelection): number[] {
  return sortedUnique(sel.ranges.flatMap((r) => span(r.left, r.right)));
}

/**
 * The block a copy reads: the selected rows by the selected columns (rows chosen apart are put
 * together, as Excel copies them), or the active cell alone; null when nothing is selected.
 */
export function copyArea(sel: GridSelection): CellPos[][] | null {
  if (sel.ranges.length === 0) return sel.active ? [[sel.active]] : null;
  const cols = selectedColumns(sel);
  return selectedRows(sel).map((row) => cols.map((col) => ({ row, col })));
}
