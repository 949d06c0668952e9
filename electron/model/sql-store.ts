import { randomUUID } from 'node:crypto';
import type { ChangeWriter } from '../db/change-writer';
import type { PlanDb } from '../db/plan-db';
import type { DataTable } from '../db/schema';
import { columnsOf } from '../../shared/model/field-rules';
import { planTables, type PlanTableName } from '../../shared/model/registry';
import { byId, matches, type PlanStore, type StoredRow, type StoredValue, type Where } from '../../shared/model/store';
import { derivedId } from './derived-id';

/**
 * The plan database as a store for the shared row operations (shared/model/row-ops.ts,
 * cell-writes.ts): reads with one query each, every write through the ChangeWriter, so it is
 * checked by the field rules and logged for undo inside the caller's change set. Without a writer
 * it only reads (a delete's dry run). `db`: the change set's transaction when it writes.
 */

export interface SqlStoreOptions {
  /** New ids (tests give a sequence; the app random UUIDs). */
  newId?: () => string;
}

export class SqlStore implements PlanStore {
  private readonly makeId: () => string;

  constructor(
    private readonly db: PlanDb,
    private readonly writer: ChangeWriter | null,
    options: SqlStoreOptions = {},
  ) {
    this.makeId = options.newId ?? randomUUID;
  }

  private write(): ChangeWriter {
    if (!this.writer) throw new Error('this store only reads');
    return this.writer;
  }

  /** Only the columns the model knows are read, as readPhysical reads them (plan-state.ts). */
  private select(table: PlanTableName) {
    // Dynamic table and columns: Kysely cannot type them; rows are plain column maps.
    return this.db.q.selectFrom(table as DataTable).select(columnsOf(table) as never[]);
  }

  async get(table: PlanTableName, id: string): Promise<StoredRow | undefined> {
    return (await this.select(table).where('id', '=', id as never).executeTakeFirst()) as StoredRow | undefined;
  }

  /** The rows holding `where`'s values (null matching null), ordered by id on every engine. */
  async find(table: PlanTableName, where: Where): Promise<StoredRow[]> {
    const known = columnsOf(table);
    for (const column of Object.keys(where)) if (!known.includes(column)) throw new Error(`no column ${table}.${column}`);
    const written = this.writtenRows(table, where);
    if (written) return written;
    let q = this.select(table);
    for (const [column, value] of Object.entries(where)) q = q.where(column as never, 'is not distinct from', value as never);
    return (await q.orderBy('id').execute()) as StoredRow[];
  }

  /**
   * The answer of `find` without a query when the writer knows it: the rows under a parent this
   * change set inserted (a new target's values for each year, a new row's 主な担当), which an
   * import asks for once per cell of every new row.
   */
  private writtenRows(table: PlanTableName, where: Where): StoredRow[] | undefined {
    if (!this.writer) return undefined;
    for (const { column } of planTables[table].references) {
      const parentId = where[column];
      if (typeof parentId !== 'string') continue;
      const rows = this.writer.childrenOf(table as DataTable, column, parentId);
      if (!rows) continue;
      const columns = columnsOf(table);
      return rows
        .filter((r) => matches(r, where))
        .map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])) as StoredRow)
        .sort(byId);
    }
    return undefined;
  }

  // The writer's types are Kysely's per-table rows; a store's rows are plain column maps checked by the writer.
  async insert(table: PlanTableName, row: StoredRow): Promise<void> {
    await this.write().insert(table as DataTable, row as never);
  }

  async update(table: PlanTableName, id: string, patch: Readonly<Record<string, StoredValue>>): Promise<void> {
    await this.write().update(table as DataTable, id, patch as never);
  }

  async delete(table: PlanTableName, id: string): Promise<void> {
    await this.write().delete(table as DataTable, id);
  }

  newId(): string {
    return this.makeId();
  }

  derivedId(...parts: (string | number)[]): string {
    return derivedId(...parts);
  }
}
