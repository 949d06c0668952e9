import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Services, startServices, workerSpawner } from '../../electron/api/services';
import { type PlanServer, startPlanServer } from '../../electron/server/http-server';
import { createDatabase } from '../../electron/workspace/create-database';
import { scaleBundle } from '../bench/synthetic';
import { realSeeds } from '../helpers/seeded-db';
import { apiCall, fileHashes, httpGet, leftJobFolders, until } from '../helpers/services-http';
import { tempDir } from '../helpers/temp';

/**
 * The browser mode with its services in a worker thread (electron/server/serve-main.ts does the
 * same): while a genuinely heavy call runs — a colleague's copy of a plan ten times the seed's
 * size, read and compared in a job worker — the server answers files and other calls, and the
 * call can be cancelled without a trace.
 */

const entry = join(import.meta.dirname, '..', '..', 'electron', 'api', 'service-process.ts');
let t: ReturnType<typeof tempDir>;
let dbPath: string;
let tmp: string;
let services: Services;
let server: PlanServer;
let heavyUpload: { kind: 'upload'; fileName: string; base64: string };
const savedTmp = process.env.TMPDIR;

beforeAll(async () => {
  t = tempDir();
  dbPath = join(t.dir, 'plan.plandb');
  await (await createDatabase(dbPath, scaleBundle(realSeeds(), 10))).db.close();
  // A colleague's copy: the same plan, as big as this one.
  heavyUpload = { kind: 'upload', fileName: '同僚の計画.plandb', base64: readFileSync(dbPath).toString('base64') };
  const staticDir = join(t.dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>計画ワークベンチ</title>');
  // The services' temp folders go here (the worker copies this environment), to be checked after a cancel.
  tmp = join(t.dir, 'tmp');
  mkdirSync(tmp);
  process.env.TMPDIR = tmp;
  services = await startServices({ spawn: workerSpawner(entry), init: { appVersion: 'test', transport: 'http' }, dbPath, host: {} });
  server = await startPlanServer({ handler: services.call, staticDir });
}, 300_000);

afterAll(async () => {
  await server?.close();
  await services?.stop();
  process.env.TMPDIR = savedTmp;
  t.cleanup();
});

/** Child processes of this process that read a colleague's database (electron/import/foreign-read-child.ts). */
const readers = () =>
  execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('foreign-read-child'));

const phaseOf = async (key: string) => (await apiCall<{ phase: string | null }>(server, 'jobs.progress', { key })).value?.phase ?? null;

describe('browser mode: services in a worker thread', () => {
  it('answers a static file and another call while a heavy import is being read, before it ends', async () => {
    const key = randomUUID();
    const done: string[] = [];
    const heavy = apiCall(server, 'import.analyze', { source: heavyUpload, jobKey: key }).then((r) => (done.push('analyze'), r));
    await until(async () => (await phaseOf(key)) !== null, 'the analysis started');
    const page = httpGet(server, '/index.html').then((r) => (done.push('static'), r));
    const units = apiCall<unknown[]>(server, 'units.list', {}).then((r) => (done.push('units.list'), r));
    const [analysis, file, list] = await Promise.all([heavy, page, units]);
    expect(done.at(-1)).toBe('analyze');
    expect(file.status).toBe(200);
    expect(file.body).toContain('計画ワークベンチ');
    expect(list.ok && list.value!.length).toBeGreaterThan(100);
    expect(analysis).toMatchObject({ ok: true, value: { status: 'ready' } });
  }, 300_000);

  it('cancels a heavy import: the call ends cancelled, the plan file is byte-identical, no temp folder is left, the next call works', async () => {
    const before = fileHashes(dbPath);
    const key = randomUUID();
    const heavy = apiCall(server, 'import.analyze', { source: heavyUpload, jobKey: key });
    await until(async () => ['read', 'compare'].includes((await phaseOf(key)) ?? ''), 'the analysis is reading the file');
    expect(leftJobFolders(tmp)).toHaveLength(1);
    const cancel = await apiCall(server, 'jobs.cancel', { key });
    expect(cancel).toEqual({ ok: true, value: { cancelled: true } });
    const outcome = await heavy;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'cancelled', message: '取り消しました。計画は変更していません。' } });
    expect(fileHashes(dbPath)).toBe(before);
    await until(() => leftJobFolders(tmp).length === 0, 'the job folder is removed');
    // The reader process the job had started ends with it (its deadline timer lived in the ended job worker).
    await until(() => readers().length === 0, 'the reader process of the cancelled job ends');
    expect(await phaseOf(key)).toBeNull();
    const summary = await apiCall<{ startYear: number }>(server, 'plan.summary', {});
    expect(summary).toMatchObject({ ok: true, value: { startYear: 2020 } });
    // And a long call of the same kind runs to its end afterwards.
    const again = await apiCall(server, 'import.analyze', { source: heavyUpload });
    expect(again).toMatchObject({ ok: true, value: { status: 'ready' } });
    expect(fileHashes(dbPath)).toBe(before);
  }, 300_000);

  it('a cancel that arrives before its call (the upload still on its way) cancels the call when it comes', async () => {
    const key = randomUUID();
    expect(await apiCall(server, 'jobs.cancel', { key })).toEqual({ ok: true, value: { cancelled: false } });
    const outcome = await apiCall(server, 'export.save', { layout: 'action-plan', formats: ['xlsx'], jobKey: key });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    const next = await apiCall<{ status: string; files: { fileName: string }[] }>(server, 'export.save', { layout: 'action-plan', formats: ['xlsx'], jobKey: key });
    expect(next).toMatchObject({ ok: true, value: { status: 'download' } });
  }, 300_000);
});
