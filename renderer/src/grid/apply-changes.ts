/**
 * Bringing a write's answer into the rows a screen holds: a write names the screen it is made from
 * and answers with the rows of it that the change touched (read from the database after the
 * change), the rows it took away, and the order when rows came, went or moved. The screen then
 * updates in place instead of reading everything again; it still shows only what the database holds.
 */
import type { ChangeFollowUp, ScreenChange, ScreenRef } from '../../../shared/domain/editing';

export type ScreenName = ScreenRef['name'];
/** The row a screen's list method gives, by screen. */
export type RowOf<N extends ScreenName> = Extract<ScreenChange, { name: N }>['rows'][number];

export interface RowsPatch<Row> {
  rows: Row[];
  removed: string[];
  order: string[] | null;
}

/** The id a screen keys its rows on (the one the answer's `removed` and `order` use). */
export function rowIdOf(name: ScreenName): (row: RowOf<ScreenName>) => string {
  return name === 'unitFocus' ? (r) => (r as RowOf<'unitFocus'>).unitId : (r) => (r as { id: string }).id;
}

/** Whether two screen references name the same rows (same list, fiscal year, unit filter). */
export function sameScreen(a: ScreenRef, b: ScreenRef): boolean {
  const key = (r: ScreenRef) => JSON.stringify([r.name, 'fiscalYear' in r ? r.fiscalYear : null, 'which' in r ? r.which : null, r.unitId ?? null]);
  return key(a) === key(b);
}

/**
 * The rows after a change: changed rows replace the held ones with the same id (the others stay the
 * same objects, so the grid redraws only what changed), removed rows go, and a given order places
 * every row. Null when the answer does not fit what is held (a row in the order nobody has, a new
 * row without an order): the screen is then read again.
 */
export function patchRows<Row>(current: readonly Row[], patch: RowsPatch<Row>, idOf: (row: Row) => string): Row[] | null {
  const changed = new Map(patch.rows.map((r) => [idOf(r), r]));
  const held = new Map(current.map((r) => [idOf(r), r]));
  if (patch.order) {
    const out: Row[] = [];
    for (const id of patch.order) {
      const row = changed.get(id) ?? held.get(id);
      if (!row) return null;
      out.push(row);
    }
    return out;
  }
  if ([...changed.keys()].some((id) => !held.has(id))) return null;
  const removed = new Set(patch.removed);
  return current.filter((r) => !removed.has(idOf(r))).map((r) => changed.get(idOf(r)) ?? r);
}

/**
 * The screen on show, as the frame reaches it for undo and redo (made outside the grid): what to
 * name in the request, and where its answer goes.
 */
export interface ScreenLink {
  screen: ScreenRef;
  /** Takes a write's answer (null when the write failed: the screen is then read again). */
  changed(outcome: ChangeFollowUp | null, sent: ScreenRef): Promise<void>;
}
