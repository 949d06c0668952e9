import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { PlanServer } from '../../electron/server/http-server';

/** HTTP calls to a browser-mode server, as the page makes them. */

export interface Reply {
  status: number;
  body: string;
}

export function httpGet(server: PlanServer, path: string): Promise<Reply> {
  return send(server, 'GET', path, undefined);
}

export async function apiCall<T = unknown>(server: PlanServer, method: string, args: unknown): Promise<{ ok: boolean; value?: T; error?: { code: string; message: string } }> {
  const r = await send(server, 'POST', '/api', JSON.stringify({ method, args }));
  if (r.status !== 200) throw new Error(`${method}: HTTP ${r.status} ${r.body}`);
  return JSON.parse(r.body) as { ok: boolean; value?: T; error?: { code: string; message: string } };
}

function send(server: PlanServer, method: string, path: string, body: string | undefined): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', 'x-plan-token': server.token } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The database file and its -wal, as bytes on disk. */
export function fileHashes(dbPath: string): string {
  const h = (p: string) => (existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : '-');
  return `${h(dbPath)} ${h(`${dbPath}-wal`)}`;
}

/** The job folders left in the private temp root under `base` (electron/files/private-temp.ts). */
export function leftJobFolders(base: string = tmpdir()): string[] {
  const uid = process.getuid?.();
  const root = join(base, `plan-workbench-${uid !== undefined ? String(uid) : userInfo().username}`);
  return existsSync(root) ? readdirSync(root).filter((n) => n.startsWith('job-')) : [];
}

/** Polls `check` until it is true; fails after `ms` (a bound against hanging, not a timing assertion). */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
