import { isPlanTable, linkTablesOf, type PlanTableName, planTables } from '../model/registry';
import { deleteByRules } from '../model/row-delete';
import { roomAt, siblingKeyOf } from '../model/row-order';
import { FoldedRows, type Referrer } from './folded-rows';
import { UNITS_COLUMN } from './plan-schema';
import { type PlanState, rowOf, type StateRow, type StateSchema } from './state';

/**
 * Row edits on the merge's in-memory plan, by the registry's rules (shared/model/registry.ts), the
 * same rules the grids' row operations follow (shared/model/row-ops.ts): a removed row takes
 * with it what a delete in the app takes (rows that belong to it, a table row with its last theme,
 * a focus text with its last unit; rows that only point at it lose the link, lists drop it), and
 * new rows are placed among the siblings the registry's ordering names. Readers use it to build
 * "the file's plan".
 */

/** Removes a row from a state the way the app deletes it. `schema`: the tables the state holds rows of. */
export async function removeRow(state: PlanState, schema: StateSchema, table: string, id: string): Promise<void> {
  if (!rowOf(state, table, id)) return;
  if (isPlanTable(table)) await deleteByRules(new FoldedRows(state, schema), table, id);
  else delete state[table]![id];
}

/**
 * Makes room at `position` among siblings (rows of `table` for which `sibling` holds): later ones
 * move down one, as the row operations' makeRoom moves them (the state is in memory: no store needed).
 */
export function makeRoom(state: PlanState, table: string, sibling: (row: StateRow) => boolean, position: number): void {
  if (!isPlanTable(table)) throw new Error(`${table} is no plan table`);
  for (const { id, patch } of roomAt(table, Object.values(state[table] ?? {}).filter(sibling), position)) Object.assign(state[table]![id]!, patch);
}

/** A run of rows of equal position among siblings, or one new row. */
interface Slot {
  rows: StateRow[];
  /** The position the rows had when the group was read; null for a new row. */
  original: number | null;
  next: Slot | null;
}

interface Group {
  head: Slot | null;
  slotOf: Map<StateRow, Slot>;
  /** Whether a sibling's position is no whole number: the group then falls back to makeRoom. */
  odd: boolean;
}

/**
 * New rows placed among their siblings exactly where one `makeRoom` per new row would place them,
 * without moving every later sibling once per new row (which made a workbook with 16,000 new
 * rows take minutes): the rows are linked in order as they come and numbered once, by `finish`.
 *
 * Why numbering once gives the same positions: with whole-number positions, a row put after an
 * anchor takes the anchor's position + 1 and every sibling after the anchor moves down one. So a
 * sibling that was there ends at its old position + the number of new rows before it, and a new
 * row ends one below the row before it. Anything else (an anchor that is no sibling, positions
 * that are not whole numbers, a row put at a given position) is done the old way, after numbering
 * what is pending, so the result is always that of the old way.
 *
 * Siblings are the rows of `table` with the same `groupOf` key (null: a row of no group; the
 * registry's ordering gives the keys: siblingGroups). Rows
 * must only be added to the table through `insertAfter`/`insertAt` while this is in use, and
 * positions must not be read before `finish`.
 */
export class SiblingPlacer {
  private readonly members = new Map<string, StateRow[]>();
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly state: PlanState,
    private readonly table: string,
    private readonly groupOf: (row: StateRow) => string | null,
    /** Told of each row added (Overlay.added). */
    private readonly onAdd: (row: StateRow) => void = () => {},
  ) {
    for (const row of Object.values(state[table] ?? {})) this.remember(row);
  }

  private remember(row: StateRow): void {
    const key = this.groupOf(row);
    if (key === null) return;
    const list = this.members.get(key);
    if (list) list.push(row);
    else this.members.set(key, [row]);
  }

  private group(key: string): Group {
    let g = this.groups.get(key);
    if (g) return g;
    const rows = this.members.get(key) ?? [];
    const numbered = rows.filter((r) => typeof r.position === 'number' && !Number.isNaN(r.position));
    const odd = numbered.some((r) => !Number.isInteger(r.position));
    const sorted = [...numbered].sort((a, b) => (a.position as number) - (b.position as number));
    g = { head: null, slotOf: new Map(), odd };
    let last: Slot | null = null;
    for (const row of sorted) {
      if (last && last.original === row.position) last.rows.push(row);
      else {
        const slot: Slot = { rows: [row], original: row.position as number, next: null };
        if (last) last.next = slot;
        else g.head = slot;
        last = slot;
      }
      g.slotOf.set(row, last);
    }
    this.groups.set(key, g);
    return g;
  }

  /** Numbers the rows of a group as the makeRoom calls so far would have, and forgets its order. */
  private settle(key: string): void {
    const g = this.groups.get(key);
    if (!g) return;
    let added = 0;
    let previous = 0;
    for (let s = g.head; s; s = s.next) {
      const position = s.original === null ? previous + 1 : s.original + added;
      if (s.original === null) added++;
      for (const row of s.rows) row.position = position;
      previous = position;
    }
    this.groups.delete(key);
  }

  /** Adds `row` to the table right after `anchor` among the rows of `key` (as makeRoom at anchor.position + 1 would); returns the row. */
  insertAfter(key: string | null, anchor: StateRow, row: StateRow): StateRow {
    if (key === null) return this.insertAt(null, Number(anchor.position) + 1, row);
    const g = this.group(key);
    const slot = g.slotOf.get(anchor);
    if (!slot || g.odd || this.groupOf(row) !== key) {
      this.settle(key);
      return this.insertAt(key, Number(anchor.position) + 1, row);
    }
    this.add(row);
    const mine: Slot = { rows: [row], original: null, next: slot.next };
    slot.next = mine;
    g.slotOf.set(row, mine);
    return row;
  }

  /** Adds `row` at `position` among the rows of `key`, moving those at or after it down one (makeRoom itself). */
  insertAt(key: string | null, position: number, row: StateRow): StateRow {
    if (key !== null) this.settle(key);
    for (const r of key === null ? [] : (this.members.get(key) ?? [])) if (typeof r.position === 'number' && r.position >= position) r.position = r.position + 1;
    row.position = position;
    this.add(row);
    return row;
  }

  private add(row: StateRow): void {
    (this.state[this.table] ??= {})[row.id] = row;
    this.remember(row);
    this.onAdd(row);
  }

  /** Writes every pending position. */
  finish(): void {
    for (const key of [...this.groups.keys()]) this.settle(key);
  }
}

/** Sibling groups of the plan's positioned rows (the registry's ordering), as keys for SiblingPlacer. */
export const siblingGroups = {
  /** Table rows are ordered within their page. */
  actionRowPage: siblingKeyOf('action_row'),
  /** Targets are ordered within their table row, or (a branch's, without a row) within their unit. */
  target: siblingKeyOf('target'),
};

/** Whether setting `column` of a row of `table` changes whom it points at (a reference or a list of units). */
export function pointsWith(table: string, column: string): boolean {
  if (!isPlanTable(table)) return false;
  return planTables[table].references.some((r) => r.column === column) || (column === UNITS_COLUMN && linkTablesOf(table).length > 0);
}

/**
 * removeRow for a reader that removes many rows from one state (a workbook's deleted rows, its
 * emptied focus cells): it finds the rows that point at a removed row through an index of
 * references instead of scanning every row of every table per removal. The index is built on the
 * first removal; the caller reports rows it adds (`added`) and references it sets (`changed`)
 * after that. Every hit is checked against the state, so rows removed or re-pointed since are
 * skipped, and the result is removeRow's.
 */
export class RowRemover {
  private index: Map<string, Referrer[]> | null = null;
  private readonly rows: FoldedRows;

  constructor(
    private readonly state: PlanState,
    private readonly schema: StateSchema,
  ) {
    this.rows = new FoldedRows(state, schema, (table, id) => (this.index ?? this.build()).get(`${table}\u0000${id}`) ?? []);
  }

  private build(): Map<string, Referrer[]> {
    this.index = new Map();
    for (const table of Object.keys(this.schema)) for (const row of Object.values(this.state[table] ?? {})) this.changed(table, row);
    return this.index;
  }

  /** A row added to the state (after the first removal: before it, the index is built from the state). */
  added(table: string, row: StateRow): void {
    this.changed(table, row);
  }

  /** A row whose references (or list columns) were set. */
  changed(table: string, row: StateRow): void {
    const index = this.index;
    if (!index || !isPlanTable(table)) return;
    const note = (target: PlanTableName, id: unknown) => {
      if (typeof id !== 'string') return;
      const key = `${target}\u0000${id}`;
      const list = index.get(key);
      if (list) list.push({ table, row });
      else index.set(key, [{ table, row }]);
    };
    for (const ref of planTables[table].references) note(ref.table, row[ref.column]);
    for (const link of linkTablesOf(table)) {
      const unit = planTables[link].references.find((r) => r.column === planTables[link].links!.unitColumn)!;
      const v = row[UNITS_COLUMN];
      if (Array.isArray(v)) for (const id of v as string[]) note(unit.table, id);
    }
  }

  /** removeRow(state, schema, table, id). */
  async remove(table: string, id: string): Promise<void> {
    if (!rowOf(this.state, table, id)) return;
    if (!isPlanTable(table)) {
      delete this.state[table]![id];
      return;
    }
    this.index ??= this.build();
    await deleteByRules(this.rows, table, id);
  }
}
