import { existsSync, readFileSync } from 'node:fs';
import { join, matchesGlob, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DB_FILE } from '../../electron/files/paths';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import { PLAN_APPLICATION_ID } from '../../electron/db/open';
import { IPC_CHANNEL } from '../../shared/contract/methods';
import type { BundleRecord } from '../helpers/bundle-records';
import { type BundleRun, ensureBuilt, outDir, projectRoot, runBundle, stopRunningBundles } from '../helpers/bundle-run';
import { seededDatabase } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';
import { sqliteFileOf } from '../helpers/plan-sql';

/**
 * A smoke test of the built app: out/main/index.js (package.json "main", built by `npm run build`)
 * runs under plain Node with a stand-in for the `electron` module (tests/helpers/bundle-*.ts). It
 * catches what tests of the sources cannot: a wrong path to the preload, the page or the services'
 * entry in the bundle, an entry or a chunk missing from out/, a package the bundle imports that
 * the packaged app would not ship, a preload a sandbox cannot run. When out/ has no built entry,
 * the test builds it first (once).
 */

let run: BundleRun;
let build: { built: boolean; ms: number };
const t = tempDir('plan-bundle-');

beforeAll(async () => {
  build = ensureBuilt();
  run = await runBundle(t.dir);
  console.info(`bundle smoke: ${build.built ? `built out/ in ${build.ms} ms, then ` : ''}the app ran ${run.ms} ms (exit ${run.code})`);
}, 900_000);

afterAll(() => {
  stopRunningBundles();
  t.cleanup();
});

/** The records of one kind, in the order they were written. */
function all<K extends BundleRecord['kind']>(kind: K): Extract<BundleRecord, { kind: K }>[] {
  return run.records.filter((r): r is Extract<BundleRecord, { kind: K }> => r.kind === kind);
}
function one<K extends BundleRecord['kind']>(kind: K): Extract<BundleRecord, { kind: K }> {
  const found = all(kind);
  expect(found, `one '${kind}' record; the app's output:\n${run.stdout}\n${run.stderr}`).toHaveLength(1);
  return found[0]!;
}
const indexOf = (kind: BundleRecord['kind']) => run.records.findIndex((r) => r.kind === kind);
const inside = (dir: string, path: string) => path.startsWith(dir + sep);
const built = (...parts: string[]) => join(outDir, ...parts);

describe('the built app, started under Node with a stand-in electron', () => {
  it('starts without an error box, shows its window, and quits by itself when the window is closed', () => {
    expect(all('error-box'), run.stderr).toEqual([]);
    expect(run.code, `exit code; stderr:\n${run.stderr}`).toBe(0);
    expect(indexOf('shown')).toBeGreaterThan(indexOf('window'));
    expect(indexOf('quit')).toBeGreaterThan(indexOf('shown'));
    // The services were stopped before the app ended, and the window's place was kept.
    expect(indexOf('services-exit')).toBeGreaterThan(indexOf('shown'));
    expect(indexOf('services-exit')).toBeLessThan(indexOf('quit'));
    const settings = JSON.parse(readFileSync(join(run.userData, 'settings.json'), 'utf8')) as { lastOpened: string; window: { width: number } };
    expect(settings.lastOpened).toBe(join(run.userData, DEFAULT_DB_FILE));
    expect(settings.window.width).toBe(1400);
  });

  it('registers app:// as a privileged scheme before the app is ready and serves it once ready', () => {
    const schemes = one('schemes');
    expect(schemes.appReady).toBe(false);
    expect(schemes.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(all('protocol-handle').map((h) => [h.scheme, h.appReady])).toEqual([['app', true]]);
  });

  it('creates its window after the app is ready, with a preload that exists in out/', () => {
    const window = all('window')[0]!;
    expect(window.appReady).toBe(true);
    expect(window.options.webPreferences!.preload).toBe(built('preload', 'index.cjs'));
    expect(window.preloadExists).toBe(true);
  });

  it('every window it makes (the print window too) is sandboxed and isolated, without Node', () => {
    const windows = all('window');
    expect(windows.length).toBe(2);
    for (const w of windows)
      expect(w.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, spellcheck: false });
    expect(windows[0]!.options.webPreferences).toMatchObject({ nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webviewTag: false, allowRunningInsecureContent: false, experimentalFeatures: false });
    // The print window has no preload: its page gets nothing of the app.
    expect(windows[1]!.options.webPreferences!.preload).toBeUndefined();
  });

  it('its window denies window.open, navigation away from app://plan and every permission request', () => {
    expect(one('guards')).toEqual({
      kind: 'guards',
      windowOpen: 'deny',
      navigationAwayStopped: true,
      navigationInAppStopped: false,
      permissionGranted: false,
      defaultSessionPermissionGranted: false,
    });
  });

  it('the preload runs as a sandbox runs it (it requires only electron) and invokes the channel the main process handles', () => {
    const preload = one('preload');
    expect(preload.error).toBeNull();
    expect(preload.required).toEqual(['electron']);
    expect(preload.exposed.planWorkbench).toContain('invoke');
    expect(preload.invokeChannel).toBe(IPC_CHANNEL);
    expect(all('ipc-handle').map((h) => h.channel)).toContain(IPC_CHANNEL);
  });

  it('loads its page through the app protocol: the page and every script and style it names are in out/renderer', () => {
    const load = one('load');
    expect(load.url).toBe('app://plan/index.html');
    expect(load.status).toBe(200);
    expect(load.contentType).toMatch(/^text\/html/);
    // The policy comes as a header and in the page itself, the same; scripts only from the app.
    expect(load.csp).toBe(load.metaCsp);
    expect(load.csp).toContain("script-src 'self'");
    expect(load.csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(load.bytes).toBeGreaterThan(0);
    expect(load.assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of load.assets) expect(asset.status, asset.url).toBe(200);
    expect(load.assets.map((a) => a.url)).toContainEqual(expect.stringMatching(/^app:\/\/plan\/assets\/.+\.js$/));
  });

  it('runs the services from out/main/service-process.js in a process of their own that never loads electron', () => {
    const fork = one('fork');
    expect(fork.modulePath).toBe(built('main', 'service-process.js'));
    expect(fork.exists).toBe(true);
    const entries = all('resolve').filter((r) => r.parent === null);
    expect(entries.map((e) => [e.role, fileURLToPath(e.url)])).toEqual(
      expect.arrayContaining([
        ['main', built('main', 'index.js')],
        ['services', built('main', 'service-process.js')],
        ['services-thread', built('main', 'job-worker.js')],
      ]),
    );
    expect(all('resolve').filter((r) => r.specifier === 'electron' && r.role !== 'main')).toEqual([]);
  });

  it('loads better-sqlite3 (its native addon too) and every package the bundle imports from node_modules, each one the app ships', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const modules = join(projectRoot, 'node_modules');
    const packages = all('resolve').filter((r) => r.parent !== null && r.specifier !== 'electron');
    expect(packages.length).toBeGreaterThan(0);
    for (const r of packages) {
      const name = r.specifier.startsWith('@') ? r.specifier.split('/').slice(0, 2).join('/') : r.specifier.split('/')[0]!;
      // electron-builder packs "dependencies" only: a devDependency the bundle imports would be missing in the app.
      expect(Object.keys(pkg.dependencies), `${r.specifier}, imported by ${r.parent}`).toContain(name);
      expect(inside(join(modules, name), fileURLToPath(r.url)), `${r.specifier} found at ${r.url}`).toBe(true);
    }
    const sqlite = packages.filter((r) => r.specifier === 'better-sqlite3');
    expect(sqlite.map((r) => r.role)).toContain('services');
    const addons = all('dlopen').filter((d) => d.role === 'services');
    expect(addons.length).toBeGreaterThan(0);
    for (const addon of addons) expect(inside(join(modules, 'better-sqlite3'), addon.file), addon.file).toBe(true);
  });

  it('electron-builder.yml packs every file of out/ the app ran or served, and unpacks every native addon it loaded from the asar', () => {
    const config = parse(readFileSync(join(projectRoot, 'electron-builder.yml'), 'utf8')) as { files: string[]; asarUnpack: string[] };
    const matches = (patterns: string[], file: string) => patterns.some((p) => matchesGlob(file, p));
    const packed = (file: string) => matches(config.files.filter((p) => !p.startsWith('!')), file) && !matches(config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1)), file);
    const ran = all('out-file').map((f) => fileURLToPath(f.url));
    const page = one('load');
    const served = [page.url, ...page.assets.map((a) => a.url)].map((u) => built('renderer', decodeURIComponent(new URL(u).pathname)));
    const used = [...new Set([...ran, built('preload', 'index.cjs'), ...served])].map((f) => relative(projectRoot, f).split(sep).join('/'));
    expect(used).toEqual(expect.arrayContaining(['out/main/index.js', 'out/main/service-process.js', 'out/main/job-worker.js', 'out/renderer/index.html']));
    expect(used.filter((f) => !packed(f))).toEqual([]);
    expect(packed('package.json')).toBe(true);
    const addons = [...new Set(all('dlopen').map((d) => relative(projectRoot, d.file).split(sep).join('/')))];
    expect(addons.length).toBeGreaterThan(0);
    expect(addons.filter((f) => !matches(config.asarUnpack, f))).toEqual([]);
  });

  it('creates and opens the default database in the user-data folder: a valid plan database holding the seed plan', async () => {
    const path = join(run.userData, DEFAULT_DB_FILE);
    expect(existsSync(path)).toBe(true);
    const fromSources = await seededDatabase();
    const source = sqliteFileOf(fromSources.db.db);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(PLAN_APPLICATION_ID);
      expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // The same plan as the seeds make from the sources: every table with as many rows, the same units.
      const tables = (source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]).map((r) => r.name);
      const counts = (d: Database.Database) => Object.fromEntries(tables.map((name) => [name, (d.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]));
      expect(counts(db)).toEqual(counts(source));
      const units = (d: Database.Database) => d.prepare('select id, name from unit order by id').all();
      expect(units(db).length).toBeGreaterThan(10);
      expect(units(db)).toEqual(units(source));
    } finally {
      db.close();
      await fromSources.cleanup();
    }
  });

  it("answers the page's calls through the services, jobs in a job worker included: a fill-in workbook and a PDF printed by the shell", () => {
    const calls = new Map(all('call').map((c) => [c.method, c.outcome as { ok: boolean; value?: unknown }]));
    expect(calls.get('app.info')).toEqual({ ok: true, value: expect.objectContaining({ schemaVersion: latestSchemaVersion, dbFileName: DEFAULT_DB_FILE, transport: 'ipc', readOnly: false }) });
    const db = new Database(join(run.userData, DEFAULT_DB_FILE), { readonly: true });
    const unitCount = (db.prepare('select count(*) as n from unit').get() as { n: number }).n;
    db.close();
    expect((calls.get('units.list')?.value as unknown[] | undefined)?.length).toBe(unitCount);
    expect(calls.get('import.handoutWorkbook')).toEqual({ ok: true, value: expect.objectContaining({ status: 'saved' }) });
    const [workbook, pdf] = all('save-dialog').map((d) => d.filePath);
    // An .xlsx is a zip file.
    expect(readFileSync(workbook!).subarray(0, 2).toString()).toBe('PK');
    expect(calls.get('export.save')).toEqual({ ok: true, value: expect.objectContaining({ status: 'saved' }) });
    // Printed by Electron's printToPDF in the print window (the page loaded from a file that was there).
    expect(all('load-file')).toEqual([{ kind: 'load-file', exists: true }]);
    expect(all('print-to-pdf').length).toBeGreaterThan(0);
    // The app prints with Electron: Playwright (the browser mode's and the command line's printer) is never loaded.
    expect(all('resolve').filter((r) => /playwright/.test(r.specifier) || /playwright|chromium-pdf/.test(r.url))).toEqual([]);
    expect(all('out-file').filter((f) => /playwright|chromium-pdf/.test(f.url))).toEqual([]);
    expect(readFileSync(pdf!, 'utf8')).toMatch(/^%PDF/);
  });
});
