import { userInfo } from 'node:os';
import type { CompiledQuery, Insertable, Updateable } from 'kysely';
import { holdWrites, type PlanDb } from './plan-db';
import type { DataTable, DB } from './schema';
import { AppError } from '../../shared/errors/app-error';
import { checkStored, columnsOf, placeJa, ruleOf } from '../../shared/model/field-rules';
import { isPlanTable, planTableNames, planTables, type Reference } from '../../shared/model/registry';

export interface ChangeMeta {
  /** What the user did, in Japanese: 「セルの編集」「貼り付け（12セル）」「取り込み: 総務部.xlsx」. */
  label: string;
  /** Where the change came from: a file name for imports, 'seed' for the initial data. */
  source?: string;
  /** For undo/redo: the change set this one reverses. */
  revertsId?: number;
}

/** Who is acting, as a change set records it (the OS account). */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

type Row = Record<string, unknown> & { id: string };

/** One change as the log stores it: old and new values as JSON text (a whole row for an insert or delete). */
export function changeRow(setId: number, table: string, rowId: string, op: 'insert' | 'update' | 'delete', column: string | null, oldValue: unknown, newValue: unknown) {
  return {
    set_id: setId,
    table_name: table,
    row_id: rowId,
    op,
    column_name: column,
    old_value: oldValue === undefined ? null : JSON.stringify(oldValue),
    new_value: newValue === undefined ? null : JSON.stringify(newValue),
  };
}

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

/** Log rows per multi-row insert: 7 parameters each, well under SQLite's and PostgreSQL's limits of bound parameters. */
const LOG_CHUNK = 500;

/**
 * What the writers of one transaction share (keyed by the transaction's Kysely, the same object for
 * every handle joining it): the change-log rows not inserted yet, in the order they were logged,
 * and the rows read or written so far (null: known to be absent). Only a ChangeWriter writes plan
 * data (no triggers, no cascades), so within its transaction a row it read stays as it knows it.
 */
interface TransactionState {
  pending: LogRow[];
  /** The change set ids of the writers that logged them (a row logged before its id was known gets it when it is). */
  ids: Promise<number>[];
  /** Every log row of each change set begun in this transaction, in order (the follow-up reads them here). */
  bySet: Map<number, LogRow[]>;
  rows: Map<string, Row | null>;
  /** The rows inserted in this transaction (and not deleted since). */
  inserted: Set<string>;
  /** The ids of the rows of a table whose reference column holds an id (childKey), as this transaction wrote them. */
  children: Map<string, Set<string>>;
  /** The newest change set this transaction wrote and kept (undefined: none, or the last one changed nothing). */
  newest?: NewestSet;
  /** Inserted rows not sent yet, in the order inserted: sent many at a time before the transaction's next query (plan-db.ts holdWrites). */
  held: { table: DataTable; row: Row }[];
}

/** A change set as the undo stacks read it. */
export interface NewestSet {
  id: number;
  label: string;
  reverts_id: number | null;
}
type LogRow = ReturnType<typeof changeRow>;
const states = new WeakMap<object, TransactionState>();
const key = (table: string, id: string) => `${table}\u0000${id}`;
const childKey = (table: string, column: string, parentId: string) => `${table}\u0000${column}\u0000${parentId}`;
const noReferences: readonly Reference[] = [];
const referencesOf = (table: string): readonly Reference[] => (isPlanTable(table) ? planTables[table].references : noReferences);

/** A stored value the cache can hold as the database gives it back (anything else is read again). */
const plain = (v: unknown) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/**
 * Every write to plan data goes through a ChangeWriter: it writes the row and records the change
 * (table, row id, column, old and new value) in the change log, inside the caller's transaction.
 * Round trips are few: the log rows are kept and inserted many at a time (`flush`, at the end of
 * withChange and before anything reads the log in the transaction), and a row is read once.
 */
export class ChangeWriter {
  private count = 0;
  private readonly state: TransactionState;
  /** The log rows of this writer's change set, in order. */
  private readonly logged: LogRow[] = [];
  private id: number | undefined;
  private readonly idReady: Promise<number>;
  /** Writes are sent without waiting for their answers (pipelineWrites). */
  private pipelined = false;
  /**
   * `tx`: the transaction of the change set (withChange). `setId`: its id, or the insert of its
   * row still under way (withChange sends it together with the action's first reads).
   */
  constructor(
    private readonly tx: PlanDb,
    setId: number | Promise<number>,
  ) {
    let state = states.get(tx.q);
    if (!state) {
      const created: TransactionState = { pending: [], ids: [], bySet: new Map(), rows: new Map(), inserted: new Set(), children: new Map(), held: [] };
      states.set(tx.q, (state = created));
      holdWrites(tx, () => heldInserts(tx, created.held.splice(0)));
    }
    this.state = state;
    this.idReady = Promise.resolve(setId).then((id) => {
      this.id = id;
      for (const row of this.logged) row.set_id = id;
      this.state.bySet.set(id, this.logged);
      return id;
    });
    // Awaited before the log rows are written and by withChange, which report a failure.
    this.idReady.catch(() => {});
    state.ids.push(this.idReady);
  }

  /**
   * From now on, on PostgreSQL, a write is sent without waiting for its answer: the pg connection
   * sends it at once and the server runs the action's queries in the order sent, so what the action
   * reads next sees it, and the UPDATE, the change-log INSERT and the follow-up reads of a typed
   * cell go out together (a round trip each otherwise). A write that fails aborts the transaction:
   * the action's next query fails, and the engine reports the write's own error (and rolls back)
   * before COMMIT, since it waits for every query of the action first (postgres-engine.ts). Only
   * for actions that do not turn a write's error into a message of their own (an import's broken
   * links does, at the write that broke them). SQLite answers at once anyway: nothing changes there.
   */
  pipelineWrites(): void {
    this.pipelined = this.tx.engine === 'postgres';
  }

  /** Runs a write: waited for, or (pipelineWrites) only sent, its failure reported by the transaction's end. */
  private async send(write: Promise<unknown>): Promise<void> {
    if (!this.pipelined) {
      await write;
      return;
    }
    // Not unheard: the engine saw the query fail and reports it; this copy of the rejection is not the report.
    write.catch(() => {});
  }

  /** The id of this writer's change set. */
  changeSetId(): Promise<number> {
    return this.idReady;
  }

  get changes(): number {
    return this.count;
  }

  private log(table: string, rowId: string, op: 'insert' | 'update' | 'delete', column: string | null, oldValue: unknown, newValue: unknown): void {
    this.count++;
    // Serialised now: the log holds the values as they were at this step.
    const row = changeRow(this.id ?? 0, table, rowId, op, column, oldValue, newValue);
    this.state.pending.push(row);
    this.logged.push(row);
  }

  /** Inserts the log rows kept so far, in order. Call before reading the change table inside the transaction. */
  async flush(): Promise<void> {
    // Until no writer joined while waiting (each id patches its rows when it arrives).
    for (let known = -1; known !== this.state.ids.length; ) {
      known = this.state.ids.length;
      await Promise.all(this.state.ids);
    }
    const rows = this.state.pending.splice(0);
    for (let i = 0; i < rows.length; i += LOG_CHUNK) await this.send(this.tx.q.insertInto('change').values(rows.slice(i, i + LOG_CHUNK)).execute());
  }

  async read<T extends DataTable>(table: T, id: string): Promise<Row | undefined> {
    const known = this.state.rows.get(key(table, id));
    if (known !== undefined) return known === null ? undefined : { ...known };
    // Dynamic table name: Kysely cannot narrow the row type here; rows are plain column maps.
    const row = (await this.tx.q.selectFrom(table as DataTable).selectAll().where('id', '=', id as never).executeTakeFirst()) as Row | undefined;
    this.state.rows.set(key(table, id), row ?? null);
    return row ? { ...row } : undefined;
  }

  /** Reads the rows of `ids` in a few queries ahead of a batch that reads or updates them one by one (a paste). */
  async prefetch<T extends DataTable>(table: T, ids: readonly string[]): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.state.rows.has(key(table, id)));
    for (let i = 0; i < wanted.length; i += LOG_CHUNK) {
      const some = wanted.slice(i, i + LOG_CHUNK);
      const rows = (await this.tx.q.selectFrom(table as DataTable).selectAll().where('id', 'in', some as never[]).execute()) as Row[];
      for (const id of some) this.state.rows.set(key(table, id), null);
      for (const row of rows) this.state.rows.set(key(table, row.id), row);
    }
  }

  /**
   * The rows of `table` whose reference `column` holds `parentId`, when this transaction inserted
   * that parent: then every such row was written since, by a writer of this transaction (the
   * foreign key refuses a child before its parent), and is known here. Undefined when only the
   * database knows (an older parent, or a row whose values were not all given).
   */
  childrenOf(table: DataTable, column: string, parentId: string): Row[] | undefined {
    const ref = referencesOf(table).find((r) => r.column === column);
    if (!ref || !this.state.inserted.has(key(ref.table, parentId))) return undefined;
    const rows: Row[] = [];
    for (const id of this.state.children.get(childKey(table, column, parentId)) ?? []) {
      const row = this.state.rows.get(key(table, id));
      if (!row) return undefined;
      rows.push({ ...row });
    }
    return rows;
  }

  /** Keeps `children` up to date as a row's reference columns change from `old` to `now` (undefined: no row). */
  private relink(table: string, id: string, old: Record<string, unknown> | undefined, now: Record<string, unknown> | undefined): void {
    for (const { column } of referencesOf(table)) {
      const before = old?.[column];
      const after = now?.[column];
      if (before === after) continue;
      if (typeof before === 'string') this.state.children.get(childKey(table, column, before))?.delete(id);
      if (typeof after === 'string') {
        const k = childKey(table, column, after);
        let ids = this.state.children.get(k);
        if (!ids) this.state.children.set(k, (ids = new Set()));
        ids.add(id);
      }
    }
  }

  async insert<T extends DataTable>(table: T, row: Insertable<DB[T]> & { id: string }): Promise<void> {
    checkValues(table, row.id, row);
    // Held, and sent with the rows inserted after it before the transaction's next query: an import's
    // thousands of new rows go a few statements per table. (A pipelined action sends at once: its
    // few rows gain nothing from waiting.) A failure shows at that next query, or before COMMIT.
    if (this.pipelined) await this.send(this.tx.q.insertInto(table as DataTable).values(row as never).execute());
    // Columns given as undefined are left out, as a one-row insert leaves them (to their defaults).
    else this.state.held.push({ table, row: Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as Row });
    // A row given every column (each checked by its rule above, so stored as given) is known as it
    // is stored; columns the insert left to their defaults are only known by reading it.
    const complete = isPlanTable(table) && columnsOf(table).every((c) => Object.hasOwn(row, c) && plain((row as Row)[c]));
    if (complete) this.state.rows.set(key(table, row.id), { ...(row as Row) });
    else this.state.rows.delete(key(table, row.id));
    this.state.inserted.add(key(table, row.id));
    this.relink(table, row.id, undefined, row);
    this.log(table, row.id, 'insert', null, undefined, row);
  }

  /** Updates the columns of `patch` that differ from the stored row; returns how many did. */
  async update<T extends DataTable>(table: T, id: string, patch: Updateable<DB[T]>): Promise<number> {
    const old = await this.read(table, id);
    if (!old) throw new Error(`update of missing ${table} ${id}`);
    const changed: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(patch)) if (value !== undefined && old[column] !== value) changed[column] = value;
    const columns = Object.keys(changed);
    if (columns.length === 0) return 0;
    checkValues(table, id, changed);
    await this.send(this.tx.q.updateTable(table as DataTable).set(changed as never).where('id', '=', id as never).execute());
    if (Object.values(changed).every(plain)) this.state.rows.set(key(table, id), { ...old, ...changed });
    else this.state.rows.delete(key(table, id));
    this.relink(table, id, old, { ...old, ...changed });
    for (const column of columns) this.log(table, id, 'update', column, old[column], changed[column]);
    return columns.length;
  }

  async delete<T extends DataTable>(table: T, id: string): Promise<void> {
    const old = await this.read(table, id);
    if (!old) return;
    await this.send(this.tx.q.deleteFrom(table as DataTable).where('id', '=', id as never).execute());
    this.state.rows.set(key(table, id), null);
    this.state.inserted.delete(key(table, id));
    this.relink(table, id, old, undefined);
    this.log(table, id, 'delete', null, old, undefined);
  }
}

/**
 * The log rows change set `setId` wrote, when it was written in the transaction `tx` is in (no
 * need to read them back); undefined otherwise. Only a ChangeWriter logs changes, one per set.
 */
export function loggedInTransaction(tx: PlanDb, setId: number): readonly LogRow[] | undefined {
  return states.get(tx.q)?.bySet.get(setId);
}

/** Bound parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535). */
const MOST_PARAMETERS = 30_000;
/** Rows per multi-row insert, at most: full statements share one text (SQLite keeps each text prepared). */
const MOST_ROWS = 500;
const tableOrder = new Map<string, number>(planTableNames.map((t, i) => [t, i]));

/**
 * Held inserts as multi-row INSERTs: per table, parents before children (the registry's order), so
 * every foreign key finds its row whatever order they were inserted in (a row's own table is checked
 * at the end of its statement on both engines); rows of a table with the same columns together.
 */
function heldInserts(tx: PlanDb, held: { table: DataTable; row: Row }[]): CompiledQuery[] {
  if (held.length === 0) return [];
  const groups = new Map<string, { table: DataTable; rows: Row[] }>();
  for (const { table, row } of held) {
    const k = `${table}\u0000${Object.keys(row).join('\u0000')}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { table, rows: [] }));
    g.rows.push(row);
  }
  const rank = (t: string) => tableOrder.get(t) ?? tableOrder.size;
  const out: CompiledQuery[] = [];
  for (const { table, rows } of [...groups.values()].sort((a, b) => rank(a.table) - rank(b.table))) {
    const size = Math.max(1, Math.min(MOST_ROWS, Math.floor(MOST_PARAMETERS / Object.keys(rows[0]!).length)));
    for (let i = 0; i < rows.length; i += size) out.push(tx.q.insertInto(table).values(rows.slice(i, i + size) as never).compile());
  }
  return out;
}

/**
 * The newest change set written and kept in the transaction `tx` is in, when it wrote one: with
 * the plan's writers taking turns it is the newest of the log (undo.ts answers the undo state
 * from it without reading).
 */
export function newestSetInTransaction(tx: PlanDb): NewestSet | undefined {
  return states.get(tx.q)?.newest;
}

/**
 * Runs `fn` as one user action: one transaction and one change set. A change set that changed
 * nothing is not kept, so it is no undo step. Inside a running transaction it joins it. On
 * PostgreSQL `fn` may run again when the transaction lost a race (postgres-engine.ts), so it keeps
 * its state in what it returns, not outside.
 */
export async function withChange<T>(db: PlanDb, meta: ChangeMeta, fn: (w: ChangeWriter, tx: PlanDb) => Promise<T>): Promise<{ result: T; changeSetId: number | null; changed: number }> {
  return db.transaction(async (tx) => {
    // Sent without waiting: on PostgreSQL it goes out with the action's first reads, a round trip fewer.
    const inserted = tx.q
      .insertInto('change_set')
      .values({ at: new Date().toISOString(), user: currentUser(), label: meta.label, source: meta.source ?? null, reverts_id: meta.revertsId ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const writer = new ChangeWriter(
      tx,
      inserted.then((r) => r.id),
    );
    let result: T;
    try {
      result = await fn(writer, tx);
    } catch (e) {
      // When the set's own row failed, the action's later queries fail only as "transaction aborted"
      // (25P02): the row's error is the one to report (and to retry on, should it be a lost race).
      const insertError: unknown = await inserted.then(
        () => null,
        (error: unknown) => error,
      );
      throw insertError !== null && (e as { code?: unknown } | null)?.code === '25P02' ? insertError : e;
    }
    const setId = await writer.changeSetId();
    await writer.flush();
    const state = states.get(tx.q)!;
    if (writer.changes === 0) {
      state.newest = undefined;
      await tx.q.deleteFrom('change_set').where('id', '=', setId).execute();
      return { result, changeSetId: null, changed: 0 };
    }
    state.newest = { id: setId, label: meta.label, reverts_id: meta.revertsId ?? null };
    return { result, changeSetId: setId, changed: writer.changes };
  });
}
