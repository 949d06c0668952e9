import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FromService } from '../../electron/api/protocol';
import { type ServiceChannel, ServiceClient } from '../../electron/api/service-client';
import { WriterLock } from '../../electron/db/writer-lock';
import { seededDatabase } from '../helpers/seeded-db';

/**
 * The services' entry under plain Node, as a child process (child_process.fork): it answers
 * contract calls over the message protocol, asks its parent for the PDF (a host request), holds the
 * database's writer lock while it has the file open, and gives it back when asked to close.
 */

const entry = join(import.meta.dirname, '..', '..', 'electron', 'api', 'service-process.ts');
let env: Awaited<ReturnType<typeof seededDatabase>>;
let child: ChildProcess;
let client: ServiceClient;
const pdfRequests: string[][] = [];

function childChannel(c: ChildProcess): ServiceChannel {
  return {
    post: (m) => void c.send(m),
    onMessage: (listener) => c.on('message', (m) => listener(m as FromService)),
    onExit: (listener) => c.on('exit', (code) => listener(`child exited with ${code}`)),
    stop: async () => {
      if (c.exitCode === null) {
        const exited = new Promise((r) => c.once('exit', r));
        c.kill();
        await exited;
      }
    },
  };
}

beforeAll(async () => {
  env = await seededDatabase();
  await env.db.db.close();
  child = fork(entry, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  client = new ServiceClient(childChannel(child), {
    renderPdf: async ({ pages }) => {
      pdfRequests.push(pages);
      return pages.map((p) => new TextEncoder().encode(`%PDF-stand-in ${p.length}`));
    },
  });
  client.start({ appVersion: 'test', transport: 'http' });
});
afterAll(async () => {
  await client.stop();
  await env.cleanup();
});

describe('the services entry as a child process', () => {
  it('opens the file as its only writer and answers calls', async () => {
    expect(await client.control({ op: 'open', path: env.path })).toEqual({ path: env.path, fileName: 'plan.plandb' });
    expect(() => WriterLock.acquire(env.path)).toThrow(expect.objectContaining({ code: 'database_busy', message: expect.stringContaining(`pid ${child.pid}`) }));
    const summary = await client.call('plan.summary', {});
    expect(summary).toMatchObject({ ok: true, value: { startYear: 2020, endYear: 2022 } });
    expect(await client.call('no.such.method', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  }, 60_000);

  it('asks the entry point for the PDF and passes the bytes back and forth intact', async () => {
    const r = await client.call('export.save', { layout: 'overview', fiscalYear: 2021, formats: ['xlsx', 'pdf'] });
    expect(r.ok).toBe(true);
    const files = (r as { value: { status: string; files: { format: string; base64: string }[] } }).value;
    expect(files.status).toBe('download');
    expect(pdfRequests).toHaveLength(1);
    expect(pdfRequests[0]![0]).toContain('<html');
    const pdf = Buffer.from(files.files.find((f) => f.format === 'pdf')!.base64, 'base64').toString();
    expect(pdf).toBe(`%PDF-stand-in ${pdfRequests[0]![0]!.length}`);
    expect(Buffer.from(files.files.find((f) => f.format === 'xlsx')!.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
  }, 60_000);

  it('refuses a second file open elsewhere, keeps the first, and gives the lock back on close', async () => {
    const other = await seededDatabase();
    const lock = WriterLock.acquire(other.path);
    try {
      await expect(client.control({ op: 'open', path: other.path })).rejects.toMatchObject({ code: 'database_busy' });
      expect(await client.call('app.info', {})).toMatchObject({ ok: true, value: { dbFileName: 'plan.plandb' } });
    } finally {
      lock.release();
      await other.cleanup();
    }
    await client.control({ op: 'close' });
    WriterLock.acquire(env.path).release();
  }, 60_000);
});
