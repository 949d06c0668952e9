/**
 * One cell's edit from the text typed, pasted or cleared, through the column's own checks: the
 * same for the editor's commit, Delete, the 新 toggle and every cell of a paste.
 */
import type { GridEdit } from '../../../shared/domain/editing';
import type { PlanColumn } from './types';

export type CellEditOutcome = { edit: GridEdit } | { problem: string };

/** The edit writing `raw` (null: clear) into this row's cell, the reason it is refused, or null for a read-only cell. */
export function cellEdit<Row>(row: Row, col: PlanColumn<Row>, raw: string | null): CellEditOutcome | null {
  const cell = col.cell?.(row);
  if (!cell) return null;
  if (raw !== null && col.parse) {
    const parsed = col.parse(raw, row);
    if (!parsed.ok) return { problem: parsed.message };
    return { edit: cell.edit(parsed.value) };
  }
  return { edit: cell.edit(raw === null || raw === '' ? null : raw) };
}
