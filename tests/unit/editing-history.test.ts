import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlanDb } from '../../electron/db/plan-db';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { cellHistory } from '../../electron/model/editing/cell-history';
import { undo } from '../../electron/model/editing/undo';
import { firstOf } from '../helpers/plan-sql';
import { engines, usePlan } from '../helpers/engines';

describe.each(engines)('%s', (engine) => {
  const env = usePlan(engine);
  let db: PlanDb;
  beforeEach(() => void (db = env.db));

  const firstRow = async () => (await firstOf(db, sql<{ id: string; term_plan: string }>`select id, term_plan from action_row order by page, position limit 1`))!;
  const unitId = async (name: string) => (await firstOf(db, sql<{ id: string }>`select id from unit where name = ${name}`))!.id;

  describe('the history of a cell', async () => {
    it('lists who changed a cell when, from what to what, newest first, back to the creation', async () => {
      const row = await firstRow();
      await applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'A' }]);
      await applyGridEdits(db, '貼り付け（3セル）', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'B' }]);
      const h = await cellHistory(db, { entity: 'actionRow', id: row.id, field: 'termPlan' });
      expect(h.map((e) => [e.label, e.from, e.to])).toEqual([
        ['貼り付け（3セル）', 'A', 'B'],
        ['セルの編集', row.term_plan, 'A'],
        ['初期データの作成', null, row.term_plan],
      ]);
      expect(h[0]!.user).not.toBe('');
      expect(Date.parse(h[0]!.at)).toBeGreaterThan(Date.parse('2026-01-01'));
    });

    it('follows a year cell whose row was removed and made again', async () => {
      const row = await firstRow();
      const address = { entity: 'actionRow' as const, id: row.id, field: 'yearPlan', fiscalYear: 2021 };
      await applyGridEdits(db, 'セルの編集', [{ ...address, value: '一回目' }]);
      await applyGridEdits(db, 'セルの消去', [{ ...address, value: null }]);
      await applyGridEdits(db, 'セルの編集', [{ ...address, value: '二回目' }]);
      expect((await cellHistory(db, address)).map((e) => [e.label, e.from, e.to])).toEqual([
        ['セルの編集', null, '二回目'],
        ['セルの消去', '一回目', null],
        ['セルの編集', null, '一回目'],
      ]);
    });

    it('shows numbers with separators, 主な担当 by unit name, a focus slot, and undo steps', async () => {
      const t = (await firstOf(db, sql<{ id: string }>`select id from target where unit = '社' order by id limit 1`))!;
      await applyGridEdits(db, 'セルの編集', [{ entity: 'target', id: t.id, field: 'planValue', fiscalYear: 2022, value: '1.2万' }]);
      expect((await cellHistory(db, { entity: 'target', id: t.id, field: 'planValue', fiscalYear: 2022 }))[0]).toMatchObject({ from: null, to: '12,000' });

      const row = await firstRow();
      await applyGridEdits(db, 'セルの編集', [{ entity: 'assignments', id: row.id, value: '広報部' }]);
      const units = await cellHistory(db, { entity: 'assignments', id: row.id });
      expect(units.filter((e) => e.label === 'セルの編集').map((e) => [e.from, e.to])).toEqual(
        expect.arrayContaining([[null, '広報部'], ['中小企業のデジタルシフト推進委員会', null]]),
      );

      await applyGridEdits(db, 'セルの編集', [{ entity: 'focusSlot', unitId: await unitId('港支部'), period: 'term', value: '新しい3年間の重点' }]);
      await undo(db);
      expect((await cellHistory(db, { entity: 'focusSlot', unitId: await unitId('港支部'), period: 'term' })).slice(0, 2).map((e) => [e.label, e.to])).toEqual([
        ['元に戻す: セルの編集', expect.not.stringContaining('新しい')],
        ['セルの編集', '新しい3年間の重点'],
      ]);
    });
  });
});
