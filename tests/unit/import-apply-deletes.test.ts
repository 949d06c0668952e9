import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withChange } from '../../electron/db/change-writer';
import type { PlanDb } from '../../electron/db/plan-db';
import { applyMergeOps } from '../../electron/import/apply-ops';
import { readPlanState } from '../../electron/model/plan-state';
import { AppError } from '../../shared/errors/app-error';
import type { MergeOp } from '../../shared/import/ops';
import { engines, usePlan } from '../helpers/engines';

/**
 * An import's deletes follow the registry's rules as the grid's do, but never take with them a row
 * the review did not show as deleted: ticking only "remove theme T" for the last theme of a table
 * row must not delete the row with its year plans, 主な担当 and targets.
 */

describe.each(engines)('%s', (engine) => {
  const env = usePlan(engine);

  async function plan() {
    const db = env.db;
    // A table row with exactly one theme, and targets and year plans of its own.
    const { rows } = await sql<{ id: string }>`select r.id from action_row r where (select count(*) from theme t where t.row_id = r.id) = 1
           and exists (select 1 from target g where g.row_id = r.id) and exists (select 1 from year_plan y where y.row_id = r.id) order by r.id limit 1`.execute(db.q);
    const row = rows[0]!;
    const theme = await db.q.selectFrom('theme').selectAll().where('row_id', '=', row.id).executeTakeFirstOrThrow();
    const count = async (table: 'target' | 'year_plan' | 'assignment', column: 'row_id') =>
      Number((await db.q.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where(column, '=', row.id).executeTakeFirstOrThrow()).n);
    const rowCount = async () => ({ n: Number((await db.q.selectFrom('action_row').select((eb) => eb.fn.countAll().as('n')).where('id', '=', row.id).executeTakeFirstOrThrow()).n) });
    return { db, rowId: row.id, theme, count, rowCount };
  }

  const apply = (db: PlanDb, ops: MergeOp[]) => withChange(db, { label: '取り込み' }, (w, tx) => applyMergeOps(tx, w, ops));

  describe('the deletes of an import', () => {
    it('refuse to take a table row with its last theme when only the theme was chosen, and change nothing', async () => {
      const { db, theme, count, rowCount } = await plan();
      const before = await readPlanState(db);
      const targets = await count('target', 'row_id');
      let error: unknown;
      try {
        await apply(db, [{ op: 'delete', table: 'theme', id: theme.id }]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).messageJa).toContain('何も変更していません');
      expect(await readPlanState(db)).toEqual(before);
      expect(await count('target', 'row_id')).toBe(targets);
      expect(await rowCount()).toEqual({ n: 1 });
    });

    it('replace the last theme when its replacement is chosen too: the row and what hangs on it stay', async () => {
      const { db, rowId, theme, count } = await plan();
      const targets = await count('target', 'row_id');
      const years = await count('year_plan', 'row_id');
      const added = '00000000-0000-4000-8000-00000000a001';
      await apply(db, [
        { op: 'delete', table: 'theme', id: theme.id },
        { op: 'insert', table: 'theme', row: { id: added, row_id: rowId, key: null, position: 1, text: '新しいテーマ', pillar_id: theme.pillar_id } },
      ]);
      expect(await db.q.selectFrom('theme').select(['id', 'text']).where('row_id', '=', rowId).orderBy('id').execute()).toEqual([{ id: added, text: '新しいテーマ' }]);
      expect(await count('target', 'row_id')).toBe(targets);
      expect(await count('year_plan', 'row_id')).toBe(years);
    });

    it('delete the table row with everything chosen with it, its per-year cells and 主な担当 included', async () => {
      const { db, rowId, theme, count, rowCount } = await plan();
      const targetIds = (await db.q.selectFrom('target').select('id').where('row_id', '=', rowId).orderBy('id').execute()).map((t) => t.id);
      await apply(db, [
        { op: 'delete', table: 'theme', id: theme.id },
        { op: 'delete', table: 'action_row', id: rowId },
        ...targetIds.map((id): MergeOp => ({ op: 'delete', table: 'target', id })),
      ]);
      expect(await rowCount()).toEqual({ n: 0 });
      expect([await count('year_plan', 'row_id'), await count('assignment', 'row_id'), await count('target', 'row_id')]).toEqual([0, 0, 0]);
      // The file's own check of its references (SQLite; PostgreSQL checks each statement's at once).
      if (db.engine === 'sqlite') expect(db.sqlite.pragma('foreign_key_check')).toEqual([]);
    });
  });
});
