import { type RawBuilder, sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlanDb } from '../../electron/db/plan-db';
import { applyGridEdits, splitUnitNames } from '../../electron/model/editing/apply-edits';
import { listUnitFocus } from '../../electron/model/queries/screen-queries';
import { countRows, firstOf, rowsOf } from '../helpers/plan-sql';
import { engines, usePlan } from '../helpers/engines';

describe.each(engines)('%s', (engine) => {
  const env = usePlan(engine);
  let db: PlanDb;
  beforeEach(() => void (db = env.db));

  const unitId = async (name: string) => (await firstOf(db, sql<{ id: string }>`select id from unit where name = ${name}`))!.id;
  const focusText = async (unit: string, period: string) =>
    (await firstOf(db, sql<{ text: string }>`select f.text from unit_focus f join unit_focus_unit fu on fu.focus_id = f.id where fu.unit_id = ${await unitId(unit)} and f.period = ${period}`))
      ?.text;
  const firstRowId = async () => (await firstOf(db, sql<{ id: string }>`select id from action_row order by page, position limit 1`))!.id;
  const assigned = async (rowId: string) =>
    (await rowsOf(db, sql<{ name: string }>`select u.name from assignment a join unit u on u.id = a.unit_id where a.row_id = ${rowId} order by a.position`)).map((u) => u.name);
  const changeSets = () => countRows(db, 'change_set');
  const count = async (query: RawBuilder<{ n: number | string }>) => Number((await firstOf(db, query))?.n ?? 0);

  describe('grid edits besides plain cells', () => {
    it('a focus slot creates the focus, updates it, and clearing it removes it', async () => {
      expect(await focusText('千代田支部', '2022')).toBeUndefined();
      await applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: await unitId('千代田支部'), period: '2022', value: '新しい重点\r\n二行目' }]);
      expect(await focusText('千代田支部', '2022')).toBe('新しい重点\n二行目');
      const row = (await listUnitFocus(db, 'branches')).find((r) => r.name === '千代田支部')!;
      expect(row.focus['2022']).toMatchObject({ text: '新しい重点\n二行目', sharedWith: [await unitId('千代田支部')] });
      await applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: await unitId('千代田支部'), period: '2022', value: '直した重点' }]);
      expect(await focusText('千代田支部', '2022')).toBe('直した重点');
      await applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: await unitId('千代田支部'), period: '2022', value: '  ' }]);
      expect(await focusText('千代田支部', '2022')).toBeUndefined();
      expect(await count(sql`select count(*) as n from unit_focus where period = '2022'`)).toBe(0);
    });

    it('a committee’s new focus is listed under its group of the FY2021 table', async () => {
      await applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: await unitId('税制委員会'), period: '2022', value: '税制の重点' }]);
      expect(await firstOf(db, sql`select group_heading from unit_focus where text = '税制の重点'`)).toEqual({ group_heading: '委員会' });
    });

    it('a text two sections share is edited for both; clearing it for one leaves it with the other', async () => {
      const shared = await focusText('商業部会', '2021');
      expect(await focusText('商業卸売部会', '2021')).toBe(shared);
      await applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: await unitId('商業卸売部会'), period: '2021', value: '合同の重点' }]);
      expect(await focusText('商業部会', '2021')).toBe('合同の重点');
      await applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: await unitId('商業卸売部会'), period: '2021', value: null }]);
      expect(await focusText('商業卸売部会', '2021')).toBeUndefined();
      expect(await focusText('商業部会', '2021')).toBe('合同の重点');
    });

    it('refuses a focus outside the plan period', async () => {
      await expect(applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: await unitId('千代田支部'), period: '2030', value: 'x' }])).rejects.toThrow(/outside the plan/);
    });

    it('主な担当 takes names one per line or separated by 、, in the order given; short names work when unique', async () => {
      expect(splitUnitNames('総務統括部\n国際部、 広報部,事業・会員サービス向上委員会')).toEqual(['総務統括部', '国際部', '広報部', '事業・会員サービス向上委員会']);
      const row = await firstRowId();
      await applyGridEdits(db, 't', [{ entity: 'assignments', id: row, value: '観光委員会\n広報部\n千代田' }]);
      expect(await assigned(row)).toEqual(['観光委員会', '広報部', '千代田支部']);
      await applyGridEdits(db, 't', [{ entity: 'assignments', id: row, value: null }]);
      expect(await assigned(row)).toEqual([]);
    });

    it('an unknown unit name refuses the whole batch: nothing of it is saved', async () => {
      const row = await firstRowId();
      const before = await assigned(row);
      const sets = await changeSets();
      await expect(
        applyGridEdits(db, '貼り付け', [
          { entity: 'actionRow', id: row, field: 'termPlan', value: '保存されないはず' },
          { entity: 'assignments', id: row, value: '総務統括部\n存在しない部' },
        ]),
      ).rejects.toThrow(/unknown unit/);
      expect(await assigned(row)).toEqual(before);
      expect((await firstOf(db, sql<{ term_plan: string }>`select term_plan from action_row where id = ${row}`))!.term_plan).not.toBe('保存されないはず');
      expect(await changeSets()).toBe(sets);
    });

    it('an invalid number in a pasted block refuses all of it', async () => {
      const t = (await firstOf(db, sql<{ id: string }>`select id from target where unit = '社' limit 1`))!;
      const sets = await changeSets();
      await expect(
        applyGridEdits(db, '貼り付け', [
          { entity: 'target', id: t.id, field: 'planValue', fiscalYear: 2021, value: '1万' },
          { entity: 'target', id: t.id, field: 'actualValue', fiscalYear: 2021, value: '約300' },
        ]),
      ).rejects.toThrow();
      expect(await count(sql`select count(*) as n from target_value where target_id = ${t.id} and fiscal_year = 2021`)).toBe(0);
      expect(await changeSets()).toBe(sets);
    });

    it('a unit can be renamed, but not to nothing or to another unit’s name', async () => {
      await applyGridEdits(db, 't', [{ entity: 'unitName', id: await unitId('観光委員会'), value: '観光・文化委員会' }]);
      expect(await count(sql`select count(*) as n from unit where name = '観光・文化委員会'`)).toBe(1);
      await expect(applyGridEdits(db, 't', [{ entity: 'unitName', id: await unitId('広報部'), value: '国際部' }])).rejects.toThrow(/duplicate/);
      await expect(applyGridEdits(db, 't', [{ entity: 'unitName', id: await unitId('広報部'), value: ' ' }])).rejects.toThrow(/cleared/);
    });
  });
});
