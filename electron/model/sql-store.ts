import { randomUUID } from 'node:crypto';
import type { ChangeWriter } from '../db/change-writer';
import type { Sqlite } from '../db/open';
import type { DataTable } from '../db/schema';
import { prepare as prepared } from '../db/sql';
import { columnsOf } from '../../shared/model/field-rules';
import type { PlanTableName } from '../../shared/model/registry';
import type { PlanStore, StoredRow, StoredValue, Where } from '../../shared/model/store';
import { derivedId } from './derived-id';

/**
 * The plan database as a store for the shared row operations (shared/model/row-ops.ts,
 * cell-writes.ts): reads through prepared statements, every write through the ChangeWriter, so
 * it is checked by the field rules and logged for undo inside the caller's change set. Without a
 * writer it only reads (a delete's dry run).
 */

/** Only the columns the model knows are read, as readPhysical reads them (plan-state.ts). */
function selectFrom(table: PlanTableName): string {
  return `select ${columnsOf(table)
    .map((c) => `"${c}"`)
    .join(', ')} from "${table}"`;
}

export interface SqlStoreOptions {
  /** New ids (tests give a sequence; the app random UUIDs). */
  newId?: () => string;
}

export class SqlStore implements PlanStore {
  private readonly makeId: () => string;

  constructor(
    private readonly sqlite: Sqlite,
    private readonly writer: ChangeWriter | null,
    options: SqlStoreOptions = {},
  ) {
    this.makeId = options.newId ?? randomUUID;
  }

  private write(): ChangeWriter {
    if (!this.writer) throw new Error('this store only reads');
    return this.writer;
  }

  get(table: PlanTableName, id: string): StoredRow | undefined {
    return prepared(this.sqlite, `${selectFrom(table)} where "id" = ?`).get(id) as StoredRow | undefined;
  }

  find(table: PlanTableName, where: Where): StoredRow[] {
    const known = columnsOf(table);
    const columns = Object.keys(where);
    for (const c of columns) if (!known.includes(c)) throw new Error(`no column ${table}.${c}`);
    const condition = columns.length ? ` where ${columns.map((c) => `"${c}" is ?`).join(' and ')}` : '';
    return prepared(this.sqlite, `${selectFrom(table)}${condition} order by rowid`).all(...columns.map((c) => where[c])) as StoredRow[];
  }

  // The writer's types are Kysely's per-table rows; a store's rows are plain column maps checked by the writer.
  insert(table: PlanTableName, row: StoredRow): void {
    this.write().insert(table as DataTable, row as never);
  }

  update(table: PlanTableName, id: string, patch: Readonly<Record<string, StoredValue>>): void {
    this.write().update(table as DataTable, id, patch as never);
  }

  delete(table: PlanTableName, id: string): void {
    this.write().delete(table as DataTable, id);
  }

  newId(): string {
    return this.makeId();
  }

  derivedId(...parts: (string | number)[]): string {
    return derivedId(...parts);
  }
}
