/**
 * Rows of a returned sheet that lost their id (the hidden column A cleared, or partly) matched to
 * the handed-out rows the file no longer names: a row and a handed-out row correspond when they
 * show the same identifying text (a table row's themes and goal, a target's theme and name) and
 * either each is the other's only candidate, or the row stands where that row was handed out.
 * Anything less clear is no match (the row is new, the handed-out row removed: the review shows
 * both, the removal unticked), never a guess between two candidates.
 */

export interface IdlessRow {
  /** The sheet row. */
  row: number;
  /** Its identifying text ('' matches nothing). */
  key: string;
}

export interface UnseenRow {
  id: string;
  /** Its place in the handed-out order (0 = first data row). */
  index: number;
  key: string;
}

function groupBy<T extends { key: string }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    if (item.key === '') continue;
    const list = out.get(item.key);
    if (list) list.push(item);
    else out.set(item.key, [item]);
  }
  return out;
}

/**
 * Sheet row → the id it takes. A handed-out row is never taken twice: by place it has one row,
 * and as an only candidate its key is held by that one row alone.
 */
export function matchIdlessRows(rows: IdlessRow[], unseen: UnseenRow[], firstRow: number): Map<number, string> {
  const byKey = groupBy(unseen);
  const rowsByKey = groupBy(rows);
  const byIndex = new Map(unseen.map((u) => [u.index, u]));
  const out = new Map<number, string>();
  for (const r of rows) {
    const candidates = byKey.get(r.key) ?? [];
    const samePlace = byIndex.get(r.row - firstRow);
    if (samePlace && r.key !== '' && samePlace.key === r.key) out.set(r.row, samePlace.id);
    else if (candidates.length === 1 && rowsByKey.get(r.key)!.length === 1) out.set(r.row, candidates[0]!.id);
  }
  return out;
}
