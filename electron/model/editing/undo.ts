import { AppError } from '../../../shared/errors/app-error';
import type { UndoState } from '../../../shared/domain/editing';
import { type ChangeWriter, withChange } from '../../db/change-writer';
import type { Sqlite } from '../../db/open';
import type { DataTable, LoggedChange } from '../../db/schema';

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
export function undoStacks(sqlite: Sqlite): { undo: SetRow[]; redo: SetRow[] } {
  const sets = sqlite.prepare('select id, label, reverts_id from change_set order by id').all() as SetRow[];
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

export function undoState(sqlite: Sqlite): UndoState {
  const { undo, redo } = undoStacks(sqlite);
  const u = undo.at(-1);
  const r = redo.at(-1);
  return { undoLabel: u ? baseLabel(u.label) : null, redoLabel: r ? baseLabel(r.label) : null };
}

function checkTable(sqlite: Sqlite, table: string): DataTable {
  const known = /^[a-z_]+$/.test(table) && table !== 'change' && table !== 'change_set' && sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table);
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
function revertSet(sqlite: Sqlite, w: ChangeWriter, setId: number): void {
  const changes = sqlite.prepare('select table_name, row_id, op, column_name, old_value, new_value from change where set_id = ? order by id desc').all(setId) as ChangeRow[];
  for (const c of changes) {
    const table = checkTable(sqlite, c.table_name);
    const current = w.read(table, c.row_id);
    switch (c.op) {
      case 'insert':
        if (!current) conflict(c);
        w.delete(table, c.row_id);
        break;
      case 'delete':
        if (current) conflict(c);
        w.insert(table, parse(c.old_value) as never);
        break;
      case 'update': {
        if (!current || c.column_name === null || !(c.column_name in current)) return conflict(c);
        const expected = parse(c.new_value);
        const now = current[c.column_name] ?? null;
        if (now !== expected && !(typeof now === 'number' && typeof expected === 'number' && Math.abs(now - expected) < 1e-9)) conflict(c);
        w.update(table, c.row_id, { [c.column_name]: parse(c.old_value) } as never);
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

/** Undoes the latest change that is not undone yet, as a new change set that reverses it. */
export function undo(sqlite: Sqlite): UndoOutcome {
  const top = undoStacks(sqlite).undo.at(-1);
  if (!top) throw new AppError('not_found', '元に戻せる操作はありません。', 'nothing to undo');
  const label = baseLabel(top.label);
  const r = withChange(sqlite, { label: `${UNDO_PREFIX}${label}`, revertsId: top.id }, (w) => revertSet(sqlite, w, top.id));
  return { changeSetId: r.changeSetId, changed: r.changed, label };
}

/** Redoes the latest undo, as a new change set that reverses the undo. */
export function redo(sqlite: Sqlite): UndoOutcome {
  const top = undoStacks(sqlite).redo.at(-1);
  if (!top) throw new AppError('not_found', 'やり直せる操作はありません。', 'nothing to redo');
  const label = baseLabel(top.label);
  const r = withChange(sqlite, { label: `${REDO_PREFIX}${label}`, revertsId: top.id }, (w) => revertSet(sqlite, w, top.id));
  return { changeSetId: r.changeSetId, changed: r.changed, label };
}
