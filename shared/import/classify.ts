import type { CellValue, StateRow } from './state';

/**
 * The three-way rule for one cell: base = its value when the file was handed out (from the
 * change log), mine = the value in the open database now, theirs = the value in the file.
 */
export type CellOutcome =
  /** Nobody changed it. */
  | 'unchanged'
  /** Only the open database changed it since: keep it (the file holds the old value). */
  | 'mine'
  /** Only the file changed it: a change to apply. */
  | 'theirs'
  /** Both changed it to the same value: nothing to do. */
  | 'same'
  /** Both changed it, differently: the user chooses; never applied silently. */
  | 'conflict';

/** Numbers from Excel and from SQLite REAL columns may differ in the last binary digit. */
function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** An empty list (no 主な担当) is an empty cell too. */
const emptyAsNull = (v: CellValue | undefined): CellValue => (v === undefined || (Array.isArray(v) && v.length === 0) ? null : v);

/** Whether two cell values are the same (null, a missing value and an empty list are the same: an empty cell). */
export function sameValue(a: CellValue | undefined, b: CellValue | undefined): boolean {
  const x = emptyAsNull(a);
  const y = emptyAsNull(b);
  if (x === null || y === null) return x === y;
  if (typeof x === 'number' && typeof y === 'number') return sameNumber(x, y);
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
  return x === y;
}

/** Classifies one cell present in all three versions. */
export function classifyCell(base: CellValue | undefined, mine: CellValue | undefined, theirs: CellValue | undefined): CellOutcome {
  if (sameValue(theirs, base)) return sameValue(mine, base) ? 'unchanged' : 'mine';
  if (sameValue(mine, theirs)) return 'same';
  if (sameValue(mine, base)) return 'theirs';
  return 'conflict';
}

/** The columns of two rows, besides the id. */
export function columnsOf(...rows: (StateRow | undefined)[]): string[] {
  const set = new Set<string>();
  for (const r of rows) if (r) for (const k of Object.keys(r)) if (k !== 'id') set.add(k);
  return [...set].sort();
}

export function sameRow(a: StateRow | undefined, b: StateRow | undefined): boolean {
  if (!a || !b) return a === b;
  return columnsOf(a, b).every((c) => sameValue(a[c], b[c]));
}
