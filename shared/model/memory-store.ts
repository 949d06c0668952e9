import type { PlanTableName } from './registry';
import { byId, matches, type PlanStore, type StoredRow, type StoredValue, type Where } from './store';

/**
 * The plan's physical tables held in memory (rows by id, by table), as a store the row
 * operations run over. Rows are handed out as copies, so a caller cannot change a row without
 * writing it, as with the database. Reads are ordered by id, as the database's (store.ts); the
 * methods are async only to fit the store's interface, and answer at once.
 */

export type MemoryTables = Record<string, Record<string, StoredRow>>;

export interface IdSource {
  newId(): string;
  derivedId(...parts: (string | number)[]): string;
}

export class MemoryStore implements PlanStore {
  constructor(
    readonly tables: MemoryTables,
    private readonly ids: IdSource,
  ) {}

  private rows(table: PlanTableName): Record<string, StoredRow> {
    return (this.tables[table] ??= {});
  }

  async get(table: PlanTableName, id: string): Promise<StoredRow | undefined> {
    const rows = this.rows(table);
    return Object.hasOwn(rows, id) ? { ...rows[id]! } : undefined;
  }

  async find(table: PlanTableName, where: Where): Promise<StoredRow[]> {
    return Object.values(this.rows(table))
      .filter((r) => matches(r, where))
      .sort(byId)
      .map((r) => ({ ...r }));
  }

  async insert(table: PlanTableName, row: StoredRow): Promise<void> {
    const rows = this.rows(table);
    if (Object.hasOwn(rows, row.id)) throw new Error(`insert of existing ${table} ${row.id}`);
    rows[row.id] = { ...row };
  }

  async update(table: PlanTableName, id: string, patch: Readonly<Record<string, StoredValue>>): Promise<void> {
    const row = this.rows(table)[id];
    if (!row) throw new Error(`update of missing ${table} ${id}`);
    for (const [column, value] of Object.entries(patch)) if (value !== undefined) row[column] = value;
  }

  async delete(table: PlanTableName, id: string): Promise<void> {
    delete this.rows(table)[id];
  }

  newId(): string {
    return this.ids.newId();
  }

  derivedId(...parts: (string | number)[]): string {
    return this.ids.derivedId(...parts);
  }
}
