import type { MoveDirection } from '../domain/editing';
import { type PlanTableName, planTables } from './registry';
import { inOrder, moveWhere, orderingOf } from './row-order';
import type { PlanStore, StoredRow } from './store';

/**
 * A row moved up or down by one among the rows the registry's ordering says it moves within: it
 * swaps places with its neighbour. Where the order has an outer column (a table row's page), a
 * move across it takes the other row's place. A row at the edge of the row it belongs to, when
 * that row is its children (a theme at the top of its table row), moves that row instead.
 */

/** Swaps a row with its neighbour among siblings of one position column; false when it is already first/last. */
async function swapPositions(store: PlanStore, table: PlanTableName, siblings: StoredRow[], id: string, direction: MoveDirection): Promise<boolean> {
  const column = orderingOf(table).columns.at(-1)!;
  const sorted = inOrder(table, siblings);
  const i = sorted.findIndex((s) => s.id === id);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= sorted.length) return false;
  const a = sorted[i]!;
  const b = sorted[j]!;
  // Equal positions (possible in hand-made data) would not swap: use the indexes then.
  const [pa, pb] = a[column] === b[column] ? [j, i] : [b[column]!, a[column]!];
  await store.update(table, a.id, { [column]: pa });
  await store.update(table, b.id, { [column]: pb });
  return true;
}

/** Moves a row among the rows it moves within (by the registry); false when it is already first/last. */
export async function moveInOrder(store: PlanStore, table: PlanTableName, row: StoredRow, direction: MoveDirection): Promise<boolean> {
  const columns = orderingOf(table).columns;
  const outer = columns.slice(0, -1);
  const rows = inOrder(table, await store.find(table, moveWhere(table, row)));
  const i = rows.findIndex((r) => r.id === row.id);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= rows.length) return false;
  const a = rows[i]!;
  const b = rows[j]!;
  if (outer.every((c) => a[c] === b[c])) return swapPositions(store, table, rows.filter((r) => outer.every((c) => r[c] === a[c])), a.id, direction);
  // Across an outer boundary (a page): each takes the other's place.
  await store.update(table, a.id, Object.fromEntries(columns.map((c) => [c, b[c] ?? null])));
  await store.update(table, b.id, Object.fromEntries(columns.map((c) => [c, a[c] ?? null])));
  return true;
}

/** The row `row` belongs to when that row is its children (a theme's table row). */
function wholeOf(table: PlanTableName, row: StoredRow): { table: PlanTableName; id: string } | null {
  const p = planTables[table].parent;
  if (!p || 'either' in p || planTables[p.table].goesWithLastChild?.child !== table) return null;
  const id = row[p.column];
  return typeof id === 'string' ? { table: p.table, id } : null;
}

/** Moves a row; at the edge of a row that is its children, that row moves. False when nothing can move. */
export async function moveRowOf(store: PlanStore, table: PlanTableName, row: StoredRow, direction: MoveDirection): Promise<boolean> {
  if (await moveInOrder(store, table, row, direction)) return true;
  const whole = wholeOf(table, row);
  const parent = whole ? await store.get(whole.table, whole.id) : undefined;
  return parent !== undefined && (await moveRowOf(store, whole!.table, parent, direction));
}
