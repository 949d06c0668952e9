import { AppError } from '../../../shared/errors/app-error';
import type { UndoState } from '../../../shared/domain/editing';
import { type ChangeWriter, newestSetInTransaction, withChange } from '../../db/change-writer';
import type { PlanDb } from '../../db/plan-db';
import type { DataTable, LoggedChange } from '../../db/schema';
import { planTableNames } from '../../../shared/model/registry';

interface SetRow {
  id: number;
  label: string;
  reverts_id: number | null;
}

type ChangeRow = LoggedChange;

const UNDO_PREFIX = '元に戻す: ';
const REDO_PREFIX = 'やり直し: ';

/** The user's words for a change set, without the undo/redo prefixes piled up by undoing an undo. */
export function baseLabel(label: string): string {
  let l = label;
  while (l.startsWith(UNDO_PREFIX) || l.startsWith(REDO_PREFIX)) l = l.slice(l.startsWith(UNDO_PREFIX) ? UNDO_PREFIX.length : REDO_PREFIX.length);
  return l;
}

/**
 * Rebuilds the undo and redo stacks from the change log alone, so they survive a restart. The
 * first change set (the creation of the database) is the floor and never undone. A change set
 * with reverts_id reverses that set: an undo when it reverses a forward change (a user change or
 * a redo), a redo when it reverses an undo. A new user change clears the redo stack.
 *
 * The whole log, replayed: for the tests that check the rules; the app asks only for the tops
 * (`stackTops`), which it finds from the newest change sets without reading the whole log.
 */
export async function undoStacks(db: PlanDb): Promise<{ undo: SetRow[]; redo: SetRow[] }> {
  const sets: SetRow[] = await db.q.selectFrom('change_set').select(['id', 'label', 'reverts_id']).orderBy('id').execute();
  const undo: SetRow[] = [];
  let redo: SetRow[] = [];
  const isUndo = new Map<number, boolean>();
  const remove = (stack: SetRow[], id: number) => {
    const i = stack.findIndex((s) => s.id === id);
    if (i >= 0) stack.splice(i, 1);
  };
  for (const s of sets.slice(1)) {
    if (s.reverts_id === null) {
      isUndo.set(s.id, false);
      undo.push(s);
      redo = [];
    } else if (isUndo.get(s.reverts_id) === true) {
      // A redo: it is a forward change again.
      isUndo.set(s.id, false);
      remove(redo, s.reverts_id);
      undo.push(s);
    } else {
      isUndo.set(s.id, true);
      remove(undo, s.reverts_id);
      redo.push(s);
    }
  }
  return { undo, redo };
}

/** Change sets read per step of the walk back from the newest: one step is enough for almost every edit. */
const WALK_STEP = 32;

/**
 * The tops of the undo and redo stacks, as undoStacks gives them, from the newest change sets back.
 * What the replay implies: a set stays on its stack until a later set reverses it (only an undo or
 * a redo of it removes it), so the top of undo is the newest forward set no later set reverses; the
 * top of redo the newest undo no later set reverses, newer than the last user change (which
 * clears the redo stack). Whether a set is an undo follows its reverts_id chain: a user change is
 * forward, a set reversing a forward set (or the floor, or no earlier set) is an undo, a set
 * reversing an undo is a redo. Reads a few sets per step, plus the sets of a chain not read yet.
 */
export async function stackTops(db: PlanDb): Promise<{ undo: SetRow | undefined; redo: SetRow | undefined }> {
  const known = new Map<number, SetRow>();
  const reversed = new Set<number>();
  const undoMemo = new Map<number, boolean>();
  let floor: number | null = null;
  let before = Number.POSITIVE_INFINITY;
  let undoTop: SetRow | undefined;
  let redoTop: SetRow | undefined;
  let userChangeSeen = false;

  /** The sets of `ids` not read yet, in one query. */
  const load = async (ids: number[]) => {
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length === 0) return;
    for (const s of await db.q.selectFrom('change_set').select(['id', 'label', 'reverts_id']).where('id', 'in', missing).execute()) known.set(s.id, s);
  };
  /** Whether set `s` (not the floor) is an undo, walking its reverts_id chain back (reading what it needs). */
  const isUndo = async (s: SetRow): Promise<boolean> => {
    const chain: SetRow[] = [];
    let base: boolean;
    for (let at: SetRow = s; ; ) {
      const memo = undoMemo.get(at.id);
      if (memo !== undefined) {
        base = memo;
        break;
      }
      chain.push(at);
      const p = at.reverts_id;
      if (p === null) {
        // A user change: forward; it is the chain's end, not a step.
        chain.pop();
        undoMemo.set(at.id, false);
        base = false;
        break;
      }
      if (p === floor || p >= at.id) {
        // Reverses the floor or no earlier set: the replay finds it unclassified and calls it an undo.
        chain.pop();
        undoMemo.set(at.id, true);
        base = true;
        break;
      }
      await load([p]);
      const parent = known.get(p);
      if (!parent) {
        chain.pop();
        undoMemo.set(at.id, true);
        base = true;
        break;
      }
      at = parent;
    }
    for (let i = chain.length - 1; i >= 0; i--) undoMemo.set(chain[i]!.id, (base = !base));
    return undoMemo.get(s.id)!;
  };

  while (!(undoTop && (redoTop || userChangeSeen))) {
    // The floor comes with each step: the smallest id of the log.
    let q = db.q
      .selectFrom('change_set')
      .select(['id', 'label', 'reverts_id'])
      .select((eb) => eb.selectFrom('change_set').select((e) => e.fn.min('id').as('m')).as('floor'));
    if (before !== Number.POSITIVE_INFINITY) q = q.where('id', '<', before);
    const step = await q.orderBy('id', 'desc').limit(WALK_STEP).execute();
    for (const r of step) {
      const s: SetRow = { id: r.id, label: r.label, reverts_id: r.reverts_id };
      known.set(s.id, s);
      floor = r.floor === null ? null : Number(r.floor);
    }
    let done = false;
    for (const r of step) {
      const s = known.get(r.id)!;
      before = s.id;
      if (s.id === floor) {
        done = true;
        break;
      }
      if (!reversed.has(s.id)) {
        if (!(await isUndo(s))) undoTop ??= s;
        else if (!userChangeSeen) redoTop ??= s;
      }
      if (s.reverts_id !== null) reversed.add(s.reverts_id);
      else userChangeSeen = true;
      if (undoTop && (redoTop || userChangeSeen)) break;
    }
    if (done || step.length < WALK_STEP) break;
  }
  return { undo: undoTop, redo: redoTop };
}

export async function undoState(db: PlanDb): Promise<UndoState> {
  // After a user change written in this transaction (a typed cell's follow-up) the answer is known
  // without reading: that set is the newest of the log (writers take turns), no later set reverses
  // it, and a user change empties the redo stack. (It is not the floor: a plan's log begins with the
  // set that created the plan.) An undo or a redo needs the walk: what is under it is in the log.
  const newest = db.inTransaction ? newestSetInTransaction(db) : undefined;
  if (newest && newest.reverts_id === null) return { undoLabel: baseLabel(newest.label), redoLabel: null };
  const { undo: u, redo: r } = await stackTops(db);
  return { undoLabel: u ? baseLabel(u.label) : null, redoLabel: r ? baseLabel(r.label) : null };
}

/** The tables of plan data (the registry's: every one of them is in the schema, tests/unit/registry.test.ts). */
const dataTables = new Set<string>(planTableNames);

function checkTable(table: string): DataTable {
  const known = dataTables.has(table);
  if (!known) throw new AppError('internal', '変更履歴が壊れているため元に戻せません。', `change log names an unknown table ${table}`);
  return table as DataTable;
}

const conflict = (c: ChangeRow): never => {
  throw new AppError(
    'conflict',
    'この操作のあとに同じ箇所が別の方法で変更されているため、元に戻せません。',
    `cannot revert ${c.op} of ${c.table_name} ${c.row_id}${c.column_name ? `.${c.column_name}` : ''}: the row no longer matches the log`,
  );
};

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

/** Applies the inverse of every change of a set, newest first (children are re-inserted after their parents). */
async function revertSet(tx: PlanDb, w: ChangeWriter, setId: number): Promise<void> {
  await w.flush();
  const changes: ChangeRow[] = await tx.q
    .selectFrom('change')
    .select(['table_name', 'row_id', 'op', 'column_name', 'old_value', 'new_value'])
    .where('set_id', '=', setId)
    .orderBy('id', 'desc')
    .execute();
  // The rows it reverts, read a few queries at a time rather than one by one (the undo of a paste).
  const idsOf = new Map<DataTable, string[]>();
  for (const c of changes) {
    const table = checkTable(c.table_name);
    const ids = idsOf.get(table) ?? [];
    if (ids.length === 0) idsOf.set(table, ids);
    ids.push(c.row_id);
  }
  for (const [table, ids] of idsOf) await w.prefetch(table, ids);
  for (const c of changes) {
    const table = checkTable(c.table_name);
    const current = await w.read(table, c.row_id);
    switch (c.op) {
      case 'insert':
        if (!current) conflict(c);
        await w.delete(table, c.row_id);
        break;
      case 'delete':
        if (current) conflict(c);
        await w.insert(table, parse(c.old_value) as never);
        break;
      case 'update': {
        if (!current || c.column_name === null || !(c.column_name in current)) return conflict(c);
        const expected = parse(c.new_value);
        const now = current[c.column_name] ?? null;
        if (now !== expected && !(typeof now === 'number' && typeof expected === 'number' && Math.abs(now - expected) < 1e-9)) conflict(c);
        await w.update(table, c.row_id, { [c.column_name]: parse(c.old_value) } as never);
        break;
      }
    }
  }
}

export interface UndoOutcome {
  changeSetId: number | null;
  changed: number;
  /** What was undone or redone, in the user's words. */
  label: string;
}

const nothingTo = (stack: 'undo' | 'redo'): AppError =>
  stack === 'undo'
    ? new AppError('not_found', '元に戻せる操作はありません。', 'nothing to undo')
    : new AppError('not_found', 'やり直せる操作はありません。', 'nothing to redo');

/** The change set on top of the undo or redo stack. */
async function topOf(db: PlanDb, stack: 'undo' | 'redo'): Promise<SetRow> {
  const top = (await stackTops(db))[stack];
  if (!top) throw nothingTo(stack);
  return top;
}

/**
 * Reverts the top of the undo or redo stack as a new change set. The stacks are read again inside
 * the transaction that reverts, so two requests at once cannot both revert the same set.
 */
async function revertTop(db: PlanDb, stack: 'undo' | 'redo'): Promise<UndoOutcome> {
  // Asked first outside it too: with nothing to revert, a read-only file says so rather than refusing a write.
  // (A caller that runs it in its own transaction asks first itself: `checkRevertible`.)
  if (!db.inTransaction) await topOf(db, stack);
  return db.transaction(async (tx) => {
    const top = await topOf(tx, stack);
    const label = baseLabel(top.label);
    const meta = { label: `${stack === 'undo' ? UNDO_PREFIX : REDO_PREFIX}${label}`, revertsId: top.id };
    const r = await withChange(tx, meta, (w) => revertSet(tx, w, top.id));
    return { changeSetId: r.changeSetId, changed: r.changed, label };
  });
}

/** Refuses with "nothing to undo/redo" before a transaction is begun for it (a read-only file says so rather than refusing a write). */
export async function checkRevertible(db: PlanDb, stack: 'undo' | 'redo'): Promise<void> {
  await topOf(db, stack);
}

/** Undoes the latest change that is not undone yet, as a new change set that reverses it. */
export function undo(db: PlanDb): Promise<UndoOutcome> {
  return revertTop(db, 'undo');
}

/** Redoes the latest undo, as a new change set that reverses the undo. */
export function redo(db: PlanDb): Promise<UndoOutcome> {
  return revertTop(db, 'redo');
}
