import { type RawBuilder, sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlanDb } from '../../electron/db/plan-db';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { deleteRow, insertRow } from '../../electron/model/editing/row-ops';
import { redo, undo, undoState } from '../../electron/model/editing/undo';
import { firstOf, rowsOf } from '../helpers/plan-sql';
import { engines, reopen, usePlan } from '../helpers/engines';

describe.each(engines)('%s', (engine) => {
  const env = usePlan(engine);
  let db: PlanDb;
  beforeEach(() => void (db = env.db));

  const firstRow = async () => (await firstOf(db, sql<{ id: string; term_plan: string }>`select id, term_plan from action_row order by page, position limit 1`))!;
  const termPlan = async (id: string) => (await firstOf(db, sql<{ term_plan: string }>`select term_plan from action_row where id = ${id}`))!.term_plan;
  const yearPlan = async (id: string, fy: number) => (await firstOf(db, sql<{ text: string }>`select text from year_plan where row_id = ${id} and fiscal_year = ${fy}`))?.text;
  const count = async (query: RawBuilder<{ n: number | string }>) => Number((await firstOf(db, query))?.n ?? 0);
  /** Everything a user can see of the plan: every data table, sorted, as JSON. */
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all(
        ['action_row', 'theme', 'year_plan', 'assignment', 'target', 'target_value', 'unit', 'unit_focus', 'unit_focus_unit', 'overview_item'].map((t) =>
          rowsOf(db, sql`select * from ${sql.table(t)} order by id`),
        ),
      ),
    );

  describe('undo and redo over the change log', () => {
    it('has nothing to undo in a new database: the creation from the seeds is the floor', async () => {
      expect(await undoState(db)).toEqual({ undoLabel: null, redoLabel: null });
      await expect(undo(db)).rejects.toThrow(/nothing to undo/);
    });

    it('undoes and redoes an edit, newest first, and a new edit clears the redo', async () => {
      const row = await firstRow();
      await applyGridEdits(db, '一回目', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'A' }]);
      await applyGridEdits(db, '二回目', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'B' }]);
      expect((await undoState(db)).undoLabel).toBe('二回目');
      expect((await undo(db)).label).toBe('二回目');
      expect(await termPlan(row.id)).toBe('A');
      expect((await undo(db)).label).toBe('一回目');
      expect(await termPlan(row.id)).toBe(row.term_plan);
      expect(await undoState(db)).toEqual({ undoLabel: null, redoLabel: '一回目' });
      expect((await redo(db)).label).toBe('一回目');
      expect(await termPlan(row.id)).toBe('A');
      expect(await undoState(db)).toEqual({ undoLabel: '一回目', redoLabel: '二回目' });
      await applyGridEdits(db, '三回目', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'C' }]);
      expect(await undoState(db)).toEqual({ undoLabel: '三回目', redoLabel: null });
      // Undo of the redone edit goes back past it to the original.
      await undo(db);
      await undo(db);
      expect(await termPlan(row.id)).toBe(row.term_plan);
    });

    it('undoes a paste of many cells, with rows created on the way, as one step', async () => {
      const before = await snapshot();
      const rows = await rowsOf(db, sql<{ id: string }>`select id from action_row order by page, position limit 3`);
      await applyGridEdits(
        db,
        '貼り付け（6セル）',
        rows.flatMap((r, i) => [
          { entity: 'actionRow' as const, id: r.id, field: 'termPlan', value: `目標${i}` },
          { entity: 'actionRow' as const, id: r.id, field: 'yearPlan', fiscalYear: 2022, value: `2022年度の計画${i}` },
        ]),
      );
      expect(await yearPlan(rows[2]!.id, 2022)).toBe('2022年度の計画2');
      await undo(db);
      expect(await snapshot()).toBe(before);
      await redo(db);
      expect(await yearPlan(rows[2]!.id, 2022)).toBe('2022年度の計画2');
    });

    it('undoes a row delete with everything it took (targets, values, assignments) and redoes it', async () => {
      const before = await snapshot();
      const theme = (await firstOf(
        db,
        sql<{ id: string; row_id: string }>`select min(t.id) as id, t.row_id from theme t join target g on g.row_id = t.row_id group by t.row_id having count(distinct t.id) = 1 order by t.row_id limit 1`,
      ))!;
      await deleteRow(db, 'theme', theme.id);
      expect(await count(sql`select count(*) as n from target where row_id = ${theme.row_id}`)).toBe(0);
      await undo(db);
      expect(await snapshot()).toBe(before);
      await redo(db);
      expect(await count(sql`select count(*) as n from action_row where id = ${theme.row_id}`)).toBe(0);
    });

    it('survives closing and opening the plan again: the stacks are read from the log', async () => {
      const row = await firstRow();
      await applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: '再起動前' }]);
      await insertRow(db, 'theme', (await firstOf(db, sql<{ id: string }>`select id from theme order by id limit 1`))!.id);
      await db.close();
      const reopened = await reopen(env.location);
      db = reopened.db;
      try {
        expect((await undoState(db)).undoLabel).toBe('テーマの追加');
        await undo(db);
        expect((await undo(db)).label).toBe('セルの編集');
        expect(await termPlan(row.id)).toBe(row.term_plan);
        const sets = await rowsOf(db, sql<{ label: string; reverts_id: number }>`select label, reverts_id from change_set order by id desc limit 2`);
        expect(sets.every((s) => s.reverts_id !== null && s.label.startsWith('元に戻す: '))).toBe(true);
      } finally {
        await db.close();
      }
    });

    it('refuses an undo whose rows no longer match the log, and changes nothing', async () => {
      const row = await firstRow();
      await applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'X' }]);
      // A write outside the change log (as a broken tool would do).
      await sql`update action_row set term_plan = ${'Y'} where id = ${row.id}`.execute(db.q);
      const before = await snapshot();
      await expect(undo(db)).rejects.toThrow(/no longer matches/);
      expect(await snapshot()).toBe(before);
    });
  });
});
