import type { PlanTableName } from './registry';

/**
 * The row operations' view of the plan: its PHYSICAL tables (a table row, a year's plan text, one
 * 主な担当 link are each a row), read and written one row at a time. Insert, move, delete, the
 * delete's dry run and the per-year cell writes are written once over it (row-ops.ts,
 * cell-writes.ts) and run over the database (electron/model/sql-store.ts: every write logged for
 * undo) or over rows held in memory (memory-store.ts).
 *
 * New ids come from the store: shared/ has no node:crypto, and a test gives both stores the same
 * sequence of ids so that their rows can be compared.
 */

export type StoredValue = string | number | null;

export interface StoredRow {
  id: string;
  [column: string]: StoredValue;
}

/** Columns and the values they must hold; null matches null (SQL `is`). */
export type Where = Readonly<Record<string, StoredValue>>;

/** What reading rows needs (a delete's dry run only reads). `R`: the row type a store hands out. */
export interface RowSource<R extends { id: string } = StoredRow> {
  get(table: PlanTableName, id: string): R | undefined;
  /** The rows of `table` whose columns hold the values of `where`, in the order they were stored. */
  find(table: PlanTableName, where: Where): R[];
}

/** What a delete writes: references cleared, rows removed. */
export interface RowWriter {
  update(table: PlanTableName, id: string, patch: Readonly<Record<string, StoredValue>>): void;
  delete(table: PlanTableName, id: string): void;
}

export interface PlanStore extends RowSource, RowWriter {
  /** Adds a row with every column of its table. */
  insert(table: PlanTableName, row: StoredRow): void;
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
