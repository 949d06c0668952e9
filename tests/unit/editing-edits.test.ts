import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sqlite } from '../../electron/db/open';
import { applyGridEdits, splitUnitNames } from '../../electron/model/editing/apply-edits';
import { listUnitFocus } from '../../electron/model/queries/screen-queries';
import { seededDatabase } from '../helpers/seeded-db';

let env: ReturnType<typeof seededDatabase>;
let db: Sqlite;
beforeEach(() => {
  env = seededDatabase();
  db = env.db.sqlite;
});
afterEach(() => env.cleanup());

const unitId = (name: string) => (db.prepare('select id from unit where name = ?').get(name) as { id: string }).id;
const focusText = (unit: string, period: string) =>
  (
    db
      .prepare('select f.text from unit_focus f join unit_focus_unit fu on fu.focus_id = f.id where fu.unit_id = ? and f.period = ?')
      .get(unitId(unit), period) as { text: string } | undefined
  )?.text;
const firstRowId = () => (db.prepare('select id from action_row order by page, position limit 1').get() as { id: string }).id;
const assigned = (rowId: string) =>
  (db.prepare('select u.name from assignment a join unit u on u.id = a.unit_id where a.row_id = ? order by a.position').all(rowId) as { name: string }[]).map((u) => u.name);
const changeSets = () => (db.prepare('select count(*) as n from change_set').get() as { n: number }).n;

describe('grid edits besides plain cells', () => {
  it('a focus slot creates the focus, updates it, and clearing it removes it', () => {
    expect(focusText('千代田支部', '2022')).toBeUndefined();
    applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: unitId('千代田支部'), period: '2022', value: '新しい重点\r\n二行目' }]);
    expect(focusText('千代田支部', '2022')).toBe('新しい重点\n二行目');
    const row = listUnitFocus(db, 'branches').find((r) => r.name === '千代田支部')!;
    expect(row.focus['2022']).toMatchObject({ text: '新しい重点\n二行目', sharedWith: [unitId('千代田支部')] });
    applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: unitId('千代田支部'), period: '2022', value: '直した重点' }]);
    expect(focusText('千代田支部', '2022')).toBe('直した重点');
    applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: unitId('千代田支部'), period: '2022', value: '  ' }]);
    expect(focusText('千代田支部', '2022')).toBeUndefined();
    expect(db.prepare("select count(*) as n from unit_focus where period = '2022'").get()).toEqual({ n: 0 });
  });

  it('a committee’s new focus is listed under its group of the FY2021 table', () => {
    applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: unitId('税制委員会'), period: '2022', value: '税制の重点' }]);
    expect(db.prepare("select group_heading from unit_focus where text = '税制の重点'").get()).toEqual({ group_heading: '委員会' });
  });

  it('a text two sections share is edited for both; clearing it for one leaves it with the other', () => {
    const shared = focusText('商業部会', '2021');
    expect(focusText('商業卸売部会', '2021')).toBe(shared);
    applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: unitId('商業卸売部会'), period: '2021', value: '合同の重点' }]);
    expect(focusText('商業部会', '2021')).toBe('合同の重点');
    applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: unitId('商業卸売部会'), period: '2021', value: null }]);
    expect(focusText('商業卸売部会', '2021')).toBeUndefined();
    expect(focusText('商業部会', '2021')).toBe('合同の重点');
  });

  it('refuses a focus outside the plan period', () => {
    expect(() => applyGridEdits(db, 't', [{ entity: 'focusSlot', unitId: unitId('千代田支部'), period: '2030', value: 'x' }])).toThrow(/outside the plan/);
  });

  it('主な担当 takes names one per line or separated by 、, in the order given; short names work when unique', () => {
    expect(splitUnitNames('総務統括部\n国際部、 広報部,事業・会員サービス向上委員会')).toEqual(['総務統括部', '国際部', '広報部', '事業・会員サービス向上委員会']);
    const row = firstRowId();
    applyGridEdits(db, 't', [{ entity: 'assignments', id: row, value: '観光委員会\n広報部\n千代田' }]);
    expect(assigned(row)).toEqual(['観光委員会', '広報部', '千代田支部']);
    applyGridEdits(db, 't', [{ entity: 'assignments', id: row, value: null }]);
    expect(assigned(row)).toEqual([]);
  });

  it('an unknown unit name refuses the whole batch: nothing of it is saved', () => {
    const row = firstRowId();
    const before = assigned(row);
    const sets = changeSets();
    expect(() =>
      applyGridEdits(db, '貼り付け', [
        { entity: 'actionRow', id: row, field: 'termPlan', value: '保存されないはず' },
        { entity: 'assignments', id: row, value: '総務統括部\n存在しない部' },
      ]),
    ).toThrow(/unknown unit/);
    expect(assigned(row)).toEqual(before);
    expect((db.prepare('select term_plan from action_row where id = ?').get(row) as { term_plan: string }).term_plan).not.toBe('保存されないはず');
    expect(changeSets()).toBe(sets);
  });

  it('an invalid number in a pasted block refuses all of it', () => {
    const t = db.prepare("select id from target where unit = '社' limit 1").get() as { id: string };
    const sets = changeSets();
    expect(() =>
      applyGridEdits(db, '貼り付け', [
        { entity: 'target', id: t.id, field: 'planValue', fiscalYear: 2021, value: '1万' },
        { entity: 'target', id: t.id, field: 'actualValue', fiscalYear: 2021, value: '約300' },
      ]),
    ).toThrow();
    expect(db.prepare('select count(*) as n from target_value where target_id = ? and fiscal_year = 2021').get(t.id)).toEqual({ n: 0 });
    expect(changeSets()).toBe(sets);
  });

  it('a unit can be renamed, but not to nothing or to another unit’s name', () => {
    applyGridEdits(db, 't', [{ entity: 'unitName', id: unitId('観光委員会'), value: '観光・文化委員会' }]);
    expect(db.prepare("select count(*) as n from unit where name = '観光・文化委員会'").get()).toEqual({ n: 1 });
    expect(() => applyGridEdits(db, 't', [{ entity: 'unitName', id: unitId('広報部'), value: '国際部' }])).toThrow(/duplicate/);
    expect(() => applyGridEdits(db, 't', [{ entity: 'unitName', id: unitId('広報部'), value: ' ' }])).toThrow(/cleared/);
  });
});
