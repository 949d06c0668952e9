import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlanServer, type PlanServer } from '../../electron/server/http-server';
import { createHandler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { seededDatabase } from '../helpers/seeded-db';

let env: Awaited<ReturnType<typeof seededDatabase>>;
let ws: Workspace;
let server: PlanServer;

beforeAll(async () => {
  env = await seededDatabase();
  ws = new Workspace('test');
  await ws.use(env.db);
  server = await startPlanServer({ handler: createHandler(ws, 'http', () => {}) });
});
afterAll(async () => {
  await server.close();
  await ws.close();
  await env.cleanup();
});

interface Reply {
  status: number;
  body: string;
}

function call(opts: { host?: string; headers?: Record<string, string>; body?: string; method?: string; path?: string; address?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: opts.address ?? '127.0.0.1',
        port: server.port,
        method: opts.method ?? 'POST',
        path: opts.path ?? '/api',
        headers: { host: opts.host ?? `127.0.0.1:${server.port}`, 'content-type': 'application/json', ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body ?? JSON.stringify({ method: 'plan.summary', args: {} }));
  });
}

describe('browser-mode HTTP transport', () => {
  it('listens on 127.0.0.1 only and prints a URL with a random token', async () => {
    const addr = server.server.address();
    expect(addr).toMatchObject({ address: '127.0.0.1' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const other = await startPlanServer({ handler: createHandler(ws, 'http', () => {}) });
    expect(other.token).not.toBe(server.token);
    await other.close();
  });

  it('answers the contract with the token', async () => {
    const r = await call({ headers: { 'x-plan-token': server.token } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { startYear: 2020, endYear: 2022 } });
  });

  it('refuses a call without the token or with a wrong one', async () => {
    expect((await call({})).status).toBe(401);
    expect((await call({ headers: { 'x-plan-token': server.token.slice(0, -1) + 'x' } })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    expect((await call({ host: `evil.example:${server.port}`, headers: { 'x-plan-token': server.token } })).status).toBe(403);
    expect((await call({ headers: { 'x-plan-token': server.token, origin: 'http://evil.example' } })).status).toBe(403);
    expect((await call({ headers: { 'x-plan-token': server.token, origin: `http://127.0.0.1:${server.port}` } })).status).toBe(200);
  });

  it('is not reachable on a non-loopback address of this machine', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // a machine with loopback only has nothing else to try
    await expect(call({ address: external.address, headers: { 'x-plan-token': server.token } })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('does not serve files outside the renderer folder', async () => {
    const r = await call({ method: 'GET', path: '/../../package.json', headers: {} });
    expect([403, 404]).toContain(r.status);
  });
});
