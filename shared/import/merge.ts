import { classifyCell, columnsOf, sameRow, sameValue } from './classify';
import type { MergeOp } from './ops';
import { type CellValue, type PlanState, rowOf, type StateRow, type StateSchema, tableOrder } from './state';

/**
 * The three-way merge of the plan: base (the plan when the file was handed out), mine (the open
 * database now) and theirs (the file). Every difference theirs made becomes an item the user can
 * take or leave; where both sides changed the same thing the item is a conflict and is never
 * applied unless the user chooses the file's side.
 *
 * Rows are matched by id. A row theirs added is one item together with the rows it owns (a new
 * table row with its themes); a row theirs removed likewise; a row the open database removed but
 * the file changed is a conflict that, taken, brings the row back as the file has it.
 */

export type ItemKind =
  /** One cell changed. */
  | 'change'
  /** The order of rows among their siblings (position, page columns). */
  | 'order'
  /** Rows the file added. */
  | 'added'
  /** Rows the file removed. */
  | 'removed'
  /** Rows removed here that the file changed: taking the file's side brings them back. */
  | 'restored';

export type ConflictReason =
  /** Both changed the cell, differently. */
  | 'both-changed'
  /** Both added the same row with different values. */
  | 'both-added'
  /** The file removed rows that were changed here (or gained rows here). */
  | 'removed-but-changed-here'
  /** The file changed rows that were removed here. */
  | 'changed-but-removed-here'
  /** There is no common base: every difference is a conflict. */
  | 'no-common-base';

export interface ItemCell {
  table: string;
  rowId: string;
  column: string;
  /** undefined: the row did not exist (or there is no base). */
  base: CellValue | undefined;
  mine: CellValue;
  theirs: CellValue;
}

export interface ItemRow {
  table: string;
  id: string;
  base?: StateRow;
  mine?: StateRow;
  theirs?: StateRow;
}

export interface MergeItem {
  id: string;
  kind: ItemKind;
  /** The row the item is about (the topmost row of a group). */
  table: string;
  rowId: string;
  conflict: ConflictReason | null;
  cells: ItemCell[];
  /** The rows of an added, removed or restored group, parents first. */
  rows: ItemRow[];
  /** The writes that take the file's side. */
  ops: MergeOp[];
  /** Items that must be taken (on the file's side) for this one to be applied. */
  requires: string[];
  /** What the item does besides the obvious, in Japanese. */
  notes: string[];
  /** Taking it deletes data the plan holds now: rows, or a cell's content emptied. Shown as such and left out unless chosen. */
  deletes: boolean;
}

export interface MergeResult {
  items: MergeItem[];
  /** Cells both sides changed to the same value (nothing to do). */
  sameCells: number;
}

type Category = 'kept' | 'theirsRemoved' | 'theirsAdded' | 'mineRemoved' | 'mineAdded' | 'bothRemoved';

interface RowKey {
  table: string;
  id: string;
}
const keyOf = (table: string, id: string) => `${table}|${id}`;
const parseKey = (k: string): RowKey => {
  const i = k.indexOf('|');
  return { table: k.slice(0, i), id: k.slice(i + 1) };
};

interface Referrer {
  table: string;
  id: string;
  column: string;
  list: boolean;
  onDelete: 'cascade' | 'nullify';
}

export function mergeStates(base: PlanState | null, mine: PlanState, theirs: PlanState, schema: StateSchema): MergeResult {
  const noBase = base === null;
  const tables = tableOrder(schema);
  const rank = new Map(tables.map((t, i) => [t, i]));
  const category = new Map<string, Category>();
  const cat = (table: string, id: string): Category | undefined => category.get(keyOf(table, id));

  for (const table of tables) {
    const ids = new Set([...Object.keys(base?.[table] ?? {}), ...Object.keys(mine[table] ?? {}), ...Object.keys(theirs[table] ?? {})]);
    for (const id of ids) {
      const inB = !!base && !!rowOf(base, table, id);
      const inM = !!rowOf(mine, table, id);
      const inT = !!rowOf(theirs, table, id);
      let c: Category;
      if (inM && inT) c = 'kept';
      else if (inM) c = inB || noBase ? 'theirsRemoved' : 'mineAdded';
      else if (inT) c = inB ? 'mineRemoved' : 'theirsAdded';
      else c = 'bothRemoved';
      category.set(keyOf(table, id), c);
    }
  }

  const items = new Map<string, MergeItem>();
  const newItem = (id: string, kind: ItemKind, table: string, rowId: string): MergeItem => {
    const item: MergeItem = { id, kind, table, rowId, conflict: null, cells: [], rows: [], ops: [], requires: [], notes: [], deletes: false };
    items.set(id, item);
    return item;
  };
  const requireItem = (item: MergeItem, other: string | undefined) => {
    if (other && other !== item.id && !item.requires.includes(other)) item.requires.push(other);
  };

  // ── groups: a row added or removed goes with its owner when the owner is added or removed too ──
  const walkUp = (start: RowKey, state: PlanState, while_: Category): RowKey => {
    let cur = start;
    for (let guard = 0; guard < 64; guard++) {
      const row = rowOf(state, cur.table, cur.id);
      const owner = row ? schema[cur.table]!.owner(row) : null;
      if (!owner || cat(owner.table, owner.id) !== while_) break;
      cur = owner;
    }
    return cur;
  };
  const addedGroups = new Map<string, RowKey[]>();
  const removedGroups = new Map<string, RowKey[]>();
  const restoredGroups = new Map<string, RowKey[]>();
  const push = (groups: Map<string, RowKey[]>, root: RowKey, member: RowKey) => {
    const k = keyOf(root.table, root.id);
    const list = groups.get(k);
    if (list) list.push(member);
    else groups.set(k, [member]);
  };
  for (const [k, c] of category) {
    const rk = parseKey(k);
    if (c === 'theirsRemoved') push(removedGroups, walkUp(rk, mine, 'theirsRemoved'), rk);
    else if (c === 'mineRemoved') push(restoredGroups, walkUp(rk, theirs, 'mineRemoved'), rk);
    else if (c === 'theirsAdded') {
      const root = walkUp(rk, theirs, 'theirsAdded');
      const owner = schema[root.table]!.owner(rowOf(theirs, root.table, root.id)!);
      // Rows added under a row removed here can only come back with it.
      if (owner && cat(owner.table, owner.id) === 'mineRemoved') push(restoredGroups, walkUp(owner, theirs, 'mineRemoved'), rk);
      else push(addedGroups, root, rk);
    }
  }
  const sortGroup = (members: RowKey[], root: string) =>
    [...members].sort((a, b) => (keyOf(a.table, a.id) === root ? -1 : keyOf(b.table, b.id) === root ? 1 : (rank.get(a.table) ?? 0) - (rank.get(b.table) ?? 0)));
  const groupOf = new Map<string, string>();
  for (const [root, members] of [...addedGroups, ...removedGroups, ...restoredGroups]) for (const m of members) groupOf.set(keyOf(m.table, m.id), root);

  // ── restored groups are made on demand: when the file changed them, or when another item needs them ──
  const restoreItemId = (root: string) => `restore:${root}`;
  const building = new Set<string>();
  const ensureRestoreItem = (root: string): string => {
    const id = restoreItemId(root);
    if (items.has(id) || building.has(id)) return id;
    building.add(id);
    const members = sortGroup(restoredGroups.get(root) ?? [], root);
    const r = parseKey(root);
    const item = newItem(id, 'restored', r.table, r.id);
    item.conflict = noBase ? 'no-common-base' : 'changed-but-removed-here';
    const inGroup = new Set(members.map((m) => keyOf(m.table, m.id)));
    for (const m of members) {
      const row = insertableCopy(m, rowOf(theirs, m.table, m.id)!, inGroup, item);
      item.rows.push({ table: m.table, id: m.id, ...(base && rowOf(base, m.table, m.id) ? { base: rowOf(base, m.table, m.id)! } : {}), theirs: row });
      item.ops.push({ op: 'insert', table: m.table, row });
    }
    building.delete(id);
    return id;
  };

  /**
   * A row of the file as it can be inserted here: references to rows that are neither here nor
   * inserted with it are cleared (and said so); references to rows the file adds elsewhere make
   * the item require that one.
   */
  function insertableCopy(m: RowKey, source: StateRow, inGroup: Set<string>, item: MergeItem): StateRow {
    const row: StateRow = { ...source };
    const spec = schema[m.table]!;
    for (const ref of spec.refs) {
      const v = row[ref.column];
      if (typeof v !== 'string' || inGroup.has(keyOf(ref.table, v))) continue;
      const c = cat(ref.table, v);
      if (c === 'theirsAdded') requireItem(item, itemForAddedRow(ref.table, v));
      else if (c === 'mineRemoved' || c === 'bothRemoved' || c === undefined) {
        if (ref.onDelete(row) === 'nullify') {
          row[ref.column] = null;
          item.notes.push(`missing-ref:${ref.table}:${v}`);
        } else if (c === 'mineRemoved') requireItem(item, ensureRestoreItem(groupOf.get(keyOf(ref.table, v))!));
      }
    }
    for (const list of spec.lists) {
      const v = row[list.column];
      if (!Array.isArray(v)) continue;
      const kept: string[] = [];
      for (const id of v as string[]) {
        const c = cat(list.table, id);
        if (inGroup.has(keyOf(list.table, id)) || c === 'kept' || c === 'theirsRemoved' || c === 'mineAdded') kept.push(id);
        else if (c === 'theirsAdded') {
          kept.push(id);
          requireItem(item, itemForAddedRow(list.table, id));
        } else item.notes.push(`missing-ref:${list.table}:${id}`);
      }
      row[list.column] = kept;
    }
    return row;
  }

  const addedItemId = (root: string) => `add:${root}`;
  function itemForAddedRow(table: string, id: string): string | undefined {
    const root = groupOf.get(keyOf(table, id));
    if (!root) return undefined;
    return addedGroups.has(root) ? addedItemId(root) : ensureRestoreItem(root);
  }

  // ── added rows ──
  for (const [root, members] of addedGroups) {
    const r = parseKey(root);
    const item = newItem(addedItemId(root), 'added', r.table, r.id);
    if (noBase) item.conflict = 'no-common-base';
    const inGroup = new Set(members.map((m) => keyOf(m.table, m.id)));
    for (const m of sortGroup(members, root)) {
      const row = insertableCopy(m, rowOf(theirs, m.table, m.id)!, inGroup, item);
      item.rows.push({ table: m.table, id: m.id, theirs: row });
      item.ops.push({ op: 'insert', table: m.table, row });
    }
  }

  // ── changed cells of rows both sides have ──
  let sameCells = 0;
  const cellItemId = (table: string, id: string, column: string) => `cell:${table}|${id}|${column}`;
  const refColumns = (table: string) => new Map([...schema[table]!.refs.map((r) => [r.column, r.table] as const), ...schema[table]!.lists.map((l) => [l.column, l.table] as const)]);
  for (const table of tables) {
    const spec = schema[table]!;
    const refs = refColumns(table);
    for (const [id, m] of Object.entries(mine[table] ?? {})) {
      if (cat(table, id) !== 'kept') continue;
      const t = theirs[table]![id]!;
      const b = base ? rowOf(base, table, id) : undefined;
      for (const column of columnsOf(b, m, t)) {
        const bv = b ? (b[column] ?? null) : undefined;
        const outcome = b ? classifyCell(bv, m[column], t[column]) : sameValue(m[column], t[column]) ? 'same' : 'conflict';
        if (outcome === 'same' && (!b || !sameValue(bv, m[column]))) sameCells++;
        if (outcome !== 'theirs' && outcome !== 'conflict') continue;
        const conflict: ConflictReason | null = outcome === 'theirs' ? null : noBase ? 'no-common-base' : b ? 'both-changed' : 'both-added';
        const cell: ItemCell = { table, rowId: id, column, base: bv, mine: m[column] ?? null, theirs: t[column] ?? null };
        const op: MergeOp = { op: 'update', table, id, column, value: t[column] ?? null };
        let item: MergeItem;
        if (spec.orderColumns.includes(column)) {
          const owner = spec.owner(t);
          const groupId = `order:${table}|${owner ? `${owner.table}|${owner.id}` : ''}`;
          item = items.get(groupId) ?? newItem(groupId, 'order', owner?.table ?? table, owner?.id ?? '');
        } else item = newItem(cellItemId(table, id, column), 'change', table, id);
        if (conflict) item.conflict ??= conflict;
        item.cells.push(cell);
        item.ops.push(op);
        // A reference to a row the file adds (or brings back) needs that row first.
        const target = refs.get(column);
        if (target) {
          const values = Array.isArray(t[column]) ? (t[column] as string[]) : typeof t[column] === 'string' ? [t[column] as string] : [];
          for (const v of values) {
            const c = cat(target, v);
            if (c === 'theirsAdded' || c === 'mineRemoved') requireItem(item, itemForAddedRow(target, v));
          }
        }
      }
    }
  }

  // ── removed rows ──
  const referrers = new Map<string, Referrer[]>();
  for (const table of tables) {
    const spec = schema[table]!;
    for (const [id, row] of Object.entries(mine[table] ?? {})) {
      const add = (t: string, v: string, r: Omit<Referrer, 'table' | 'id'>) => {
        const k = keyOf(t, v);
        const list = referrers.get(k);
        const entry = { table, id, ...r };
        if (list) list.push(entry);
        else referrers.set(k, [entry]);
      };
      for (const ref of spec.refs) {
        const v = row[ref.column];
        if (typeof v === 'string') add(ref.table, v, { column: ref.column, list: false, onDelete: ref.onDelete(row) });
      }
      for (const l of spec.lists) {
        const v = row[l.column];
        if (Array.isArray(v)) for (const x of v as string[]) add(l.table, x, { column: l.column, list: true, onDelete: 'nullify' });
      }
    }
  }
  const removedItemId = (root: string) => `del:${root}`;
  for (const [root, members] of removedGroups) {
    const r = parseKey(root);
    const item = newItem(removedItemId(root), 'removed', r.table, r.id);
    const inGroup = new Set(members.map((m) => keyOf(m.table, m.id)));
    const deleted = new Set(inGroup);
    for (const m of sortGroup(members, root)) {
      const mr = rowOf(mine, m.table, m.id)!;
      const br = base ? rowOf(base, m.table, m.id) : undefined;
      if (noBase) item.conflict = 'no-common-base';
      else if (!br || !sameRow(br, mr)) item.conflict ??= 'removed-but-changed-here';
      item.rows.push({ table: m.table, id: m.id, mine: mr, ...(br ? { base: br } : {}) });
      item.ops.push({ op: 'delete', table: m.table, id: m.id });
    }
    // A row both sides have points where the file has it, when that row is here to point at.
    const keepsTheirs = (x: Referrer) => {
      const v = rowOf(theirs, x.table, x.id)![x.column];
      const target = schema[x.table]!.refs.find((r) => r.column === x.column)!.table;
      return typeof v === 'string' && !!rowOf(mine, target, v) && !deleted.has(keyOf(target, v));
    };
    // Rows here that still refer to a removed row: the file's own changes to them, or a cleanup.
    const cleanup = (k: string) => {
      for (const x of referrers.get(k) ?? []) {
        const xk = keyOf(x.table, x.id);
        if (deleted.has(xk)) continue;
        const c = cat(x.table, x.id);
        if (c === 'theirsRemoved' && groupOf.get(xk) !== root) {
          requireItem(item, removedItemId(groupOf.get(xk)!));
          continue;
        }
        const existing = items.get(cellItemId(x.table, x.id, x.column));
        if (c === 'kept' && existing) {
          requireItem(item, existing.id);
          continue;
        }
        // Something here (added or re-pointed after the hand-out) depends on the removed row.
        if (!noBase) item.conflict ??= 'removed-but-changed-here';
        const xrow = rowOf(mine, x.table, x.id)!;
        if (x.list) {
          const listTable = schema[x.table]!.lists.find((l) => l.column === x.column)!.table;
          const gone = (xrow[x.column] as string[]).filter((v) => deleted.has(keyOf(listTable, v)));
          item.ops.push({ op: 'removeFromList', table: x.table, id: x.id, column: x.column, values: gone });
        } else if (c === 'kept' && keepsTheirs(x)) {
          item.ops.push({ op: 'update', table: x.table, id: x.id, column: x.column, value: rowOf(theirs, x.table, x.id)![x.column] ?? null });
        } else if (x.onDelete === 'nullify') {
          item.ops.push({ op: 'update', table: x.table, id: x.id, column: x.column, value: null });
        } else {
          deleted.add(xk);
          item.rows.push({ table: x.table, id: x.id, mine: xrow });
          item.ops.push({ op: 'delete', table: x.table, id: x.id });
          cleanup(xk);
        }
      }
    };
    for (const k of inGroup) cleanup(k);
  }

  // ── rows removed here that the file changed ──
  for (const [root, members] of restoredGroups) {
    const changed = members.some((m) => {
      const c = cat(m.table, m.id);
      if (c === 'theirsAdded') return true;
      return !sameRow(base ? rowOf(base, m.table, m.id) : undefined, rowOf(theirs, m.table, m.id));
    });
    if (changed) ensureRestoreItem(root);
  }

  for (const item of items.values()) item.deletes = deletesData(item);
  return { items: [...items.values()], sameCells };
}

/** An empty cell: nothing, blank text or an empty list. */
const isEmpty = (v: CellValue | undefined) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** Whether taking an item loses something the plan holds now (a removed row, a cell that had content and is emptied). */
export function deletesData(item: Pick<MergeItem, 'kind' | 'cells'>): boolean {
  if (item.kind === 'removed') return true;
  return item.kind === 'change' && item.cells.some((c) => isEmpty(c.theirs) && !isEmpty(c.mine));
}
