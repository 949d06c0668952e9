import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, methodNames } from '../../shared/contract/methods';
import { createHandler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { engines, type PlanUnderTest, reopen, seededPlan } from '../helpers/engines';
import { countRows, firstOf } from '../helpers/plan-sql';
import { editingSampleArgs } from '../helpers/editing-sample-args';
import { importSampleArgs } from '../helpers/import-sample-args';

describe.each(engines)('the contract handler on %s', (engine) => {
  let env: PlanUnderTest;
  let ws: Workspace;
  let logs: string[];
  let handle: ReturnType<typeof createHandler>;

  beforeAll(async () => {
    env = await seededPlan(engine);
    ws = new Workspace('test', join(env.dir, 'userdata'));
    await ws.use(env.opened);
    logs = [];
    handle = createHandler(ws, 'http', (l) => logs.push(l));
  });
  afterAll(async () => {
    await ws.close();
    await env.cleanup();
  });

  /** Arguments that satisfy each method's schema, for the seed plan. */
  async function sampleArgs(method: string): Promise<unknown> {
    const editing = await editingSampleArgs(method, handle);
    if (editing !== undefined) return editing;
    const imported = await importSampleArgs(method, handle);
    if (imported !== undefined) return imported;
    if (method === 'actionRows.list') return { fiscalYear: 2020 };
    if (method === 'jobs.progress' || method === 'jobs.cancel') return { key: randomUUID() };
    if (method === 'backups.preview' || method === 'backups.restore') {
      const taken = (await handle('backups.create', {})) as { ok: true; value: { id: string } };
      return { id: taken.value.id };
    }
    return {};
  }

  it('answers every method of the contract with a result its schema accepts', async () => {
    for (const method of methodNames) {
      const outcome = await handle(method, await sampleArgs(method));
      expect(outcome.ok, `${method}: ${JSON.stringify(outcome)}`).toBe(true);
      if (outcome.ok) expect(contract[method].result.safeParse(outcome.value).success, method).toBe(true);
    }
  });

  it('refuses an unknown method and invalid arguments before any service code runs', async () => {
    const unknown = await handle('db.dropEverything', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const invalid = await handle('actionRows.list', { fiscalYear: 'next year' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_arguments', message: '操作の引数が不正です。' } });
    const proto = await handle('__proto__', {});
    expect(proto.ok).toBe(false);
    expect(logs.some((l) => l.includes('invalid arguments'))).toBe(true);
  });

  it('saves an edit through the contract so that it is there after the plan is opened again', async () => {
    const rows = (await handle('actionRows.list', { fiscalYear: 2020 })) as { ok: true; value: { id: string }[] };
    const id = rows.value[2]!.id;
    const saved = await handle('edits.apply', { label: 'セルの編集', edits: [{ entity: 'actionRow', id, field: 'termPlan', value: '・見直した到達目標\n・二行目' }] });
    expect(saved).toMatchObject({ ok: true, value: { changed: 1 } });
    await ws.use(await reopen(env.location));
    const again = (await handle('actionRows.list', { fiscalYear: 2020 })) as { ok: true; value: { id: string; termPlan: string }[] };
    expect(again.value.find((r) => r.id === id)?.termPlan).toBe('・見直した到達目標\n・二行目');
  });

  it('returns a typed error with a Japanese message for a value that does not parse, and saves nothing', async () => {
    const target = (await firstOf(ws.current.db, sql<{ id: string }>`select id from target order by id limit 1`))!;
    const before = await countRows(ws.current.db, 'change');
    const outcome = await handle('edits.apply', { label: 'x', edits: [{ entity: 'target', id: target.id, field: 'termGoalValue', value: '二万くらい' }] });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_value' } });
    if (!outcome.ok) expect(outcome.error.message).toContain('数値として読めません');
    expect(await countRows(ws.current.db, 'change')).toEqual(before);
  });
});
