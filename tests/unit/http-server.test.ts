import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlanServer, type PlanServer } from '../../electron/server/http-server';
import { createHandler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { seededPlan } from '../helpers/engines';
import { testServerUrl } from '../helpers/pg-database';
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
    // One character off (a token ending in 'x' would otherwise be "changed" into itself).
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('x') ? 'y' : 'x');
    expect((await call({ headers: { 'x-plan-token': wrong } })).status).toBe(401);
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

describe('npm run serve -- --db postgres://…', { timeout: 300_000 }, () => {
  it('opens the plan on PostgreSQL; the terminal and the page show it without the password', async () => {
    const plan = await seededPlan('postgres');
    await plan.db.close();
    writeFileSync(join(plan.dir, 'index.html'), '<!doctype html><title>t</title>');
    const root = join(import.meta.dirname, '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron', 'server', 'serve-main.ts'), '--db', plan.location, '--static', plan.dir], {
      cwd: root,
      env: { ...process.env, PLAN_WORKBENCH_USER_DATA: join(plan.dir, 'userdata'), NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          const m = /^open: (http:\/\/\S+)$/m.exec(stdout);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve ended (${code}): ${stderr}`)));
      });
      const bare = new URL(plan.location);
      bare.password = '';
      const display = bare.toString();
      expect(stdout).toContain(`database: ${display}\n`);
      const { origin, searchParams } = new URL(url);
      const reply = await fetch(`${origin}/api`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-plan-token': searchParams.get('token')! },
        body: JSON.stringify({ method: 'app.info', args: {} }),
      });
      const info = (await reply.json()) as { ok: boolean; value: { dbFileName: string } };
      expect(info.ok).toBe(true);
      expect(info.value.dbFileName).toBe(display);
      const password = decodeURIComponent(new URL(testServerUrl()).password);
      expect(`${stdout}${stderr}${JSON.stringify(info)}`).not.toContain(password);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const ended = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await ended;
      }
      await plan.cleanup();
    }
  });
});
