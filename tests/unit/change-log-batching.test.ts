/**
 * How the ChangeWriter sends its writes (electron/db/change-writer.ts), on both engines: inserted
 * rows held back and sent as multi-row INSERTs before the transaction's next query; a typed cell's
 * writes sent without waiting on PostgreSQL (pipelineWrites), a failure still reported as its own
 * error with nothing saved; and the undo state after a user change answered from what it wrote.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withChange } from '../../electron/db/change-writer';
import { applyMergeOps } from '../../electron/import/apply-ops';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { undoState, undo } from '../../electron/model/editing/undo';
import { AppError } from '../../shared/errors/app-error';
import { countRows, firstOf, rowsOf } from '../helpers/plan-sql';
import { engines, usePlan } from '../helpers/engines';

/** What a failed constraint is called on each engine: SQLite's SQLITE_CONSTRAINT_*, PostgreSQL's class 23. */
const constraintCode = /^(SQLITE_CONSTRAINT|23)/;

describe.each(engines)('%s', (engine) => {
  const plan = usePlan(engine);
  const someRow = async (db: Parameters<typeof countRows>[0]) => (await firstOf(db, sql<{ id: string }>`select id from action_row order by id limit 1`))!.id;
  const someUnit = async (db: Parameters<typeof countRows>[0]) => (await firstOf(db, sql<{ id: string }>`select id from unit order by id limit 1`))!.id;

  it('holds inserted rows back yet every query of the action sees them, children inserted before their parent included', async () => {
    const { db } = plan;
    const rowId = await someRow(db);
    const unitId = await someUnit(db);
    const targets = Array.from({ length: 1200 }, () => randomUUID());
    const seen = await withChange(db, { label: '目標の追加' }, async (w, tx) => {
      // A value before its target: the held rows go parents first, so the foreign key finds it.
      await w.insert('target_value', { id: randomUUID(), target_id: targets[0]!, fiscal_year: 2021, plan_value: 1, plan_text: null, actual_value: null });
      for (const [i, id] of targets.entries())
        await w.insert('target', {
          id,
          row_id: rowId,
          theme_id: null,
          unit_id: unitId,
          key: null,
          position: 1000 + i,
          label: `目標 ${i}`,
          unit: '件',
          kind: 'cumulative',
          direction: 'at_least',
          baseline_value: null,
          baseline_year: null,
          baseline_text: null,
          term_goal_value: null,
          term_goal_text: null,
          note: null,
        });
      const inserted = await firstOf(tx, sql<{ n: number | string }>`select count(*) as n from target where id in (${sql.join(targets.slice(0, 3))})`);
      const value = await firstOf(tx, sql<{ n: number | string }>`select count(*) as n from target_value where target_id = ${targets[0]!}`);
      return { inserted: Number(inserted!.n), value: Number(value!.n) };
    });
    expect(seen.result).toEqual({ inserted: 3, value: 1 });
    expect(seen.changed).toBe(1201);
    expect(await rowsOf(db, sql<{ id: string }>`select id from target where id in (${sql.join(targets)})`)).toHaveLength(1200);
    // Logged in the order written, whatever order the rows went in.
    const log = await rowsOf(db, sql<{ table_name: string }>`select table_name from change where set_id = ${seen.changeSetId} order by id`);
    expect(log.map((c) => c.table_name)).toEqual(['target_value', ...targets.map(() => 'target')]);
  });

  it('an insert that breaks a foreign key fails its action at the next query, and nothing of it is saved', async () => {
    const { db } = plan;
    const targetsBefore = await countRows(db, 'target_value');
    const sets = await countRows(db, 'change_set');
    const failed = withChange(db, { label: '壊れた追加' }, async (w) => {
      await w.insert('target_value', { id: randomUUID(), target_id: randomUUID(), fiscal_year: 2021, plan_value: 1, plan_text: null, actual_value: null });
    });
    await expect(failed).rejects.toMatchObject({ code: expect.stringMatching(constraintCode) });
    expect(await countRows(db, 'target_value')).toBe(targetsBefore);
    expect(await countRows(db, 'change_set')).toBe(sets);
  });

  it('an action that catches the failure of the query its held insert went before still saves nothing', async () => {
    const { db } = plan;
    const targetsBefore = await countRows(db, 'target_value');
    const sets = await countRows(db, 'change_set');
    const swallowing = withChange(db, { label: '失敗を握りつぶす' }, async (w, tx) => {
      await w.insert('target_value', { id: randomUUID(), target_id: randomUUID(), fiscal_year: 2021, plan_value: 1, plan_text: null, actual_value: null });
      // The held insert goes before this read and fails it; an action that carries on must not commit without the row.
      await firstOf(tx, sql<{ n: number }>`select 1 as n`).catch(() => null);
    });
    await expect(swallowing).rejects.toMatchObject({ code: expect.stringMatching(constraintCode) });
    expect(await countRows(db, 'target_value')).toBe(targetsBefore);
    expect(await countRows(db, 'change_set')).toBe(sets);
  });

  it("an import whose last rows break a foreign key is refused with the import's message", async () => {
    const { db } = plan;
    const before = await countRows(db, 'target');
    const failed = withChange(db, { label: '取り込み: x.xlsx' }, (w, tx) =>
      applyMergeOps(tx, w, [
        {
          op: 'insert',
          table: 'target',
          row: { id: randomUUID(), row_id: randomUUID(), theme_id: null, unit_id: null, key: null, position: 0, label: '宙に浮いた目標', unit: '件', kind: 'cumulative', direction: 'at_least' },
        },
      ] as never),
    );
    await expect(failed).rejects.toBeInstanceOf(AppError);
    await expect(failed).rejects.toMatchObject({ code: 'conflict', messageJa: expect.stringContaining('つながりが保てない') });
    expect(await countRows(db, 'target')).toBe(before);
  });

  it('a typed cell whose write fails is reported with the write’s own error, even after later reads, and nothing is saved', async () => {
    const { db } = plan;
    const target = (await firstOf(db, sql<{ id: string; label: string }>`select id, label from target order by id limit 1`))!;
    const sets = await countRows(db, 'change_set');
    const failed = withChange(db, { label: 'セルの編集' }, async (w, tx) => {
      w.pipelineWrites();
      await w.update('target', target.id, { unit_id: randomUUID() });
      await w.update('target', target.id, { label: '保存されない' });
      // On PostgreSQL this read fails as "transaction aborted"; the error reported is the write's.
      await tx.q.selectFrom('target').select('id').where('id', '=', target.id).execute();
    });
    await expect(failed).rejects.toMatchObject({ code: expect.stringMatching(constraintCode) });
    expect((await firstOf(db, sql<{ label: string }>`select label from target where id = ${target.id}`))!.label).toBe(target.label);
    expect(await countRows(db, 'change_set')).toBe(sets);
  });

  it('answers the undo state after a user change as reading the log does, and reads it after an undo', async () => {
    const { db } = plan;
    const rowId = await someRow(db);
    const edit = (value: string) => [{ entity: 'actionRow' as const, id: rowId, field: 'termPlan', value }];
    const inside = await db.transaction(async (tx) => {
      await applyGridEdits(tx, 'セルの編集', edit('一'));
      return undoState(tx);
    });
    expect(inside).toEqual({ undoLabel: 'セルの編集', redoLabel: null });
    expect(await undoState(db)).toEqual(inside);
    const afterUndo = await db.transaction(async (tx) => {
      await undo(tx);
      return undoState(tx);
    });
    expect(afterUndo).toEqual(await undoState(db));
    expect(afterUndo.redoLabel).toBe('セルの編集');
    // A write that changed nothing keeps no set: the state is read, and is what it was.
    const unchanged = await db.transaction(async (tx) => {
      await applyGridEdits(tx, '変化なし', edit((await firstOf(tx, sql<{ term_plan: string | null }>`select term_plan from action_row where id = ${rowId}`))!.term_plan ?? ''));
      return undoState(tx);
    });
    expect(unchanged).toEqual(afterUndo);
  });
});
