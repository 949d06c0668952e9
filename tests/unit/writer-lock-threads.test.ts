import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { privateTempRoot } from '../../electron/files/private-temp';
import { WriterLock } from '../../electron/db/writer-lock';
import { Workspace } from '../../electron/workspace/workspace';
import { seededDatabase, sqliteOf } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * The writer lock across the threads of one process: the app's and the browser mode's jobs
 * (export, hand-out, import analysis) run in worker threads beside the thread that writes.
 */

const helper = join(import.meta.dirname, '..', 'helpers', 'lock-thread.ts');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A thread of this process running tests/helpers/lock-thread.ts, with its own temp folder. */
function thread(op: 'acquire' | 'read', path: string, tmp: string) {
  const worker = new Worker(helper, { workerData: { op, path }, execArgv: ['--import', 'tsx'], env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp } });
  cleanups.push(() => worker.terminate());
  const replies: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  worker.on('message', (m: unknown) => (waiting.length > 0 ? waiting.shift()!(m) : replies.push(m)));
  const failed = new Promise<never>((_, reject) => worker.on('error', reject));
  const next = <T>() => Promise.race([replies.length > 0 ? Promise.resolve(replies.shift()) : new Promise((r) => waiting.push(r)), failed]) as Promise<T>;
  return { worker, next };
}

async function held() {
  const env = seededDatabase();
  await env.db.db.close();
  const ws = new Workspace('test');
  const tmp = tempDir('plan-thread-tmp-');
  cleanups.push(env.cleanup, tmp.cleanup, () => ws.close());
  return { ws, path: env.path, tmp: tmp.dir };
}

/** What a private copy would leave in the thread's temp folder (removed only when closed). */
const copies = (tmp: string) => {
  const root = privateTempRoot(tmp);
  return existsSync(root) ? readdirSync(root) : [];
};

describe('the writer lock in another thread of the same process', () => {
  it('a worker thread cannot take over the lock the main thread holds, and sees it as held by a live writer', async () => {
    const { ws, path, tmp } = await held();
    await ws.open(path);
    const lockText = readFileSync(`${path}.lock`, 'utf8');
    const t = thread('acquire', path, tmp);
    const r = await t.next<{ taken: boolean; heldBefore: boolean; code?: string; messageJa?: string }>();
    expect(r.taken).toBe(false);
    expect(r.code).toBe('database_busy');
    expect(r.heldBefore).toBe(true);
    // The main thread's lock is as it was, and its edits still go in.
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(lockText);
    await ws.current.db.q.insertInto('change_set').values({ at: '2026-01-01T00:00:00Z', user: 't', label: 'after the refusal' }).execute();
  });

  it('a second acquire in the same thread is refused too; reclaimOwn (the services restarted) takes it over on purpose', async () => {
    const { path } = await held();
    const first = WriterLock.acquire(path);
    cleanups.push(() => first.release());
    expect(() => WriterLock.acquire(path)).toThrow(expect.objectContaining({ code: 'database_busy' }));
    expect(() => WriterLock.acquire(path, { takeOver: true })).toThrow(expect.objectContaining({ code: 'database_busy' }));
    const second = WriterLock.acquire(path, { reclaimOwn: true });
    cleanups.push(() => second.release());
    expect(existsSync(`${path}.lock`)).toBe(true);
  });
});

describe('a job reading the plan while its writer holds the lock', () => {
  for (const checkpointed of [false, true])
    it(`reads the live file through a connection sharing the WAL, no private copy (${checkpointed ? 'right after a checkpoint' : 'edits only in the -wal'})`, async () => {
      const { ws, path, tmp } = await held();
      await ws.open(path);
      const write = (label: string, at: string) => ws.current.db.q.insertInto('change_set').values({ at, user: 't', label }).execute();
      await write('first edit', '2026-01-01T00:00:00Z');
      if (checkpointed) sqliteOf(ws.current).pragma('wal_checkpoint(TRUNCATE)');
      else expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
      const planBytes = readFileSync(path);

      const t = thread('read', path, tmp);
      const first = await t.next<{ name: string; labels: string[] }>();
      expect(first.name).toBe(path);
      expect(first.labels).toContain('first edit');
      expect(copies(tmp)).toEqual([]);

      // An edit committed after the job opened: the same connection sees it (a copy would not).
      await write('second edit', '2026-01-01T00:00:01Z');
      t.worker.postMessage('read');
      const second = await t.next<{ labels: string[] }>();
      expect(second.labels).toContain('second edit');
      if (!checkpointed) expect(readFileSync(path).equals(planBytes)).toBe(true);
      t.worker.postMessage('close');
      await new Promise((r) => t.worker.once('exit', r));
      expect(copies(tmp)).toEqual([]);
      // The writer goes on.
      await write('third edit', '2026-01-01T00:00:02Z');
    });
});
