/**
 * Which cells a paste or a fill writes, and what becomes of each: a pasted block is laid out from
 * the active cell; one value with several rows chosen fills the active column of each (as Excel
 * does). Cells outside the grid, read-only cells and the repeated rows of a shared cell (the same
 * address again) are skipped and counted; one value the column refuses refuses the whole action.
 */
import type { GridEdit } from '../../../shared/domain/editing';
import { selectedRows, type CellPos, type GridSelection } from './cell-range';
import { cellEdit } from './cell-edit';
import type { ShownGrid } from './shown-grid';

/** A value meant for one cell of the shown grid. */
export interface CellWrite extends CellPos {
  value: string;
}

export interface WritePlan {
  edits: GridEdit[];
  /** Refusals, each naming the row and the column: 3行目「目標」: 数で入力してください。 */
  problems: string[];
  skipped: { readOnly: number; outside: number; shared: number };
}

/** The cells a pasted block writes: laid out from the active cell, or filling the chosen rows' active column. */
export function pasteTargets(block: readonly (readonly string[])[], sel: GridSelection): CellWrite[] {
  const active = sel.active;
  if (!active) return [];
  const rows = selectedRows(sel);
  if (block.length === 1 && block[0]!.length === 1 && rows.length > 1) return fillTargets(block[0]![0]!, rows, active.col);
  return block.flatMap((values, i) => values.map((value, j) => ({ row: active.row + i, col: active.col + j, value })));
}

/** One value into one column of several rows. */
export function fillTargets(value: string, rows: readonly number[], col: number): CellWrite[] {
  return rows.map((row) => ({ row, col, value }));
}

/** Checks every target against its column and sorts the targets into edits, refusals and skipped cells. */
export function planWrites<Row>(grid: ShownGrid<Row>, targets: readonly CellWrite[]): WritePlan {
  const plan: WritePlan = { edits: [], problems: [], skipped: { readOnly: 0, outside: 0, shared: 0 } };
  const seen = new Set<string>();
  for (const t of targets) {
    const row = grid.row(t.row);
    const col = t.col >= 0 ? grid.columns[t.col] : undefined;
    if (row === undefined || !col) {
      plan.skipped.outside++;
      continue;
    }
    const cell = col.cell?.(row);
    if (!cell) {
      plan.skipped.readOnly++;
      continue;
    }
    const key = JSON.stringify(cell.address);
    if (seen.has(key)) {
      plan.skipped.shared++;
      continue;
    }
    seen.add(key);
    const r = cellEdit(row, col, t.value);
    if (!r) continue;
    if ('problem' in r) plan.problems.push(`${t.row + 1}行目「${col.header}」: ${r.problem}`);
    else plan.edits.push(r.edit);
  }
  return plan;
}

export type PasteOutcome = { error: string } | { edits: GridEdit[]; label: string; done: string };

/** What a paste does with its plan: nothing but a message when refused or empty, else one change set. */
export function pasteOutcome(plan: WritePlan): PasteOutcome {
  const { edits, problems, skipped } = plan;
  if (problems.length > 0) return { error: `貼り付けられません。${problems[0]}${problems.length > 1 ? `（ほか${problems.length - 1}件）` : ''} 何も保存していません。` };
  const notes = [
    skipped.readOnly ? `編集できないセル ${skipped.readOnly}件` : '',
    skipped.outside ? `表の外 ${skipped.outside}件` : '',
    skipped.shared ? `共有セルへの重複 ${skipped.shared}件` : '',
  ].filter(Boolean);
  const note = notes.length ? ` ${notes.join('・')}は飛ばしました。` : '';
  if (edits.length === 0) return { error: `貼り付けるセルがありません。${note}` };
  return { edits, label: `貼り付け（${edits.length}セル）`, done: `${edits.length}セルを貼り付けました。${note}` };
}
