import { AppError } from '../../../shared/errors/app-error';
import type { UndoState } from '../../../shared/domain/editing';
import { type ChangeWriter, withChange } from '../../db/change-writer';
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

export async function undoState(db: PlanDb): Promise<UndoState> {
  const { undo, redo } = await undoStacks(db);
  const u = undo.at(-1);
  const r = redo.at(-1);
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
  const changes: ChangeRow[] = await tx.q
    .selectFrom('change')
    .select(['table_name', 'row_id', 'op', 'column_name', 'old_value', 'new_value'])
    .where('set_id', '=', setId)
    .orderBy('id', 'desc')
    .execute();
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
  const top = (await undoStacks(db))[stack].at(-1);
  if (!top) throw nothingTo(stack);
  return top;
}

/**
 * Reverts the top of the undo or redo stack as a new change set. The stacks are read again inside
 * the transaction that reverts, so two requests at once cannot both revert the same set.
 */
async function revertTop(db: PlanDb, stack: 'undo' | 'redo'): Promise<UndoOutcome> {
  // Asked first outside it too: with nothing to revert, a read-only file says so rather than refusing a write.
  await topOf(db, stack);
  return db.transaction(async (tx) => {
    const top = await topOf(tx, stack);
    const label = baseLabel(top.label);
    const meta = { label: `${stack === 'undo' ? UNDO_PREFIX : REDO_PREFIX}${label}`, revertsId: top.id };
    const r = await withChange(tx, meta, (w) => revertSet(tx, w, top.id));
    return { changeSetId: r.changeSetId, changed: r.changed, label };
  });
}

/** Undoes the latest change that is not undone yet, as a new change set that reverses it. */
export function undo(db: PlanDb): Promise<UndoOutcome> {
  return revertTop(db, 'undo');
}

/** Redoes the latest undo, as a new change set that reverses the undo. */
export function redo(db: PlanDb): Promise<UndoOutcome> {
  return revertTop(db, 'redo');
}
