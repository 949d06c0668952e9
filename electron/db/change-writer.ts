import { userInfo } from 'node:os';
import type { Insertable, Updateable } from 'kysely';
import type { Sqlite } from './open';
import { qb } from './query-builder';
import type { DataTable, DB } from './schema';
import { first, run } from './sql';
import { AppError } from '../../shared/errors/app-error';
import { checkStored, placeJa, ruleOf } from '../../shared/model/field-rules';

export interface ChangeMeta {
  /** What the user did, in Japanese: 「セルの編集」「貼り付け（12セル）」「取り込み: 総務部.xlsx」. */
  label: string;
  /** Where the change came from: a file name for imports, 'seed' for the initial data. */
  source?: string;
  /** For undo/redo: the change set this one reverses. */
  revertsId?: number;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

type Row = Record<string, unknown> & { id: string };

/**
 * The last gate of the one input layer: whatever path a value took (a typed cell, a focus slot, a
 * row operation, an import, an undo), it passes the field rules before SQL, so a refusal is a
 * Japanese message naming the column rather than SQLite's CHECK error.
 */
function checkValues(table: string, id: string, values: Record<string, unknown>): void {
  for (const [column, value] of Object.entries(values)) {
    const rule = ruleOf(table, column);
    const reason = rule ? checkStored(rule, value ?? null) : null;
    if (reason) throw new AppError('invalid_value', `保存できない値です。${placeJa(table, column, { id })}: ${reason}`, `${table} ${id} ${column}: ${reason}`);
  }
}

/**
 * Every write to plan data goes through a ChangeWriter: it writes the row and records the change
 * (table, row id, column, old and new value) in the change log, inside the caller's transaction.
 */
export class ChangeWriter {
  private count = 0;
  constructor(
    private readonly sqlite: Sqlite,
    readonly setId: number,
  ) {}

  get changes(): number {
    return this.count;
  }

  private log(table: string, rowId: string, op: 'insert' | 'update' | 'delete', column: string | null, oldValue: unknown, newValue: unknown) {
    this.count++;
    run(
      this.sqlite,
      qb.insertInto('change').values({
        set_id: this.setId,
        table_name: table,
        row_id: rowId,
        op,
        column_name: column,
        old_value: oldValue === undefined ? null : JSON.stringify(oldValue),
        new_value: newValue === undefined ? null : JSON.stringify(newValue),
      }),
    );
  }

  read<T extends DataTable>(table: T, id: string): Row | undefined {
    // Dynamic table name: Kysely cannot narrow the row type here; rows are plain column maps.
    return first(this.sqlite, qb.selectFrom(table as DataTable).selectAll().where('id', '=', id as never)) as Row | undefined;
  }

  insert<T extends DataTable>(table: T, row: Insertable<DB[T]> & { id: string }): void {
    checkValues(table, row.id, row);
    run(this.sqlite, qb.insertInto(table as DataTable).values(row as never));
    this.log(table, row.id, 'insert', null, undefined, row);
  }

  /** Updates the columns of `patch` that differ from the stored row; returns how many did. */
  update<T extends DataTable>(table: T, id: string, patch: Updateable<DB[T]>): number {
    const old = this.read(table, id);
    if (!old) throw new Error(`update of missing ${table} ${id}`);
    const changed: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(patch)) if (value !== undefined && old[column] !== value) changed[column] = value;
    const columns = Object.keys(changed);
    if (columns.length === 0) return 0;
    checkValues(table, id, changed);
    run(this.sqlite, qb.updateTable(table as DataTable).set(changed as never).where('id', '=', id as never));
    for (const column of columns) this.log(table, id, 'update', column, old[column], changed[column]);
    return columns.length;
  }

  delete<T extends DataTable>(table: T, id: string): void {
    const old = this.read(table, id);
    if (!old) return;
    run(this.sqlite, qb.deleteFrom(table as DataTable).where('id', '=', id as never));
    this.log(table, id, 'delete', null, old, undefined);
  }
}

/**
 * Runs `fn` as one user action: one SQLite transaction and one change set. A change set that
 * changed nothing is not kept, so it is no undo step.
 */
export function withChange<T>(sqlite: Sqlite, meta: ChangeMeta, fn: (w: ChangeWriter) => T): { result: T; changeSetId: number | null; changed: number } {
  return sqlite.transaction(() => {
    const setId = Number(
      sqlite
        .prepare('insert into change_set (at, user, label, source, reverts_id) values (?, ?, ?, ?, ?)')
        .run(new Date().toISOString(), currentUser(), meta.label, meta.source ?? null, meta.revertsId ?? null).lastInsertRowid,
    );
    const writer = new ChangeWriter(sqlite, setId);
    const result = fn(writer);
    if (writer.changes === 0) {
      sqlite.prepare('delete from change_set where id = ?').run(setId);
      return { result, changeSetId: null, changed: 0 };
    }
    return { result, changeSetId: setId, changed: writer.changes };
  })();
}
