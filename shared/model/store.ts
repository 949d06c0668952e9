import type { PlanTableName } from './registry';

/**
 * The row operations' view of the plan: its PHYSICAL tables (a table row, a year's plan text, one
 * 主な担当 link are each a row), read and written one row at a time. Insert, move, delete, the
 * delete's dry run and the per-year cell writes are written once over it (row-ops.ts,
 * cell-writes.ts) and run over the database (electron/model/sql-store.ts: every write logged for
 * undo) or over rows held in memory (memory-store.ts).
 *
 * Reads and writes return Promises: a store may be a database on another machine (PostgreSQL),
 * where every query is a round trip, so the row operations await them (and read in as few finds as
 * they can). Stores in memory answer at once, through the same interface.
 *
 * `find` gives rows ordered by id (binary text order, as SQL's `order by id`), the one order
 * every store can give alike: a database has no insertion order to keep. Where an operation needs
 * another order (siblings by position), it sorts by the registry's ordering (row-order.ts inOrder).
 *
 * New ids come from the store: shared/ has no node:crypto, and a test gives both stores the same
 * sequence of ids so that their rows can be compared. They are made without asking the database,
 * so they stay synchronous.
 */

export type StoredValue = string | number | null;

export interface StoredRow {
  id: string;
  [column: string]: StoredValue;
}

/** Columns and the values they must hold; null matches null (SQL `is not distinct from`). */
export type Where = Readonly<Record<string, StoredValue>>;

/** What reading rows needs (a delete's dry run only reads). `R`: the row type a store hands out. */
export interface RowSource<R extends { id: string } = StoredRow> {
  get(table: PlanTableName, id: string): Promise<R | undefined>;
  /** The rows of `table` whose columns hold the values of `where`, ordered by id (byId). */
  find(table: PlanTableName, where: Where): Promise<R[]>;
}

/** What a delete writes: references cleared, rows removed. */
export interface RowWriter {
  update(table: PlanTableName, id: string, patch: Readonly<Record<string, StoredValue>>): Promise<void>;
  delete(table: PlanTableName, id: string): Promise<void>;
}

export interface PlanStore extends RowSource, RowWriter {
  /** Adds a row with every column of its table. */
  insert(table: PlanTableName, row: StoredRow): Promise<void>;
  /** A new random id (a UUID). */
  newId(): string;
  /** A name-based id: the same parts give the same id in every copy of the plan (electron/model/derived-id.ts). */
  derivedId(...parts: (string | number)[]): string;
}

/** Whether a row holds the values of `where` (a missing column counts as null). */
export function matches(row: Readonly<Record<string, unknown>>, where: Where): boolean {
  for (const [column, value] of Object.entries(where)) if ((row[column] ?? null) !== value) return false;
  return true;
}

/**
 * Compares rows by id as SQL's binary text order does (`<` on the strings, not localeCompare: ids
 * are ASCII, where UTF-16 and UTF-8 byte order agree): the order `find` gives, and the tie-break
 * wherever rows are sorted by a column that may hold equal values.
 */
export function byId(a: { readonly id: string }, b: { readonly id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
