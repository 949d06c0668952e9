import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import type { CellEdit } from '../../shared/domain/editable-fields';
import { withChange } from '../../electron/db/change-writer';
import type { PlanDb } from '../../electron/db/plan-db';
import { dumpPlan } from '../../electron/seed/dump';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { countRows, firstOf, rowsOf } from '../helpers/plan-sql';
import { engines, type OtherConnection, otherConnection, seededPlan } from '../helpers/engines';

describe.each(engines)('%s', (engine) => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function seeded() {
    const s = await seededPlan(engine);
    cleanups.push(s.cleanup);
    return s;
  }

  interface ChangeRow {
    set_id: number;
    table_name: string;
    row_id: string;
    op: string;
    column_name: string | null;
    old_value: string | null;
    new_value: string | null;
  }
  interface ChangeSetRow {
    id: number;
    at: string;
    user: string;
    label: string;
    source: string | null;
  }
  const count = (db: PlanDb, table: string) => countRows(db, table);
  /** A count through another connection to the plan (it sees only what is committed). */
  const countIn = async (reader: OtherConnection, table: string) => Number((await reader.rows<{ n: number | string }>(`select count(*) as n from "${table}"`))[0]!.n);
  const changesOf = (db: PlanDb, setId: number) =>
    rowsOf(db, sql<ChangeRow>`select set_id, table_name, row_id, op, column_name, old_value, new_value from change where set_id = ${setId} order by id`);
  const changeSet = (db: PlanDb, id: number) => firstOf(db, sql<ChangeSetRow>`select id, at, ${sql.ref('user')}, label, source from change_set where id = ${id}`);
  const targetId = async (db: PlanDb, key: string) => (await firstOf(db, sql<{ id: string }>`select id from target where key = ${key}`))!.id;

  describe('ChangeWriter / withChange: every write is logged in the same transaction', () => {
    it('logs an insert with the table, row id and the new row, under a change set with time and user', async () => {
      const { db } = await seeded();
      const id = randomUUID();
      const before = Date.now();
      const { changeSetId, changed } = await withChange(db, { label: '組織単位の追加', source: 'test' }, (w) =>
        w.insert('unit', { id, kind: 'department', name: '新設部', short_name: null, position: 99 }),
      );
      const after = Date.now();
      expect(changed).toBe(1);
      expect(changeSetId).not.toBeNull();
      const set = (await changeSet(db, changeSetId!))!;
      expect(set.label).toBe('組織単位の追加');
      expect(set.source).toBe('test');
      expect(set.user).toBe(userInfo().username);
      expect(set.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(set.at)).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(set.at)).toBeLessThanOrEqual(after + 1);
      const [change, ...rest] = await changesOf(db, changeSetId!);
      expect(rest).toEqual([]);
      expect(change).toMatchObject({ table_name: 'unit', row_id: id, op: 'insert', column_name: null, old_value: null });
      expect(JSON.parse(change!.new_value!)).toEqual({ id, kind: 'department', name: '新設部', short_name: null, position: 99 });
      expect(await firstOf(db, sql`select name from unit where id = ${id}`)).toEqual({ name: '新設部' });
    });

    it('logs an update column by column with old and new values, and only the columns that changed', async () => {
      const { db } = await seeded();
      const id = await targetId(db, 'p5-members');
      const { changeSetId, changed } = await withChange(db, { label: 'セルの編集' }, (w) =>
        w.update('target', id, { label: '会員数', unit: '件', term_goal_value: 84000, note: null }),
      );
      expect(changed).toBe(3); // unit is unchanged
      expect(await changesOf(db, changeSetId!)).toEqual([
        { set_id: changeSetId, table_name: 'target', row_id: id, op: 'update', column_name: 'label', old_value: JSON.stringify('会員数（年度末）'), new_value: JSON.stringify('会員数') },
        { set_id: changeSetId, table_name: 'target', row_id: id, op: 'update', column_name: 'term_goal_value', old_value: '83000', new_value: '84000' },
        { set_id: changeSetId, table_name: 'target', row_id: id, op: 'update', column_name: 'note', old_value: expect.stringContaining('８万会員体制') as unknown as string, new_value: 'null' },
      ]);
      expect(await firstOf(db, sql`select label, term_goal_value, note from target where id = ${id}`)).toEqual({ label: '会員数', term_goal_value: 84000, note: null });
    });

    it('logs a delete with the old row', async () => {
      const { db } = await seeded();
      const row = (await firstOf(db, sql<Record<string, unknown> & { id: string }>`select * from target_value where target_id = ${await targetId(db, 'p5-members')} and fiscal_year = 2020`))!;
      const { changeSetId } = await withChange(db, { label: '削除' }, (w) => w.delete('target_value', row.id));
      const [change] = await changesOf(db, changeSetId!);
      expect(change).toMatchObject({ table_name: 'target_value', row_id: row.id, op: 'delete', column_name: null, new_value: null });
      expect(JSON.parse(change!.old_value!)).toEqual(row);
      expect(await firstOf(db, sql`select id from target_value where id = ${row.id}`)).toBeUndefined();
    });

    it('keeps no change set for an action that changed nothing (no empty undo step)', async () => {
      const { db } = await seeded();
      const sets = await count(db, 'change_set');
      const id = await targetId(db, 'p5-members');
      const r = await withChange(db, { label: '同じ値' }, (w) => w.update('target', id, { term_goal_value: 83000 }));
      expect(r).toEqual({ result: 0, changeSetId: null, changed: 0 });
      expect(await count(db, 'change_set')).toBe(sets);
    });

    it('commits the data and its log together: another connection sees neither until the end', async () => {
      const plan = await seeded();
      const db = plan.db;
      const reader = await otherConnection(plan);
      cleanups.push(() => reader.close());
      const changesBefore = await countIn(reader, 'change');
      const id = await targetId(db, 'p5-members');
      const goal = async () => reader.rows('select term_goal_value as v from target where id = ?', id);
      await withChange(db, { label: 'セルの編集' }, async (w) => {
        await w.update('target', id, { term_goal_value: 85000 });
        expect(await countIn(reader, 'change')).toBe(changesBefore);
        expect(await goal()).toEqual([{ v: 83000 }]);
      });
      expect(await countIn(reader, 'change')).toBe(changesBefore + 1);
      expect(await goal()).toEqual([{ v: 85000 }]);
    });

    it('leaves neither data nor log when the action throws midway', async () => {
      const { db } = await seeded();
      const dumpBefore = await dumpPlan(db);
      const counts = async () => ({ change: await count(db, 'change'), change_set: await count(db, 'change_set'), unit: await count(db, 'unit') });
      const before = await counts();
      const id = await targetId(db, 'p5-members');
      await expect(
        withChange(db, { label: '途中で失敗' }, async (w) => {
          await w.insert('unit', { id: randomUUID(), kind: 'department', name: '途中部', short_name: null, position: 100 });
          await w.update('target', id, { term_goal_value: 1 });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await counts()).toEqual(before);
      expect(await dumpPlan(db)).toStrictEqual(dumpBefore);
    });

    it('leaves no change set when the action is refused before it asks anything (the set row is sent with its first reads)', async () => {
      const { db } = await seeded();
      const sets = await count(db, 'change_set');
      // Refused at once, and after one microtask: either way before the change set's row has answered.
      await expect(withChange(db, { label: 'すぐ断られる' }, () => Promise.reject(new AppError('invalid_value', '断る', 'refused')))).rejects.toThrow('refused');
      await expect(
        withChange(db, { label: '少しあとで断られる' }, async () => {
          await Promise.resolve();
          throw new AppError('invalid_value', '断る', 'refused');
        }),
      ).rejects.toThrow('refused');
      // The next action's set follows the last kept one; nothing was committed in between.
      expect(await count(db, 'change_set')).toBe(sets);
      const id = await targetId(db, 'p5-members');
      const r = await withChange(db, { label: 'セルの編集' }, (w) => w.update('target', id, { term_goal_value: 85000 }));
      expect(await count(db, 'change_set')).toBe(sets + 1);
      expect((await changesOf(db, r.changeSetId!)).map((c) => c.set_id)).toEqual([r.changeSetId]);
    });
  });

  describe('applyGridEdits (cell edits)', () => {
    it('writes a batch as one change set with the old and new value of each cell', async () => {
      const { db } = await seeded();
      const id = await targetId(db, 'p5-members');
      const { changeSetId } = await applyGridEdits(db, '貼り付け（2セル）', [
        { entity: 'target', id, field: 'planValue', fiscalYear: 2020, value: '8万2千' },
        { entity: 'target', id, field: 'actualValue', fiscalYear: 2020, value: '81,523件' },
      ]);
      const changes = await changesOf(db, changeSetId!);
      expect(changes.map((c) => [c.table_name, c.op, c.column_name, c.old_value, c.new_value])).toEqual([
        ['target_value', 'update', 'plan_value', '81000', '82000'],
        ['target_value', 'update', 'actual_value', 'null', '81523'],
      ]);
      expect((await changeSet(db, changeSetId!))!.label).toBe('貼り付け（2セル）');
    });

    it('changes nothing when the third of 3 edits does not parse, with a Japanese AppError naming the cell', async () => {
      const { db } = await seeded();
      const members = await targetId(db, 'p5-members');
      const startup = await targetId(db, 'p2-startup-support');
      const before = await dumpPlan(db);
      const counts = async () => ({ change: await count(db, 'change'), change_set: await count(db, 'change_set'), target_value: await count(db, 'target_value') });
      const countsBefore = await counts();
      const edits: CellEdit[] = [
        { entity: 'target', id: members, field: 'actualValue', fiscalYear: 2020, value: '81,523' },
        { entity: 'target', id: startup, field: 'planValue', fiscalYear: 2021, value: '延3,400名' },
        { entity: 'target', id: members, field: 'planValue', fiscalYear: 2021, value: '12a3' },
      ];
      let error: unknown;
      try {
        await applyGridEdits(db, '貼り付け（3セル）', edits);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      const e = error as AppError;
      expect(e.code).toBe('invalid_value');
      expect(e.messageJa).toContain('「12a3」');
      expect(e.messageJa).toContain('数値として読めません');
      expect(e.where).toBe(`target/${members}/planValue/2021`);
      expect(e.toShape()).toMatchObject({ code: 'invalid_value', message: e.messageJa, where: e.where });
      expect(await dumpPlan(db)).toStrictEqual(before);
      expect(await counts()).toEqual(countsBefore);
    });

    it('refuses a figure in another unit (3,300社 for a 名 target) in Japanese, and writes nothing', async () => {
      const { db } = await seeded();
      const before = await dumpPlan(db);
      const id = await targetId(db, 'p2-startup-support');
      let error: unknown;
      try {
        await applyGridEdits(db, 'セルの編集', [{ entity: 'target', id, field: 'actualValue', fiscalYear: 2020, value: '3,300社' }]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).messageJa).toContain('単位「社」');
      expect((error as AppError).messageJa).toContain('「名」');
      expect(await dumpPlan(db)).toStrictEqual(before);
    });

    it('refuses an edit of a row that does not exist', async () => {
      const { db } = await seeded();
      await expect(applyGridEdits(db, 'セルの編集', [{ entity: 'target', id: randomUUID(), field: 'label', value: 'x' }])).rejects.toThrow(
        expect.objectContaining({ code: 'not_found', messageJa: expect.stringContaining('見つかりません') as unknown }),
      );
    });
  });
});
