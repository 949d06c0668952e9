import { type RawBuilder, sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlanDb } from '../../electron/db/plan-db';
import { deleteImpact, deleteRow, insertRow, moveRow } from '../../electron/model/editing/row-ops';
import { listOverviewItems, listTargets, listUnitFocus } from '../../electron/model/queries/screen-queries';
import { listActionRows } from '../../electron/model/queries/plan-queries';
import { readPlanState } from '../../electron/model/plan-state';
import { planSchema } from '../../shared/import/plan-schema';
import { RowRemover } from '../../shared/import/state-edit';
import { countRows, firstOf } from '../helpers/plan-sql';
import { engines, usePlan } from '../helpers/engines';

describe.each(engines)('%s', (engine) => {
  const env = usePlan(engine);
  let db: PlanDb;
  beforeEach(() => void (db = env.db));

  const themeIds = async () => (await listActionRows(db, 2020)).flatMap((r) => r.themes.map((t) => t.id));
  const rows = () => listActionRows(db, 2020);
  const count = async (query: RawBuilder<{ n: number | string }>) => Number((await firstOf(db, query))?.n ?? 0);

  describe('row operations', () => {
    it('adds a theme right below another, in the same table row (sharing its cells)', async () => {
      const [first] = await rows();
      const { id } = await insertRow(db, 'theme', first!.themes[0]!.id);
      const after = (await rows())[0]!;
      expect(after.themes.map((t) => t.id)).toEqual([first!.themes[0]!.id, id, ...first!.themes.slice(1).map((t) => t.id)]);
      expect(after.themes[1]).toMatchObject({ text: '', pillarId: first!.themes[0]!.pillarId });
    });

    it('adds a table row of its own below the table row of a theme, with one empty theme', async () => {
      const before = await rows();
      const { id } = await insertRow(db, 'actionRow', before[0]!.themes[1]!.id);
      const after = await rows();
      expect(after).toHaveLength(before.length + 1);
      expect(after[1]!.themes.map((t) => t.id)).toEqual([id]);
      expect(after[1]).toMatchObject({ termPlan: '', unitIds: [], yearPlan: null, page: before[0]!.page });
      expect(after[2]!.id).toBe(before[1]!.id);
    });

    it('deleting the last theme of a table row deletes the row with its targets, years and 主な担当; overview items keep their text', async () => {
      const linked = (await firstOf(db, sql<{ row_id: string }>`select row_id from overview_item where row_id is not null order by id limit 1`))!;
      const row = (await rows()).find((r) => r.id === linked.row_id)!;
      for (const t of row.themes.slice(1)) await deleteRow(db, 'theme', t.id);
      expect((await deleteImpact(db, 'theme', row.themes[0]!.id)).what).toMatch(/^表の行/);
      await deleteRow(db, 'theme', row.themes[0]!.id);
      expect((await rows()).find((r) => r.id === row.id)).toBeUndefined();
      expect(await count(sql`select count(*) as n from target where row_id = ${row.id}`)).toBe(0);
      expect(await count(sql`select count(*) as n from assignment where row_id = ${row.id}`)).toBe(0);
      expect(await count(sql`select count(*) as n from year_plan where row_id = ${row.id}`)).toBe(0);
      expect(await count(sql`select count(*) as n from overview_item where row_id = ${row.id}`)).toBe(0);
      expect((await listOverviewItems(db, 2021)).length).toBe(50);
    });

    it('deleting one of several themes keeps the table row; the theme’s targets stay with the row', async () => {
      let row: Awaited<ReturnType<typeof rows>>[number] | undefined;
      for (const r of await rows()) {
        if (r.themes.length > 1 && (await count(sql`select count(*) as n from target where theme_id = ${r.themes[0]!.id}`)) > 0) {
          row = r;
          break;
        }
      }
      const targetsOfRow = await count(sql`select count(*) as n from target where row_id = ${row!.id}`);
      expect((await deleteImpact(db, 'theme', row!.themes[0]!.id)).what).toMatch(/^テーマ/);
      await deleteRow(db, 'theme', row!.themes[0]!.id);
      expect((await rows()).find((r) => r.id === row!.id)!.themes).toHaveLength(row!.themes.length - 1);
      expect(await count(sql`select count(*) as n from target where row_id = ${row!.id}`)).toBe(targetsOfRow);
    });

    it('moves a theme within its row, then the whole table row; across a page break the row takes the other’s place', async () => {
      const before = await rows();
      const pageEnd = before.findIndex((r, i) => before[i + 1] && before[i + 1]!.page !== r.page);
      const last = before[pageEnd]!;
      const next = before[pageEnd + 1]!;
      // The last theme of the page's last table row is at the edge of its row: the whole row moves.
      await moveRow(db, 'theme', last.themes.at(-1)!.id, 'down');
      const after = await rows();
      expect(after[pageEnd]!.id).toBe(next.id);
      expect(after[pageEnd]!.page).toBe(last.page);
      expect(after[pageEnd + 1]!.id).toBe(last.id);
      expect(after[pageEnd + 1]!.page).toBe(next.page);
      await expect(moveRow(db, 'theme', (await themeIds())[0]!, 'up')).rejects.toThrow(/cannot move/);
    });

    it('adds, moves and deletes targets with their values', async () => {
      const [t1, t2] = await listTargets(db);
      const { id } = await insertRow(db, 'target', t1!.id);
      expect((await listTargets(db)).slice(0, 3).map((t) => t.id)).toEqual([t1!.id, id, t2!.id]);
      await moveRow(db, 'target', t1!.id, 'down');
      expect((await listTargets(db)).slice(0, 2).map((t) => t.id)).toEqual([id, t1!.id]);
      expect(await count(sql`select count(*) as n from target_value where target_id = ${t1!.id}`)).toBeGreaterThan(0);
      await deleteRow(db, 'target', t1!.id);
      expect(await count(sql`select count(*) as n from target_value where target_id = ${t1!.id}`)).toBe(0);
    });

    it('adds a unit of the same kind with a free name, moves it, and deleting a unit takes its focus and 主な担当', async () => {
      const branches = await listUnitFocus(db, 'branches');
      const { id } = await insertRow(db, 'unit', branches[0]!.unitId);
      const after = await listUnitFocus(db, 'branches');
      expect(after[1]).toMatchObject({ unitId: id, name: '新しい支部', kind: 'branch' });
      await moveRow(db, 'unit', id!, 'up');
      expect((await listUnitFocus(db, 'branches'))[0]!.unitId).toBe(id);
      const minato = branches.find((b) => b.name === '港支部')!;
      expect((await deleteImpact(db, 'unit', minato.unitId)).details.join()).toMatch(/重点取組内容 \d+件/);
      await deleteRow(db, 'unit', minato.unitId);
      expect(await count(sql`select count(*) as n from unit_focus_unit where unit_id = ${minato.unitId}`)).toBe(0);
      expect((await listUnitFocus(db, 'branches')).map((b) => b.name)).not.toContain('港支部');
    });

    it('adds, moves and deletes overview items within their group', async () => {
      const [a, b] = await listOverviewItems(db, 2021);
      const { id } = await insertRow(db, 'overviewItem', a!.id);
      expect((await listOverviewItems(db, 2021)).slice(0, 3).map((i) => i.id)).toEqual([a!.id, id, b!.id]);
      await moveRow(db, 'overviewItem', id!, 'up');
      expect((await listOverviewItems(db, 2021))[0]!.id).toBe(id);
      await deleteRow(db, 'overviewItem', id!);
      expect(await listOverviewItems(db, 2021)).toHaveLength(50);
    });

    it('deleting a unit names the joint projects it leaves, and takes the focus texts only it held', async () => {
      const unit = (await firstOf(
        db,
        sql<{ id: string; projects: number; alone: number }>`select * from (
             select u.id, (select count(*) from joint_project_unit where unit_id = u.id) as projects,
               (select count(*) from unit_focus_unit l where l.unit_id = u.id and (select count(*) from unit_focus_unit o where o.focus_id = l.focus_id) = 1) as alone
             from unit u) c
           where projects > 0 and alone > 0 order by id limit 1`,
      ))!;
      expect((await deleteImpact(db, 'unit', unit.id)).details).toContain(`支部連携事業 ${Number(unit.projects)}件から外れます`);
      const focus = await countRows(db, 'unit_focus');
      await deleteRow(db, 'unit', unit.id);
      expect(await countRows(db, 'unit_focus')).toBe(focus - Number(unit.alone));
      expect(await count(sql`select count(*) as n from joint_project_unit where unit_id = ${unit.id}`)).toBe(0);
    });

    it('the import’s model of the plan deletes a unit as the app does: the focus texts only it held go too', async () => {
      const unit = (await firstOf(
        db,
        sql<{ id: string }>`select unit_id as id from unit_focus_unit l where (select count(*) from unit_focus_unit o where o.focus_id = l.focus_id) = 1 order by id limit 1`,
      ))!.id;
      const state = await readPlanState(db);
      await new RowRemover(state, planSchema).remove('unit', unit);
      await deleteRow(db, 'unit', unit);
      expect(state).toEqual(await readPlanState(db));
    });
  });
});
