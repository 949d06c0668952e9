import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sqlite } from '../../electron/db/open';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { cellHistory } from '../../electron/model/editing/cell-history';
import { undo } from '../../electron/model/editing/undo';
import { seededDatabase } from '../helpers/seeded-db';

let env: ReturnType<typeof seededDatabase>;
let db: Sqlite;
beforeEach(() => {
  env = seededDatabase();
  db = env.db.sqlite;
});
afterEach(() => env.cleanup());

const firstRow = () => db.prepare('select id, term_plan from action_row order by page, position limit 1').get() as { id: string; term_plan: string };
const unitId = (name: string) => (db.prepare('select id from unit where name = ?').get(name) as { id: string }).id;

describe('the history of a cell', () => {
  it('lists who changed a cell when, from what to what, newest first, back to the creation', () => {
    const row = firstRow();
    applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'A' }]);
    applyGridEdits(db, '貼り付け（3セル）', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'B' }]);
    const h = cellHistory(db, { entity: 'actionRow', id: row.id, field: 'termPlan' });
    expect(h.map((e) => [e.label, e.from, e.to])).toEqual([
      ['貼り付け（3セル）', 'A', 'B'],
      ['セルの編集', row.term_plan, 'A'],
      ['初期データの作成', null, row.term_plan],
    ]);
    expect(h[0]!.user).not.toBe('');
    expect(Date.parse(h[0]!.at)).toBeGreaterThan(Date.parse('2026-01-01'));
  });

  it('follows a year cell whose row was removed and made again', () => {
    const row = firstRow();
    const address = { entity: 'actionRow' as const, id: row.id, field: 'yearPlan', fiscalYear: 2021 };
    applyGridEdits(db, 'セルの編集', [{ ...address, value: '一回目' }]);
    applyGridEdits(db, 'セルの消去', [{ ...address, value: null }]);
    applyGridEdits(db, 'セルの編集', [{ ...address, value: '二回目' }]);
    expect(cellHistory(db, address).map((e) => [e.label, e.from, e.to])).toEqual([
      ['セルの編集', null, '二回目'],
      ['セルの消去', '一回目', null],
      ['セルの編集', null, '一回目'],
    ]);
  });

  it('shows numbers with separators, 主な担当 by unit name, a focus slot, and undo steps', () => {
    const t = db.prepare("select id from target where unit = '社' limit 1").get() as { id: string };
    applyGridEdits(db, 'セルの編集', [{ entity: 'target', id: t.id, field: 'planValue', fiscalYear: 2022, value: '1.2万' }]);
    expect(cellHistory(db, { entity: 'target', id: t.id, field: 'planValue', fiscalYear: 2022 })[0]).toMatchObject({ from: null, to: '12,000' });

    const row = firstRow();
    applyGridEdits(db, 'セルの編集', [{ entity: 'assignments', id: row.id, value: '広報部' }]);
    const units = cellHistory(db, { entity: 'assignments', id: row.id });
    expect(units.filter((e) => e.label === 'セルの編集').map((e) => [e.from, e.to])).toEqual(
      expect.arrayContaining([[null, '広報部'], ['中小企業のデジタルシフト推進委員会', null]]),
    );

    applyGridEdits(db, 'セルの編集', [{ entity: 'focusSlot', unitId: unitId('港支部'), period: 'term', value: '新しい3年間の重点' }]);
    undo(db);
    expect(cellHistory(db, { entity: 'focusSlot', unitId: unitId('港支部'), period: 'term' }).slice(0, 2).map((e) => [e.label, e.to])).toEqual([
      ['元に戻す: セルの編集', expect.not.stringContaining('新しい')],
      ['セルの編集', '新しい3年間の重点'],
    ]);
  });
});
