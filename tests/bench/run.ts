/**
 * `npm run bench` (`-- --quick` for 1× and 10× only, fewer repetitions): synthetic plans at 1×, 10×
 * and 100× the seed, each on both engines in the same run: the SQLite file, and the same plan
 * copied (copyPlan) into a PostgreSQL database on a throwaway cluster this bench starts
 * (build/pg-cluster.mjs), or on the server PLAN_TEST_PG_URL names. Per scale and engine, an
 * answering process (host.ts: the app's handler and HTTP server) is driven as the page drives it
 * (scale-run.ts) and by Chromium (first row, scrolling, heap); its peak memory is read from
 * /proc. Every figure is printed beside a floor measured in the same run on the same engine.
 * Then the PDF export, the command line's start and the scaling table. Writes bench/results.json;
 * `-- --before FILE` also prints the SQLite figures beside those of FILE (an earlier results.json).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus, totalmem, platform, release } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { startCluster, stopCluster } from '../../build/pg-cluster.mjs';
import { chromiumExecutable, renderPdfWithBrowser } from '../../electron/export/chromium-pdf';
import { distribution, round } from './measure';
import { printBeforeAfter, printEngines, type Figures } from './report';

const root = join(import.meta.dirname, '..', '..');
const quick = process.argv.includes('--quick');
const beforeFile = process.argv.includes('--before') ? process.argv[process.argv.indexOf('--before') + 1] : undefined;
// `-- --scale N`: that scale only (both engines), to look at one figure again.
const onlyScale = process.argv.includes('--scale') ? Number(process.argv[process.argv.indexOf('--scale') + 1]) : null;
const factors = onlyScale !== null ? [onlyScale] : quick ? [1, 10] : [1, 10, 100];
const engines = ['sqlite', 'postgres'] as const;
const work = mkdtempSync(join(tmpdir(), 'plan-bench-'));
const started = Date.now();

/** Runs a bench script in its own process; resolves with the JSON object of its last stdout line. */
function runScript<T>(script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T) : reject(new Error(`${script} ${args[0] ?? ''} failed (${code})`))));
  });
}

/**
 * Starts the answering process on `location`; resolves once it answers, with its page URL. Locations
 * go to the children in the environment (PLAN_BENCH_LOCATION), never on a command line others can read.
 */
function startHost(location: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'host.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PLAN_BENCH_LOCATION: location },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /open: (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`host exited ${code}`)));
  });
}

/** The peak resident memory of a running process (Linux: VmHWM), in MB. */
function peakRssMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? round(Number(kb[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await gone;
}
/** The scaling figures (tests/bench/scaling-run.ts, SQLite files), in their own process. */
const runScaling = () => runScript<Scaling>('scaling-run.ts', [work, quick ? 'quick' : 'full']);

interface Scaling {
  newTargets: { rows: [number, number]; small: { analyzeMs: number; applyMs: number }; large: { analyzeMs: number; applyMs: number } };
  plans: { factors: [number, number]; readBack: { analyzeMs: number }[]; lists: Record<'branchesMs' | 'committeesMs' | 'actionPlanLayoutMs' | 'overviewLayoutMs', number>[] };
}

async function browserFigures(url: string): Promise<Record<string, unknown>> {
  const executablePath = chromiumExecutable();
  const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    const t0 = Date.now();
    await page.goto(url);
    await page.locator('.ag-row').first().waitFor({ state: 'visible', timeout: 120_000 });
    const firstRowMs = Date.now() - t0;
    await page.waitForTimeout(500);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    // Scroll the largest grid (目標・実績 when it exists) from top to bottom, counting frames.
    const tab = page.getByRole('tab', { name: '目標・実績' });
    if (await tab.count()) {
      await tab.click();
      await page.locator('.ag-row').first().waitFor({ state: 'visible', timeout: 120_000 });
    }
    // A string, not a function: tsx's transform would add helpers the page does not have.
    const scroll = (await page.evaluate(`(async () => {
      const viewport = [...document.querySelectorAll('.ag-grid-viewport, .ag-body-viewport')].find((v) => v.offsetParent !== null && v.scrollHeight > v.clientHeight);
      const rowCount = Number(document.querySelector('[aria-rowcount]')?.getAttribute('aria-rowcount') ?? 0);
      let frames = 0;
      const start = performance.now();
      await new Promise((done) => {
        function step() {
          frames++;
          viewport.scrollTop += 600;
          if (viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 2 || performance.now() - start > 20000) done();
          else requestAnimationFrame(step);
        }
        requestAnimationFrame(step);
      });
      const seconds = (performance.now() - start) / 1000;
      return { rows: rowCount, frames, seconds, fps: frames / seconds };
    })()`)) as { rows: number; frames: number; seconds: number; fps: number };
    return { firstRowMs, rendererHeapMb: round(heap.usedSize / 1024 / 1024), scrollRows: scroll.rows, scrollFps: round(scroll.fps), scrollSeconds: round(scroll.seconds) };
  } finally {
    await browser.close();
  }
}

async function pdfFigures(): Promise<Record<string, unknown>> {
  const html = readFileSync(join(work, 'action-plan-1x.html'), 'utf8');
  const executablePath = chromiumExecutable();
  const t0 = Date.now();
  const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: ['--no-sandbox', '--disable-gpu'] });
  const pdf = await renderPdfWithBrowser(browser, html);
  const pdfMs = Date.now() - t0;
  await browser.close();
  writeFileSync(join(work, 'action-plan-1x.pdf'), pdf);
  const figures: Record<string, unknown> = { pdfExportMs: pdfMs, pdfBytes: pdf.byteLength };
  const soffice = ['soffice', 'libreoffice'].find((c) => spawnSync('which', [c]).status === 0);
  if (soffice) {
    const t1 = Date.now();
    spawnSync(soffice, ['--headless', '--convert-to', 'pdf', '--outdir', join(work, 'lo'), join(work, 'action-plan-1x.xlsx')], { timeout: 180_000 });
    figures.libreOfficePdfMs = Date.now() - t1;
  } else figures.libreOfficePdfMs = null;
  return figures;
}

/**
 * The command line's start (`--help`): built (out/cli/main.js by node), through the `npm run plan`
 * launcher (which first checks the build against the sources), and from the sources through tsx (as
 * before it was built), each beside a floor, `node -e 0`, measured in the same run.
 */
function cliStartFigures(): Record<string, unknown> {
  const startMs = (args: string[], runs: number) => {
    const samples: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
      if (i > 0) samples.push(performance.now() - t0); // the first run warms the disk cache (and builds, if the build is stale)
    }
    return distribution(samples);
  };
  const launcher = startMs([join(root, 'build', 'plan.mjs'), '--help'], quick ? 3 : 7);
  return {
    nodeFloorMs: startMs(['-e', '0'], quick ? 3 : 7),
    builtMs: startMs([join(root, 'out', 'cli', 'main.js'), '--help'], quick ? 3 : 7),
    launcherMs: launcher,
    tsxMs: startMs(['--import', 'tsx', join(root, 'electron', 'cli', 'main.ts'), '--help'], quick ? 1 : 3),
  };
}

function versions() {
  const pkg = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  let chromiumVersion: string;
  try {
    chromiumVersion = execFileSync(chromiumExecutable() ?? 'chromium', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    chromiumVersion = 'unknown';
  }
  return { node: process.version, electron: pkg('electron'), 'better-sqlite3': pkg('better-sqlite3'), exceljs: pkg('exceljs'), 'ag-grid-community': pkg('ag-grid-community'), chromium: chromiumVersion };
}

const ratio = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? `${(a / b).toFixed(1)}×` : '—');
const fmt = (x: unknown) => (x === null || x === undefined ? '—' : typeof x === 'number' ? String(x) : JSON.stringify(x));

// The PostgreSQL server: the one PLAN_TEST_PG_URL names, else a throwaway cluster of this run.
const given = process.env.PLAN_TEST_PG_URL;
const cluster = given ? null : await startCluster();
const serverUrl = given ?? cluster!.url;
const made: string[] = [];
const cleanUp = () => {
  if (cluster) stopCluster(cluster.dir);
  rmSync(work, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });

const scales: Figures[] = [];
try {
  for (const f of factors) {
    console.error(`… scale ${f}×: building the plan and copying it to PostgreSQL`);
    const plan = await runScript<Record<string, unknown> & { sqlite: string; postgres: string; pgDatabase: string }>('prepare.ts', [String(f), work], { PLAN_BENCH_SERVER: serverUrl });
    made.push(plan.pgDatabase);
    for (const engine of engines) {
      console.error(`… scale ${f}× on ${engine}`);
      const location = engine === 'sqlite' ? plan.sqlite : plan.postgres;
      const host = await startHost(location);
      try {
        const figures = await runScript<Figures>('scale-run.ts', [String(f), engine, work, quick ? 'quick' : 'full'], { PLAN_BENCH_LOCATION: location, PLAN_BENCH_HOST: host.url });
        Object.assign(figures, { size: plan.size, buildMs: plan.buildMs, copyMs: plan.copyMs }, await browserFigures(host.url));
        figures.serviceRssMb = peakRssMb(host.child.pid!);
        scales.push(figures);
      } finally {
        await stopHost(host.child);
      }
    }
  }
  if (made.length > 0) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    for (const name of made) await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
} catch (e) {
  cleanUp();
  throw e;
}
if (cluster) stopCluster(cluster.dir);
// The PDF figure is of the 1× plan's export, made by its scale run.
const pdf = factors.includes(1) ? await pdfFigures() : null;
console.error('… command line start');
const cliStart = cliStartFigures();
console.error('… scaling');
const scaling = await runScaling();

console.log('\nPlan Workbench benchmarks' + (quick ? ' (quick)' : '') + `, ${Math.round((Date.now() - started) / 1000)} s`);
printEngines(scales, factors);
if (beforeFile) printBeforeAfter(scales, JSON.parse(readFileSync(beforeFile, 'utf8')) as { scales: Figures[] });
if (pdf) console.log(`PDF export of the seed action plan: ${pdf.pdfExportMs} ms (LibreOffice converting the same workbook: ${fmt(pdf.libreOfficePdfMs)} ms${typeof pdf.libreOfficePdfMs === 'number' ? `, ${ratio(pdf.pdfExportMs, pdf.libreOfficePdfMs)}` : ', not installed'})`);

{
  const d = (k: string) => cliStart[k] as { p50: number; p95: number };
  const line = (what: string, k: string) => console.log(`${what} | ${round(d(k).p50)} / ${round(d(k).p95)} | ${ratio(d(k).p50, d('nodeFloorMs').p50)}`);
  console.log('\nCommand line start (plan --help), beside node -e 0');
  console.log('how | p50 / p95 ms | ratio to the floor');
  line('node -e 0 (floor)', 'nodeFloorMs');
  line('built: node out/cli/main.js', 'builtMs');
  line('npm run plan launcher: build check + built', 'launcherMs');
  line('from the sources through tsx (before)', 'tsxMs');
}

{
  // Time ratio beside data ratio: linear work has them about equal; a quadratic step squares the data ratio.
  const [a, b] = scaling.newTargets.rows;
  const [f1, f2] = scaling.plans.factors;
  const line = (what: string, x: number, y: number, data: number) => console.log(`${what} | ${x} → ${y} ms | ${ratio(y, x)} | ${ratio(data, 1)}`);
  console.log(`\nScaling: the same work at two sizes (time ratio beside data ratio)`);
  console.log('work | small → large | time ratio | data ratio');
  line(`fill-in workbook, ${a} → ${b} new targets: read`, scaling.newTargets.small.analyzeMs, scaling.newTargets.large.analyzeMs, b / a);
  line(`fill-in workbook, ${a} → ${b} new targets: apply`, scaling.newTargets.small.applyMs, scaling.newTargets.large.applyMs, b / a);
  line(`whole-plan Excel export read back, ${f1}× → ${f2}×`, scaling.plans.readBack[0]!.analyzeMs, scaling.plans.readBack[1]!.analyzeMs, f2 / f1);
  for (const [key, what] of [['branchesMs', '支部 list'], ['committeesMs', '部会・委員会 list'], ['actionPlanLayoutMs', 'action-plan export layout'], ['overviewLayoutMs', 'overview export layout']] as const)
    line(`${what}, ${f1}× → ${f2}×`, scaling.plans.lists[0]![key], scaling.plans.lists[1]![key], f2 / f1);
}

mkdirSync(join(root, 'bench'), { recursive: true });
const results = {
  date: new Date().toISOString(),
  quick,
  machine: { platform: `${platform()} ${release()}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGb: round(totalmem() / 1024 ** 3) },
  versions: versions(),
  scales,
  pdf,
  cliStart,
  scaling,
};
writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`\nwrote bench/results.json`);
if (existsSync(work)) rmSync(work, { recursive: true, force: true });
