import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryPoint } from '../../electron/api/entries';
import { workerChannel } from '../../electron/api/service-client';
import { type Services, startServices } from '../../electron/api/services';
import { type PlanServer, startPlanServer } from '../../electron/server/http-server';
import { createDatabaseFile } from '../../electron/workspace/create-database';
import { databaseUrl, onServer, testServerUrl } from '../helpers/pg-database';
import { realSeeds } from '../helpers/seeded-db';
import { apiCall } from '../helpers/services-http';
import { tempDir } from '../helpers/temp';

/**
 * The browser mode's services (a worker thread, as electron/server/serve-main.ts runs them) on a plan
 * in a real PostgreSQL database, reached by a URL holding a password with the characters a URL must
 * escape: the plan is created from the seeds, calls are answered (an edit, an export whose job
 * worker reads the plan on a read-only pool of its own, a backup and a restore), a refused open
 * keeps the plan, and after the services die new ones open the same database. Throughout, the
 * password appears in no log line: not on the console, not in the services' log events, not in
 * the log file, not in what the entry point is told about the plan.
 */

const entry = join(import.meta.dirname, '..', '..', 'electron', 'api', 'service-process.ts');
const seedsDir = join(import.meta.dirname, '..', '..', 'seeds');
const password = `Pw:@/ %?#${randomBytes(6).toString('hex')}`;
const role = `plan_role_${randomBytes(4).toString('hex')}`;
const database = `plan_services_${randomBytes(4).toString('hex')}`;

let t: ReturnType<typeof tempDir>;
let url: string;
let display: string;
let services: Services;
let server: PlanServer;
const workers: Worker[] = [];
const logLines: string[] = [];
const written: string[] = [];
const restoreWrites: (() => void)[] = [];

/** Everything this process writes to its console meanwhile (stdout, stderr). */
function captureConsole(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restoreWrites.push(() => (stream.write = original as typeof stream.write));
  }
}

/** The text of every file under `dir` but the plan snapshots (the log file among them). */
function textFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile() && !path.endsWith('.plandb'))
    .map((path) => readFileSync(path, 'utf8'));
}

const spawn = () => {
  const at = entryPoint(entry);
  // The services' console (init.console: their log entries) read here, not left to the terminal.
  const worker = new Worker(at.path, { stdout: true, stderr: true, ...(at.execArgv ? { execArgv: at.execArgv } : {}) });
  for (const stream of [worker.stdout, worker.stderr]) stream.on('data', (chunk: Buffer) => written.push(chunk.toString('utf8')));
  workers.push(worker);
  return workerChannel(worker);
};

beforeAll(async () => {
  t = tempDir();
  captureConsole();
  await onServer(async (c) => {
    await c.query(`create role "${role}" login password '${password.replace(/'/g, "''")}'`);
    await c.query(`create database "${database}" owner "${role}"`);
  });
  const server0 = new URL(databaseUrl(testServerUrl(), database));
  url = `postgres://${role}:${encodeURIComponent(password)}@${server0.host}/${database}`;
  display = `postgres://${role}@${server0.host}/${database}`;
  services = await startServices({
    spawn,
    init: { appVersion: 'test', transport: 'http', userData: join(t.dir, 'userdata'), console: true },
    dbPath: url,
    seedsDir,
    host: {},
    events: { log: (line) => logLines.push(line) },
  });
  server = await startPlanServer({ handler: services.call, staticDir: t.dir });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await services?.stop();
  for (const restore of restoreWrites) restore();
  await onServer(async (c) => {
    await c.query(`drop database if exists "${database}" with (force)`);
    await c.query(`drop role if exists "${role}"`);
  });
  t.cleanup();
});

/** The plan as another program sees it. */
async function firstTermPlan(): Promise<{ id: string; term_plan: string }> {
  const c = new pg.Client({ host: new URL(url).hostname, port: Number(new URL(url).port), user: role, password, database });
  await c.connect();
  try {
    return (await c.query<{ id: string; term_plan: string }>('select id, term_plan from action_row order by id limit 1')).rows[0]!;
  } finally {
    await c.end();
  }
}

describe('the services on a plan in PostgreSQL', () => {
  it('create the plan from the seeds and tell the entry point only the display', async () => {
    expect(services.file).toEqual({ path: display, fileName: display });
    const info = await apiCall<{ dbFileName: string }>(server, 'app.info', {});
    expect(info).toMatchObject({ ok: true, value: { dbFileName: display } });
    expect(await apiCall(server, 'plan.summary', {})).toMatchObject({ ok: true, value: { startYear: 2020 } });
  }, 60_000);

  it('answer an edit, an export read by a job worker, a backup and a restore', async () => {
    const row = await firstTermPlan();
    const backup = await apiCall<{ id: string }>(server, 'backups.create', {});
    expect(backup.ok).toBe(true);
    const edit = await apiCall(server, 'edits.apply', { label: '編集', edits: [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'PostgreSQL での編集' }] });
    expect(edit.ok).toBe(true);
    expect((await firstTermPlan()).term_plan).toBe('PostgreSQL での編集');
    // The export runs in a job worker, which opens the same database read-only on its own pool.
    const exported = await apiCall<{ status: string; files: { format: string; base64: string }[] }>(server, 'export.save', { layout: 'action-plan', formats: ['xlsx'] });
    expect(exported).toMatchObject({ ok: true, value: { status: 'download' } });
    expect(Buffer.from(exported.value!.files[0]!.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
    const listed = await apiCall<{ id: string; reason: string }[]>(server, 'backups.list', {});
    expect(listed.value!.map((b) => b.id)).toContain(backup.value!.id);
    const restored = await apiCall<{ restoredFrom: string; safetyBackup: string }>(server, 'backups.restore', { id: backup.value!.id });
    expect(restored).toMatchObject({ ok: true, value: { restoredFrom: backup.value!.id } });
    expect(restored.value!.safetyBackup).toMatch(/-restore\.plandb$/);
    expect((await firstTermPlan()).term_plan).toBe(row.term_plan);
  }, 120_000);

  it('a refused open (a wrong password) is told in Japanese and keeps the plan open', async () => {
    // Another user (the display differs: not the plan open now), a wrong password.
    const wrong = `postgres://plan:not-the-password@${new URL(url).host}/${database}`;
    const e = await services.control({ op: 'open', path: wrong }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'forbidden', messageJa: expect.stringContaining('パスワードが違います') });
    // A failed call is logged (console and log file), naming the plan's backup folder.
    expect(await apiCall(server, 'backups.restore', { id: '20200101-000000000-manual.plandb' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(services.file.path).toBe(display);
    expect(await apiCall(server, 'plan.summary', {})).toMatchObject({ ok: true, value: { startYear: 2020 } });
  }, 60_000);

  it('a plan file opened meanwhile, then the PostgreSQL plan again, are each what calls reach', async () => {
    const file = join(t.dir, 'plan.plandb');
    createDatabaseFile(file, realSeeds());
    expect(await services.control({ op: 'open', path: file })).toMatchObject({ fileName: 'plan.plandb' });
    expect(await apiCall(server, 'app.info', {})).toMatchObject({ value: { dbFileName: 'plan.plandb' } });
    expect(await services.control({ op: 'open', path: url })).toEqual({ path: display, fileName: display });
    expect(await apiCall(server, 'app.info', {})).toMatchObject({ value: { dbFileName: display } });
  }, 60_000);

  it('start again when they die and open the same database', async () => {
    const before = workers.length;
    await workers.at(-1)!.terminate();
    let answer: { ok: boolean } | undefined;
    const deadline = Date.now() + 30_000;
    while (!answer?.ok && Date.now() < deadline) {
      answer = await apiCall(server, 'plan.summary', {});
      if (!answer.ok) await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer).toMatchObject({ ok: true, value: { startYear: 2020 } });
    expect(workers.length).toBe(before + 1);
    expect(services.file.path).toBe(display);
    expect(logLines.some((l) => l.includes('starting the services again'))).toBe(true);
  }, 60_000);

  it('never wrote the password: console, log events, log file, backups folder names', async () => {
    // Something was captured (else the test could not fail): the console and the services' own log.
    expect(logLines.length).toBeGreaterThan(0);
    expect(written.join('').length).toBeGreaterThan(0);
    const everything = [...logLines, ...written, ...textFilesUnder(join(t.dir, 'userdata')), ...readdirSync(join(t.dir, 'userdata'), { recursive: true, encoding: 'utf8' })].join('\n');
    expect(everything).toContain(`pg-${database}-`);
    for (const form of [password, encodeURIComponent(password), password.slice(-12)]) expect(everything).not.toContain(form);
  });
});
