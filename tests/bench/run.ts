/**
 * `npm run bench` (`-- --quick` for a short run): synthetic plans at 1×, 10× and 100× the seed;
 * service figures per scale (each scale in its own process), PDF export and LibreOffice beside it,
 * and the renderer in Chromium (first grid row, scrolling, heap). Prints a table and writes
 * bench/results.json. Figures, not assertions: these machines are noisy, so each figure is shown
 * beside a floor measured in the same run.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpus, totalmem, platform, release } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumExecutable, renderPdfWithBrowser } from '../../electron/export/chromium-pdf';
import { distribution, round } from './measure';

const root = join(import.meta.dirname, '..', '..');
const quick = process.argv.includes('--quick');
const factors = quick ? [1, 10] : [1, 10, 100];
const work = mkdtempSync(join(tmpdir(), 'plan-bench-'));
type Figures = Record<string, unknown> & { factor: number };

function runScale(factor: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'scale-run.ts'), String(factor), work, quick ? 'quick' : 'full'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Figures) : reject(new Error(`scale ${factor} failed (${code})`))));
  });
}

/** The scaling figures (tests/bench/scaling-run.ts), in their own process. */
function runScaling(): Promise<Scaling> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'scaling-run.ts'), work, quick ? 'quick' : 'full'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Scaling) : reject(new Error(`scaling failed (${code})`))));
  });
}

interface Scaling {
  newTargets: { rows: [number, number]; small: { analyzeMs: number; applyMs: number }; large: { analyzeMs: number; applyMs: number } };
  plans: { factors: [number, number]; readBack: { analyzeMs: number }[]; lists: Record<'branchesMs' | 'committeesMs' | 'actionPlanLayoutMs' | 'overviewLayoutMs', number>[] };
}

async function browserFigures(factor: number): Promise<Record<string, unknown>> {
  const dbPath = join(work, `plan-${factor}x.plandb`);
  const serve = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron', 'server', 'serve-main.ts'), '--db', dbPath], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PLAN_WORKBENCH_USER_DATA: join(work, 'userdata') },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /open: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    serve.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
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
    serve.kill('SIGTERM');
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

const scales: Figures[] = [];
for (const f of factors) {
  console.error(`… scale ${f}×`);
  const figures = await runScale(f);
  Object.assign(figures, await browserFigures(f));
  scales.push(figures);
}
const pdf = await pdfFigures();
console.error('… command line start');
const cliStart = cliStartFigures();
console.error('… scaling');
const scaling = await runScaling();

console.log('\nPlan Workbench benchmarks' + (quick ? ' (quick)' : ''));
console.log('scale | rows/targets | open+1st screen ms | rollup ms (floor) | edit p50/p95 ms service (floor) | transport p50/p95 | typed cell round trip p50/p95: 1 request (old 4 requests) | paste 1000 / undo ms | Excel ms (floor, ratio) | 1st row ms | scroll fps (rows) | heap MB | service MB');
for (const s of scales) {
  const size = s.size as { rows: number; targets: number };
  const e = s.cellEditService as { p50: number; p95: number };
  const fl = s.cellEditFloor as { p50: number; p95: number };
  const tr = s.cellEditTransport as { p50: number; p95: number };
  const rt = s.cellRoundTrip as { p50: number; p95: number } | undefined;
  const rf = s.cellRoundTripFloor as { p50: number; p95: number } | undefined;
  console.log(
    [
      `${s.factor}×`,
      `${size.rows}/${size.targets}`,
      fmt(s.openFirstScreenMs),
      `${fmt(s.rollupMs)} (${fmt(s.rollupFloorMs)})`,
      `${e.p50}/${e.p95} (${fl.p50}/${fl.p95})`,
      `${tr.p50}/${tr.p95}`,
      rt && rf ? `${rt.p50}/${rt.p95} (${rf.p50}/${rf.p95})` : '-',
      `${fmt(s.paste1000Ms)} / ${fmt(s.undoPasteMs)}`,
      `${fmt(s.excelExportMs)} (${fmt(s.excelFloorMs)}, ${ratio(s.excelExportMs, s.excelFloorMs)})`,
      fmt(s.firstRowMs),
      `${fmt(s.scrollFps)} (${fmt(s.scrollRows)})`,
      fmt(s.rendererHeapMb),
      fmt(s.serviceRssMb),
    ].join(' | '),
  );
}
console.log(`PDF export of the seed action plan: ${pdf.pdfExportMs} ms (LibreOffice converting the same workbook: ${fmt(pdf.libreOfficePdfMs)} ms${typeof pdf.libreOfficePdfMs === 'number' ? `, ${ratio(pdf.pdfExportMs, pdf.libreOfficePdfMs)}` : ', not installed'})`);

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
