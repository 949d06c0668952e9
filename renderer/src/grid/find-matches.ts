/**
 * Find on a screen (Ctrl+F): which cells hold the text, in reading order, and which match comes
 * next from where the focus is, like a spreadsheet's find.
 */
import { sharesCell } from './shown-grid';
import type { PlanColumn } from './types';

export interface Match {
  rowIndex: number;
  colId: string;
}

/** Compared as a planner means it: full- and half-width alike, any case. */
export const normalise = (s: string) => s.normalize('NFKC').toLowerCase();

/** A match as one string, for the cell highlight's lookup. */
export const matchKey = (rowIndex: number, colId: string) => `${rowIndex}:${colId}`;

/**
 * The cells whose text holds the query, over the rows as the database gave them (the grid neither
 * sorts nor filters), row by row in the order the columns are shown; a shared cell counts once.
 */
export function findMatches<Row>(rows: readonly Row[], shownColumns: readonly PlanColumn<Row>[], query: string): Match[] {
  const q = normalise(query.trim());
  if (q === '') return [];
  const out: Match[] = [];
  rows.forEach((row, rowIndex) => {
    for (const col of shownColumns) {
      if (rowIndex > 0 && sharesCell(col, rows[rowIndex - 1], row)) continue;
      if (normalise(col.text(row)).includes(q)) out.push({ rowIndex, colId: col.id });
    }
  });
  return out;
}

/**
 * The index of the match to go to: the next (step 1) or previous (-1) after the current one,
 * round the end; without a current one, from the focused cell onwards; without either, the first
 * or the last. -1 when there are no matches.
 */
export function nextMatch(matches: readonly Match[], current: number, focus: Match | null, step: 1 | -1): number {
  if (matches.length === 0) return -1;
  if (current >= 0) return (current + step + matches.length) % matches.length;
  if (!focus) return step === 1 ? 0 : matches.length - 1;
  const after = matches.findIndex((m) => m.rowIndex > focus.rowIndex || (m.rowIndex === focus.rowIndex && m.colId !== focus.colId));
  return step === 1 ? Math.max(0, after) : (after <= 0 ? matches.length : after) - 1;
}
