import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlanDatabase } from '../../electron/db/open';
import { createHandler, type Handler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { seededDatabase } from '../helpers/seeded-db';
import { fileHashes } from '../helpers/services-http';
import { countRows, sqliteFileOf } from '../helpers/plan-sql';

/**
 * Cancelling an import while it is being applied: up to the moment it starts writing, a cancel
 * leaves the plan file byte-identical and the review usable; the same apply then goes through.
 * (The services on the calling thread, as the command line runs them.)
 */

let env: Awaited<ReturnType<typeof seededDatabase>>;
let ws: Workspace;
let handle: Handler;
let colleague: string;

beforeAll(async () => {
  env = await seededDatabase();
  ws = new Workspace('test', join(env.dir, 'userdata'));
  await ws.use(env.db);
  handle = createHandler(ws, 'http', () => {});
  // A colleague's copy with a few rows rewritten.
  colleague = join(env.dir, 'colleague.plandb');
  await sqliteFileOf(env.db.db).backup(colleague);
  const other = new Workspace('test');
  await other.use(openPlanDatabase(colleague));
  const theirs = createHandler(other, 'http', () => {});
  const rows = (await theirs('actionRows.list', { fiscalYear: 2020 })) as { value: { id: string }[] };
  const edits = rows.value.slice(0, 5).map((r, i) => ({ entity: 'actionRow', id: r.id, field: 'termPlan', value: `・同僚が書き換えた到達目標 ${i}` }));
  expect(await theirs('edits.apply', { label: '同僚の編集', edits })).toMatchObject({ ok: true });
  await other.close();
});
afterAll(async () => {
  await ws.close();
  await env.cleanup();
});

const changeSets = () => countRows(ws.current.db, 'change_set');

describe('cancelling import.apply', () => {
  it('before it writes: cancelled, the file byte-identical; then the same review applies', async () => {
    const analysed = (await handle('import.analyze', { source: { kind: 'upload', fileName: 'colleague.plandb', base64: readFileSync(colleague).toString('base64') } })) as {
      ok: true;
      value: { review: { reviewId: string; items: { id: string; conflict: boolean }[] } };
    };
    const { reviewId, items } = analysed.value.review;
    expect(items.length).toBeGreaterThan(0);
    const take = items.filter((i) => !i.conflict).map((i) => i.id);
    const keep = items.filter((i) => i.conflict).map((i) => i.id);
    sqliteFileOf(ws.current.db).pragma('wal_checkpoint(TRUNCATE)');
    const before = fileHashes(env.path);
    const sets = await changeSets();

    const jobKey = randomUUID();
    const applying = handle('import.apply', { reviewId, take, keep, jobKey });
    expect(await handle('jobs.cancel', { key: jobKey })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await applying).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(fileHashes(env.path)).toBe(before);
    expect(await changeSets()).toBe(sets);
    expect(await handle('jobs.progress', { key: jobKey })).toEqual({ ok: true, value: { phase: null, fraction: null } });

    const applied = await handle('import.apply', { reviewId, take, keep, jobKey: randomUUID() });
    expect(applied).toMatchObject({ ok: true, value: { applied: take.length } });
    expect(await changeSets()).toBe(sets + 1);
  });

  it('a cancel of a key nobody uses cancels nothing that runs', async () => {
    expect(await handle('jobs.cancel', { key: randomUUID() })).toEqual({ ok: true, value: { cancelled: false } });
    expect(await handle('plan.summary', {})).toMatchObject({ ok: true });
  });
});
