/**
 * What a copy puts on the clipboard: the texts of the selected rows (a shared cell only where it
 * starts, so a pasted block lines up), or the focused cell's own text.
 */
import { copyArea, type GridSelection } from './cell-range';
import { shownText, type ShownGrid } from './shown-grid';

export interface CopiedBlock {
  texts: string[][];
  /** What was copied, for the status bar: セル or 3行. */
  what: string;
}

/** The block a copy takes from the grid, or null when there is nothing to copy. */
export function copyBlock<Row>(grid: ShownGrid<Row>, sel: GridSelection): CopiedBlock | null {
  const area = copyArea(sel);
  if (!area) return null;
  if (sel.ranges.length === 0) {
    const { row, col } = sel.active!;
    const data = grid.row(row);
    const column = grid.columns[col];
    return data !== undefined && column ? { texts: [[column.text(data)]], what: 'セル' } : null;
  }
  const texts = area.map((line) => line.flatMap(({ row, col }) => (grid.columns[col] ? [shownText(grid, grid.columns[col], row)] : [])));
  return { texts, what: `${area.length}行` };
}
