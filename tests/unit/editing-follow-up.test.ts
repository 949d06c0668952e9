import { join } from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../../shared/contract/methods';
import type { ChangeFollowUp, GridEdit, ScreenRef } from '../../shared/domain/editing';
import { createHandler } from '../../electron/api/handlers';
import type { PlanDb } from '../../electron/db/plan-db';
import { copyPlan } from '../../electron/db/plan-copy';
import { createDatabase } from '../../electron/workspace/create-database';
import { Workspace } from '../../electron/workspace/workspace';
import { patchRows, rowIdOf, type RowOf, type ScreenName } from '../../renderer/src/grid/apply-changes';
import { scaleBundle } from '../bench/synthetic';
import { firstOf, rowsOf } from '../helpers/plan-sql';
import { realSeeds } from '../helpers/seeded-db';
import { emptyPlan, engines, type PlanUnderTest, seededPlan } from '../helpers/engines';

// A write that names its screen answers with the rows of it that changed: merged into the screen as
// it was before (the renderer's own merge), they must give exactly what reading the screen again gives.

describe.each(engines)('%s', (engine) => {
  let env: PlanUnderTest;
  let ws: Workspace;
  let handle: ReturnType<typeof createHandler>;
  let db: PlanDb;

  beforeAll(async () => {
    env = await seededPlan(engine);
    ws = new Workspace('test', join(env.dir, 'userdata'));
    await ws.use(env.opened);
    handle = createHandler(ws, 'http', () => {});
    db = env.db;
  });
  afterAll(async () => {
    await ws.close();
    await env.cleanup();
  });

  async function call<T>(method: MethodName, args: unknown): Promise<T> {
    const outcome = await handle(method, args);
    if (!outcome.ok) throw new Error(`${method}: ${JSON.stringify(outcome.error)}`);
    expect(contract[method].result.safeParse(outcome.value).success, method).toBe(true);
    return outcome.value as T;
  }

  function list(ref: ScreenRef): Promise<RowOf<ScreenName>[]> {
    const unit = ref.unitId ? { unitId: ref.unitId } : {};
    switch (ref.name) {
      case 'actionRows':
        return call('actionRows.list', { fiscalYear: ref.fiscalYear, ...unit });
      case 'targets':
        return call('targets.list', unit);
      case 'unitFocus':
        return call('unitFocus.list', { which: ref.which, ...unit });
      case 'overview':
        return call('overview.list', { fiscalYear: ref.fiscalYear, ...unit });
    }
  }

  type Answer = ChangeFollowUp & { id?: string | null; label?: string };

  /** Writes through the contract naming `screen`; checks that its answer, merged into the screen as it was, is the screen as it is now. */
  async function roundTrip(method: MethodName, args: Record<string, unknown>, screen: ScreenRef) {
    const before = await list(screen);
    const answer = await call<Answer>(method, { ...args, screen });
    const after = await list(screen);
    expect(answer.screen?.name).toBe(screen.name);
    expect(patchRows(before, answer.screen!, rowIdOf(screen.name))).toEqual(after);
    return { before, after, answer, ids: answer.screen!.rows.map(rowIdOf(screen.name)) };
  }

  const one = async <T>(query: RawBuilder<T>) => (await firstOf(db, query))!;
  const many = <T>(query: RawBuilder<T>) => rowsOf(db, query);
  const unitId = async (name: string) => (await one(sql<{ id: string }>`select id from unit where name = ${name}`)).id;
  const edit = (edits: GridEdit[]) => ({ label: 'セルの編集', edits });

  const actionRows: ScreenRef = { name: 'actionRows', fiscalYear: 2021 };
  const targets: ScreenRef = { name: 'targets' };
  const branches: ScreenRef = { name: 'unitFocus', which: 'branches' };
  const committees: ScreenRef = { name: 'unitFocus', which: 'committees' };
  const overview: ScreenRef = { name: 'overview', fiscalYear: 2021 };

  describe('a typed cell answers with its row as stored', () => {
    it('the goal cell of a table row: that row alone, in place, with the undo label and no units', async () => {
      const row = await one(sql<{ id: string }>`select id from action_row order by page, position limit 1 offset 3`);
      const { answer, ids } = await roundTrip('edits.apply', edit([{ entity: 'actionRow', id: row.id, field: 'termPlan', value: '一行目\r\n二行目' }]), actionRows);
      expect(ids).toEqual([row.id]);
      expect((answer.screen!.rows[0] as RowOf<'actionRows'>).termPlan).toBe('一行目\n二行目');
      expect(answer.screen!.order).toBeNull();
      expect(answer.undo.undoLabel).toBe('セルの編集');
      expect(answer.units).toBeUndefined();
    });

    it('a plan value typed as 2.5万 comes back as the number stored', async () => {
      const target = await one(sql<{ id: string }>`select id from target where unit = '社' limit 1`);
      const { answer, ids } = await roundTrip('edits.apply', edit([{ entity: 'target', id: target.id, field: 'planValue', fiscalYear: 2022, value: '2.5万' }]), targets);
      expect(ids).toEqual([target.id]);
      expect((answer.screen!.rows[0] as RowOf<'targets'>).values['2022']?.plan).toBe(25000);
    });

    it('a theme’s text: also the targets that show it as their owner, and the overview items of its table row', async () => {
      const theme = await one(sql<{ id: string; row_id: string }>`select th.id, th.row_id from theme th where exists (select 1 from target t where t.theme_id = th.id) limit 1`);
      const owned = (await many(sql<{ id: string }>`select id from target where theme_id = ${theme.id}`)).map((t) => t.id);
      const { ids } = await roundTrip('edits.apply', edit([{ entity: 'theme', id: theme.id, field: 'text', value: '書き直したテーマ' }]), targets);
      expect(ids).toEqual(expect.arrayContaining(owned));

      const first = await one(
        sql<{ id: string; row_id: string }>`select th.id, th.row_id from theme th join overview_item i on i.row_id = th.row_id where th.position = (select min(position) from theme where row_id = th.row_id) limit 1`,
      );
      const { answer } = await roundTrip('edits.apply', edit([{ entity: 'theme', id: first.id, field: 'text', value: '年度計画から見えるテーマ' }]), overview);
      expect((answer.screen!.rows as RowOf<'overview'>[]).filter((i) => i.rowId === first.row_id).map((i) => i.rowTheme)).toContain('年度計画から見えるテーマ');
    });

    it('a focus text two sections share: both rows; clearing it for one changes whom the other shares it with', async () => {
      const [a, b] = [await unitId('商業部会'), await unitId('商業卸売部会')];
      const shared = await roundTrip('edits.apply', edit([{ entity: 'focusSlot', unitId: b, period: '2021', value: '合同の重点' }]), committees);
      expect(shared.ids).toEqual(expect.arrayContaining([a, b]));
      const cleared = await roundTrip('edits.apply', edit([{ entity: 'focusSlot', unitId: b, period: '2021', value: null }]), committees);
      expect(cleared.ids).toEqual(expect.arrayContaining([a, b]));
      expect((cleared.after as RowOf<'unitFocus'>[]).find((r) => r.unitId === a)?.focus['2021']?.sharedWith).toEqual([a]);
      expect(cleared.answer.units?.find((u) => u.id === b)?.focusCount).toBe((await call<{ id: string; focusCount: number }[]>('units.list', {})).find((u) => u.id === b)?.focusCount);
    });

    it('a unit’s name: its row, and the units list for the sidebar', async () => {
      const branch = await unitId('千代田支部');
      const { answer, ids } = await roundTrip('edits.apply', edit([{ entity: 'unitName', id: branch, value: '千代田中央支部' }]), branches);
      expect(ids).toEqual([branch]);
      expect(answer.units?.find((u) => u.id === branch)?.name).toBe('千代田中央支部');
    });
  });

  describe('主な担当 under a unit filter brings rows in and takes them out', () => {
    it('on the action plan, the targets and the overview, through an edit, its undo and its redo', async () => {
      const row = await one(sql<{ id: string }>`select i.row_id as id from overview_item i where i.row_id in (select row_id from target) limit 1`);
      const unit = await one(sql<{ id: string; name: string }>`select id, name from unit where kind = 'committee' and id not in (select unit_id from assignment where row_id = ${row.id}) limit 1`);
      const names = (await many(sql<{ name: string }>`select u.name from assignment a join unit u on u.id = a.unit_id where a.row_id = ${row.id} order by a.position`)).map((u) => u.name);
      const filtered = <R extends ScreenRef>(ref: R): R => ({ ...ref, unitId: unit.id });
      const rowsBefore = (await call<{ id: string; rowCount: number }[]>('units.list', {})).find((u) => u.id === unit.id)!.rowCount;

      const joined = await roundTrip('edits.apply', edit([{ entity: 'assignments', id: row.id, value: [...names, unit.name].join('\n') }]), filtered(actionRows));
      expect(joined.before.map(rowIdOf('actionRows'))).not.toContain(row.id);
      expect(joined.after.map(rowIdOf('actionRows'))).toContain(row.id);
      expect(joined.answer.screen!.order).not.toBeNull();
      expect(joined.answer.units?.find((u) => u.id === unit.id)?.rowCount).toBe(rowsBefore + 1);

      const left = await roundTrip('history.undo', {}, filtered(targets));
      expect(left.answer.label).toBe('セルの編集');
      expect(left.before.length).toBeGreaterThan(left.after.length);
      expect(left.answer.undo.redoLabel).toBe('セルの編集');

      const back = await roundTrip('history.redo', {}, filtered(overview));
      expect(back.after.length).toBeGreaterThan(back.before.length);
    });
  });

  describe('row operations answer with the rows they changed and the new order', () => {
    it('a theme and a table row added below, on the action plan', async () => {
      const theme = await one(sql<{ id: string; row_id: string }>`select id, row_id from theme order by row_id limit 1`);
      const added = await roundTrip('rows.insert', { kind: 'theme', afterId: theme.id }, actionRows);
      expect(added.ids).toContain(theme.row_id);
      expect((added.answer.screen!.rows as RowOf<'actionRows'>[]).flatMap((r) => r.themes.map((t) => t.id))).toContain(added.answer.id);
      const row = await roundTrip('rows.insert', { kind: 'actionRow', afterId: theme.id }, actionRows);
      expect(row.after.length).toBe(row.before.length + 1);
      expect(row.answer.screen!.order).toEqual(row.after.map(rowIdOf('actionRows')));
    });

    it('a theme moved above the first of its table row moves the table row', async () => {
      const rows = await list(actionRows);
      const second = rows[1] as RowOf<'actionRows'>;
      const moved = await roundTrip('rows.move', { kind: 'theme', id: second.themes[0]!.id, direction: 'up' }, actionRows);
      expect(moved.after.map(rowIdOf('actionRows')).indexOf(second.id)).toBe(0);
    });

    it('a target deleted, then its delete undone', async () => {
      const target = await one(sql<{ id: string }>`select id from target where row_id is not null limit 1 offset 5`);
      const gone = await roundTrip('rows.delete', { kind: 'target', id: target.id }, targets);
      expect(gone.answer.screen!.removed).toContain(target.id);
      expect(gone.answer.units).toBeDefined();
      const again = await roundTrip('history.undo', {}, targets);
      expect(again.after.map(rowIdOf('targets'))).toContain(target.id);
    });

    it('a branch added, moved and deleted, with the units list each time', async () => {
      const first = await unitId('千代田中央支部');
      const added = await roundTrip('rows.insert', { kind: 'unit', afterId: first }, branches);
      const id = added.answer.id!;
      expect(added.answer.units?.some((u) => u.id === id)).toBe(true);
      const moved = await roundTrip('rows.move', { kind: 'unit', id, direction: 'down' }, branches);
      expect(moved.answer.units).toBeDefined();
      const deleted = await roundTrip('rows.delete', { kind: 'unit', id }, branches);
      expect(deleted.answer.screen!.removed).toEqual([id]);
      expect(deleted.answer.units?.some((u) => u.id === id)).toBe(false);
    });

    it('an overview item added, moved and deleted', async () => {
      const item = await one(sql<{ id: string }>`select id from overview_item order by position limit 1`);
      const added = await roundTrip('rows.insert', { kind: 'overviewItem', afterId: item.id }, overview);
      await roundTrip('rows.move', { kind: 'overviewItem', id: added.answer.id!, direction: 'up' }, overview);
      await roundTrip('rows.delete', { kind: 'overviewItem', id: added.answer.id! }, overview);
    });
  });

  describe('old callers', () => {
    it('a write that names no screen answers without rows, with the undo state', async () => {
      const row = await one(sql<{ id: string }>`select id from action_row limit 1`);
      const answer = await call<Answer>('edits.apply', edit([{ entity: 'actionRow', id: row.id, field: 'heading', value: '見出し' }]));
      expect(answer).toMatchObject({ changed: 1, undo: { undoLabel: 'セルの編集', redoLabel: null } });
      expect('screen' in answer).toBe(false);
    });
  });

  describe('a change of very many rows', () => {
    it('answers with the whole screen in order', async () => {
      // The plan of ten times the seeds, built as a file; on PostgreSQL copied into a database.
      const t = await emptyPlan(engine);
      const built = createDatabase(join(t.dir, 'big.plandb'), scaleBundle(realSeeds(), 10));
      if (engine === 'postgres') {
        await copyPlan(built.db, t.db);
        await built.db.close();
      }
      const big = engine === 'postgres' ? t.opened : built;
      const bigWs = new Workspace('test', join(t.dir, 'userdata'));
      await bigWs.use(big);
      const bigHandle = createHandler(bigWs, 'http', () => {});
      try {
        const ids = (await rowsOf(big.db, sql<{ id: string }>`select id from target`)).map((r) => r.id);
        expect(ids.length).toBeGreaterThan(600);
        const edits = ids.slice(0, 600).map((id) => ({ entity: 'target' as const, id, field: 'actualValue', fiscalYear: 2020, value: '7' }));
        const answer = await bigHandle('edits.apply', { label: '貼り付け', edits, screen: targets });
        const after = await bigHandle('targets.list', {});
        if (!answer.ok || !after.ok) throw new Error('refused');
        const screen = (answer.value as Answer).screen!;
        expect(screen.rows).toEqual(after.value);
        expect(screen.order).toEqual((after.value as { id: string }[]).map((r) => r.id));
      } finally {
        await bigWs.close();
        await t.cleanup();
      }
    });
  });
});

describe('merging an answer', () => {
  const idOf = (r: { id: string }) => r.id;
  const a = { id: 'a', v: 1 };
  const b = { id: 'b', v: 1 };
  it('keeps the rows it does not name as they were, and refuses an answer that does not fit what is held', () => {
    const merged = patchRows([a, b], { rows: [{ id: 'b', v: 2 }], removed: [], order: null }, idOf)!;
    expect(merged).toEqual([a, { id: 'b', v: 2 }]);
    expect(merged[0]).toBe(a);
    expect(patchRows([a, b], { rows: [], removed: ['a'], order: null }, idOf)).toEqual([b]);
    expect(patchRows([a, b], { rows: [], removed: [], order: ['b', 'a'] }, idOf)).toEqual([b, a]);
    // A new row with no order to place it, or an order naming a row nobody has: read the screen again.
    expect(patchRows([a], { rows: [b], removed: [], order: null }, idOf)).toBeNull();
    expect(patchRows([a], { rows: [], removed: [], order: ['a', 'c'] }, idOf)).toBeNull();
  });
});
