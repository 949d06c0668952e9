/**
 * What one change set touched, read back from the change log: per table, the rows it inserted,
 * updated or deleted, and the values their columns had before or have after (a deleted row's old
 * values, an inserted row's new ones, an updated row as it is now plus the old value of each column
 * it changed). The screens' follow-up reads (screen-changes.ts) find the rows they show from it,
 * whatever wrote the change set: an edit, a row operation, an undo or a redo.
 */
import { loggedInTransaction } from '../../db/change-writer';
import type { PlanDb } from '../../db/plan-db';
import type { DataTable, LoggedChange } from '../../db/schema';

type Op = 'insert' | 'update' | 'delete';
type Values = Record<string, unknown>;

type Logged = LoggedChange;

interface Touched {
  ops: Set<Op>;
  /** Whole rows from the log (inserted or deleted) and the old values of updated columns. */
  versions: Values[];
}

/** Ids per `in (…)` list: well under SQLite's limit of bound parameters. */
const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

export class TouchedRows {
  private readonly tables = new Map<string, Map<string, Touched>>();
  private readonly updatedColumns = new Map<string, Set<string>>();
  /** Updated rows as they are now, read once per table when first asked. */
  private readonly current = new Map<string, Promise<Values[]>>();

  /** How many changes the set logged. */
  readonly size: number;

  /** `db`: the view the follow-up reads in (the rows as they are now are read from it). */
  constructor(
    private readonly db: PlanDb,
    changes: readonly Logged[],
  ) {
    this.size = changes.length;
    for (const c of changes) {
      let rows = this.tables.get(c.table_name);
      if (!rows) this.tables.set(c.table_name, (rows = new Map()));
      let t = rows.get(c.row_id);
      if (!t) rows.set(c.row_id, (t = { ops: new Set(), versions: [] }));
      t.ops.add(c.op);
      if (c.op === 'insert') t.versions.push(parse(c.new_value) as Values);
      else if (c.op === 'delete') t.versions.push(parse(c.old_value) as Values);
      else if (c.column_name !== null) {
        t.versions.push({ [c.column_name]: parse(c.old_value) });
        let columns = this.updatedColumns.get(c.table_name);
        if (!columns) this.updatedColumns.set(c.table_name, (columns = new Set()));
        columns.add(c.column_name);
      }
    }
  }

  /** The ids of the rows of `table` the set touched. */
  ids(table: DataTable): string[] {
    return [...(this.tables.get(table)?.keys() ?? [])];
  }

  /** Whether the set added or removed rows of any of these tables. */
  addedOrRemoved(...tables: DataTable[]): boolean {
    return tables.some((table) => [...(this.tables.get(table)?.values() ?? [])].some((t) => t.ops.has('insert') || t.ops.has('delete')));
  }

  /** Whether the set changed any of these columns of `table` in a row it kept. */
  updated(table: DataTable, ...columns: string[]): boolean {
    const changed = this.updatedColumns.get(table);
    return !!changed && columns.some((c) => changed.has(c));
  }

  /** Every value `column` had or has in the touched rows of `table` (a parent id: a row id, a unit id…), nulls left out. */
  async values(table: DataTable, column: string): Promise<string[]> {
    const out = new Set<string>();
    const add = (v: unknown) => {
      if (typeof v === 'string') out.add(v);
    };
    for (const t of this.tables.get(table)?.values() ?? []) for (const v of t.versions) add(v[column]);
    for (const row of await this.currentRows(table)) add(row[column]);
    return [...out];
  }

  private currentRows(table: DataTable): Promise<Values[]> {
    let rows = this.current.get(table);
    if (!rows) this.current.set(table, (rows = this.readCurrent(table)));
    return rows;
  }

  private async readCurrent(table: DataTable): Promise<Values[]> {
    const updated = [...(this.tables.get(table)?.entries() ?? [])].filter(([, t]) => t.ops.has('update')).map(([id]) => id);
    const rows: Values[] = [];
    // Dynamic table: rows are plain column maps.
    for (const ids of chunks(updated)) rows.push(...((await this.db.q.selectFrom(table).selectAll().where('id', 'in', ids as never[]).execute()) as Values[]));
    return rows;
  }
}

/** What change set `setId` touched (nothing for a write that changed nothing). */
export async function touchedBy(db: PlanDb, setId: number | null): Promise<TouchedRows> {
  // Read back only when the set was written in another transaction.
  const changes =
    setId === null
      ? []
      : (loggedInTransaction(db, setId) ??
        (await db.q.selectFrom('change').select(['table_name', 'row_id', 'op', 'column_name', 'old_value', 'new_value']).where('set_id', '=', setId).orderBy('id').execute()));
  return new TouchedRows(db, changes);
}
