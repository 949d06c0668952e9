import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPlanDatabase } from '../../electron/db/open';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { deleteRow, insertRow } from '../../electron/model/editing/row-ops';
import { redo, undo, undoState } from '../../electron/model/editing/undo';
import type { Sqlite } from '../../electron/db/open';
import { seededDatabase } from '../helpers/seeded-db';

let env: ReturnType<typeof seededDatabase>;
let db: Sqlite;
beforeEach(() => {
  env = seededDatabase();
  db = env.db.sqlite;
});
afterEach(() => env.cleanup());

const firstRow = () => db.prepare('select id, term_plan from action_row order by page, position limit 1').get() as { id: string; term_plan: string };
const termPlan = (id: string) => (db.prepare('select term_plan from action_row where id = ?').get(id) as { term_plan: string }).term_plan;
const yearPlan = (id: string, fy: number) => (db.prepare('select text from year_plan where row_id = ? and fiscal_year = ?').get(id, fy) as { text: string } | undefined)?.text;
/** Everything a user can see of the plan: every data table, sorted, as JSON. */
const snapshot = () =>
  JSON.stringify(
    ['action_row', 'theme', 'year_plan', 'assignment', 'target', 'target_value', 'unit', 'unit_focus', 'unit_focus_unit', 'overview_item'].map((t) =>
      db.prepare(`select * from ${t} order by id`).all(),
    ),
  );

describe('undo and redo over the change log', () => {
  it('has nothing to undo in a new database: the creation from the seeds is the floor', () => {
    expect(undoState(db)).toEqual({ undoLabel: null, redoLabel: null });
    expect(() => undo(db)).toThrow(/nothing to undo/);
  });

  it('undoes and redoes an edit, newest first, and a new edit clears the redo', () => {
    const row = firstRow();
    applyGridEdits(db, '一回目', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'A' }]);
    applyGridEdits(db, '二回目', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'B' }]);
    expect(undoState(db).undoLabel).toBe('二回目');
    expect(undo(db).label).toBe('二回目');
    expect(termPlan(row.id)).toBe('A');
    expect(undo(db).label).toBe('一回目');
    expect(termPlan(row.id)).toBe(row.term_plan);
    expect(undoState(db)).toEqual({ undoLabel: null, redoLabel: '一回目' });
    expect(redo(db).label).toBe('一回目');
    expect(termPlan(row.id)).toBe('A');
    expect(undoState(db)).toEqual({ undoLabel: '一回目', redoLabel: '二回目' });
    applyGridEdits(db, '三回目', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'C' }]);
    expect(undoState(db)).toEqual({ undoLabel: '三回目', redoLabel: null });
    // Undo of the redone edit goes back past it to the original.
    undo(db);
    undo(db);
    expect(termPlan(row.id)).toBe(row.term_plan);
  });

  it('undoes a paste of many cells, with rows created on the way, as one step', () => {
    const before = snapshot();
    const rows = db.prepare('select id from action_row order by page, position limit 3').all() as { id: string }[];
    applyGridEdits(
      db,
      '貼り付け（6セル）',
      rows.flatMap((r, i) => [
        { entity: 'actionRow' as const, id: r.id, field: 'termPlan', value: `目標${i}` },
        { entity: 'actionRow' as const, id: r.id, field: 'yearPlan', fiscalYear: 2022, value: `2022年度の計画${i}` },
      ]),
    );
    expect(yearPlan(rows[2]!.id, 2022)).toBe('2022年度の計画2');
    undo(db);
    expect(snapshot()).toBe(before);
    redo(db);
    expect(yearPlan(rows[2]!.id, 2022)).toBe('2022年度の計画2');
  });

  it('undoes a row delete with everything it took (targets, values, assignments) and redoes it', () => {
    const before = snapshot();
    const theme = db.prepare('select t.id, t.row_id from theme t join target g on g.row_id = t.row_id group by t.row_id having count(distinct t.id) = 1 limit 1').get() as { id: string; row_id: string };
    deleteRow(db, 'theme', theme.id);
    expect(db.prepare('select count(*) as n from target where row_id = ?').get(theme.row_id)).toEqual({ n: 0 });
    undo(db);
    expect(snapshot()).toBe(before);
    redo(db);
    expect(db.prepare('select count(*) as n from action_row where id = ?').get(theme.row_id)).toEqual({ n: 0 });
  });

  it('survives closing and reopening the file: the stacks are read from the log', () => {
    const row = firstRow();
    applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: '再起動前' }]);
    insertRow(db, 'theme', (db.prepare('select id from theme limit 1').get() as { id: string }).id);
    db.close();
    const reopened = openPlanDatabase(env.path);
    db = reopened.sqlite;
    expect(undoState(db).undoLabel).toBe('テーマの追加');
    undo(db);
    expect(undo(db).label).toBe('セルの編集');
    expect(termPlan(row.id)).toBe(row.term_plan);
    const sets = db.prepare('select label, reverts_id from change_set order by id desc limit 2').all() as { label: string; reverts_id: number }[];
    expect(sets.every((s) => s.reverts_id !== null && s.label.startsWith('元に戻す: '))).toBe(true);
    db.close();
  });

  it('refuses an undo whose rows no longer match the log, and changes nothing', () => {
    const row = firstRow();
    applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'X' }]);
    // A write outside the change log (as a broken tool would do).
    db.prepare('update action_row set term_plan = ? where id = ?').run('Y', row.id);
    const before = snapshot();
    expect(() => undo(db)).toThrow(/no longer matches/);
    expect(snapshot()).toBe(before);
  });
});
