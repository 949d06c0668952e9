import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import type { CellEdit } from '../../shared/domain/editable-fields';
import { withChange } from '../../electron/db/change-writer';
import type { Sqlite } from '../../electron/db/open';
import { dumpPlan } from '../../electron/seed/dump';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { seededDatabase } from '../helpers/seeded-db';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));
function seeded() {
  const s = seededDatabase();
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
const count = (sqlite: Sqlite, table: string) => (sqlite.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
const changesOf = (sqlite: Sqlite, setId: number) =>
  sqlite.prepare('select set_id, table_name, row_id, op, column_name, old_value, new_value from change where set_id = ? order by id').all(setId) as ChangeRow[];
const changeSet = (sqlite: Sqlite, id: number) => sqlite.prepare('select id, at, user, label, source from change_set where id = ?').get(id) as ChangeSetRow | undefined;
const targetId = (sqlite: Sqlite, key: string) => (sqlite.prepare('select id from target where key = ?').get(key) as { id: string }).id;

describe('ChangeWriter / withChange: every write is logged in the same transaction', () => {
  it('logs an insert with the table, row id and the new row, under a change set with time and user', () => {
    const { db } = seeded();
    const id = randomUUID();
    const before = Date.now();
    const { changeSetId, changed } = withChange(db.sqlite, { label: '組織単位の追加', source: 'test' }, (w) =>
      w.insert('unit', { id, kind: 'department', name: '新設部', short_name: null, position: 99 }),
    );
    const after = Date.now();
    expect(changed).toBe(1);
    expect(changeSetId).not.toBeNull();
    const set = changeSet(db.sqlite, changeSetId!)!;
    expect(set.label).toBe('組織単位の追加');
    expect(set.source).toBe('test');
    expect(set.user).toBe(userInfo().username);
    expect(set.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(set.at)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(set.at)).toBeLessThanOrEqual(after + 1);
    const [change, ...rest] = changesOf(db.sqlite, changeSetId!);
    expect(rest).toEqual([]);
    expect(change).toMatchObject({ table_name: 'unit', row_id: id, op: 'insert', column_name: null, old_value: null });
    expect(JSON.parse(change!.new_value!)).toEqual({ id, kind: 'department', name: '新設部', short_name: null, position: 99 });
    expect(db.sqlite.prepare('select name from unit where id = ?').get(id)).toEqual({ name: '新設部' });
  });

  it('logs an update column by column with old and new values, and only the columns that changed', () => {
    const { db } = seeded();
    const id = targetId(db.sqlite, 'p5-members');
    const { changeSetId, changed } = withChange(db.sqlite, { label: 'セルの編集' }, (w) =>
      w.update('target', id, { label: '会員数', unit: '件', term_goal_value: 84000, note: null }),
    );
    expect(changed).toBe(3); // unit is unchanged
    expect(changesOf(db.sqlite, changeSetId!)).toEqual([
      { set_id: changeSetId, table_name: 'target', row_id: id, op: 'update', column_name: 'label', old_value: JSON.stringify('会員数（年度末）'), new_value: JSON.stringify('会員数') },
      { set_id: changeSetId, table_name: 'target', row_id: id, op: 'update', column_name: 'term_goal_value', old_value: '83000', new_value: '84000' },
      { set_id: changeSetId, table_name: 'target', row_id: id, op: 'update', column_name: 'note', old_value: expect.stringContaining('８万会員体制') as unknown as string, new_value: 'null' },
    ]);
    expect(db.sqlite.prepare('select label, term_goal_value, note from target where id = ?').get(id)).toEqual({ label: '会員数', term_goal_value: 84000, note: null });
  });

  it('logs a delete with the old row', () => {
    const { db } = seeded();
    const row = db.sqlite.prepare("select * from target_value where target_id = ? and fiscal_year = 2020").get(targetId(db.sqlite, 'p5-members')) as Record<string, unknown> & { id: string };
    const { changeSetId } = withChange(db.sqlite, { label: '削除' }, (w) => w.delete('target_value', row.id));
    const [change] = changesOf(db.sqlite, changeSetId!);
    expect(change).toMatchObject({ table_name: 'target_value', row_id: row.id, op: 'delete', column_name: null, new_value: null });
    expect(JSON.parse(change!.old_value!)).toEqual(row);
    expect(db.sqlite.prepare('select count(*) as n from target_value where id = ?').get(row.id)).toEqual({ n: 0 });
  });

  it('keeps no change set for an action that changed nothing (no empty undo step)', () => {
    const { db } = seeded();
    const sets = count(db.sqlite, 'change_set');
    const id = targetId(db.sqlite, 'p5-members');
    const r = withChange(db.sqlite, { label: '同じ値' }, (w) => w.update('target', id, { term_goal_value: 83000 }));
    expect(r).toEqual({ result: 0, changeSetId: null, changed: 0 });
    expect(count(db.sqlite, 'change_set')).toBe(sets);
  });

  it('commits the data and its log together: another connection sees neither until the end', () => {
    const { db, path } = seeded();
    const reader = new Database(path, { readonly: true });
    cleanups.push(() => reader.close());
    const changesBefore = count(reader, 'change');
    const id = targetId(db.sqlite, 'p5-members');
    withChange(db.sqlite, { label: 'セルの編集' }, (w) => {
      w.update('target', id, { term_goal_value: 85000 });
      expect(count(reader, 'change')).toBe(changesBefore);
      expect(reader.prepare('select term_goal_value as v from target where id = ?').get(id)).toEqual({ v: 83000 });
    });
    expect(count(reader, 'change')).toBe(changesBefore + 1);
    expect(reader.prepare('select term_goal_value as v from target where id = ?').get(id)).toEqual({ v: 85000 });
  });

  it('leaves neither data nor log when the action throws midway', () => {
    const { db } = seeded();
    const dumpBefore = dumpPlan(db.sqlite);
    const counts = { change: count(db.sqlite, 'change'), change_set: count(db.sqlite, 'change_set'), unit: count(db.sqlite, 'unit') };
    const id = targetId(db.sqlite, 'p5-members');
    expect(() =>
      withChange(db.sqlite, { label: '途中で失敗' }, (w) => {
        w.insert('unit', { id: randomUUID(), kind: 'department', name: '途中部', short_name: null, position: 100 });
        w.update('target', id, { term_goal_value: 1 });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect({ change: count(db.sqlite, 'change'), change_set: count(db.sqlite, 'change_set'), unit: count(db.sqlite, 'unit') }).toEqual(counts);
    expect(dumpPlan(db.sqlite)).toStrictEqual(dumpBefore);
  });
});

describe('applyGridEdits (cell edits)', () => {
  it('writes a batch as one change set with the old and new value of each cell', () => {
    const { db } = seeded();
    const id = targetId(db.sqlite, 'p5-members');
    const { changeSetId } = applyGridEdits(db.sqlite, '貼り付け（2セル）', [
      { entity: 'target', id, field: 'planValue', fiscalYear: 2020, value: '8万2千' },
      { entity: 'target', id, field: 'actualValue', fiscalYear: 2020, value: '81,523件' },
    ]);
    const changes = changesOf(db.sqlite, changeSetId!);
    expect(changes.map((c) => [c.table_name, c.op, c.column_name, c.old_value, c.new_value])).toEqual([
      ['target_value', 'update', 'plan_value', '81000', '82000'],
      ['target_value', 'update', 'actual_value', 'null', '81523'],
    ]);
    expect(changeSet(db.sqlite, changeSetId!)!.label).toBe('貼り付け（2セル）');
  });

  it('changes nothing when the third of 3 edits does not parse, with a Japanese AppError naming the cell', () => {
    const { db } = seeded();
    const sqlite = db.sqlite;
    const members = targetId(sqlite, 'p5-members');
    const startup = targetId(sqlite, 'p2-startup-support');
    const before = dumpPlan(sqlite);
    const counts = { change: count(sqlite, 'change'), change_set: count(sqlite, 'change_set'), target_value: count(sqlite, 'target_value') };
    const edits: CellEdit[] = [
      { entity: 'target', id: members, field: 'actualValue', fiscalYear: 2020, value: '81,523' },
      { entity: 'target', id: startup, field: 'planValue', fiscalYear: 2021, value: '延3,400名' },
      { entity: 'target', id: members, field: 'planValue', fiscalYear: 2021, value: '12a3' },
    ];
    let error: unknown;
    try {
      applyGridEdits(sqlite, '貼り付け（3セル）', edits);
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
    expect(dumpPlan(sqlite)).toStrictEqual(before);
    expect({ change: count(sqlite, 'change'), change_set: count(sqlite, 'change_set'), target_value: count(sqlite, 'target_value') }).toEqual(counts);
  });

  it('refuses a figure in another unit (3,300社 for a 名 target) in Japanese, and writes nothing', () => {
    const { db } = seeded();
    const before = dumpPlan(db.sqlite);
    const id = targetId(db.sqlite, 'p2-startup-support');
    let error: unknown;
    try {
      applyGridEdits(db.sqlite, 'セルの編集', [{ entity: 'target', id, field: 'actualValue', fiscalYear: 2020, value: '3,300社' }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).messageJa).toContain('単位「社」');
    expect((error as AppError).messageJa).toContain('「名」');
    expect(dumpPlan(db.sqlite)).toStrictEqual(before);
  });

  it('refuses an edit of a row that does not exist', () => {
    const { db } = seeded();
    expect(() => applyGridEdits(db.sqlite, 'セルの編集', [{ entity: 'target', id: randomUUID(), field: 'label', value: 'x' }])).toThrow(
      expect.objectContaining({ code: 'not_found', messageJa: expect.stringContaining('見つかりません') as unknown }),
    );
  });
});
