import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BundleRecord, parseRecords } from './bundle-records';

/**
 * The vitest side of the bundle smoke test: builds out/ when there is none, then starts the built
 * app (package.json "main") under plain Node with the stand-in `electron`
 * (bundle-hooks.ts, bundle-electron.ts) in a temporary user-data folder, and hands back what the
 * stand-ins recorded once the app has quit.
 */

export const projectRoot = join(import.meta.dirname, '..', '..');
export const outDir = join(projectRoot, 'out');

/** The app's entry as package.json names it. */
export function mainEntry(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { main: string };
  return join(projectRoot, pkg.main);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `npm run build` when the built entry is missing, once: a lock folder keeps two test
 * processes from building at the same time (the second waits for the first, then finds out/ there).
 * Only a missing entry triggers a build: a bundle with a file missing is what the test must catch.
 */
export function ensureBuilt(): { built: boolean; ms: number } {
  const entry = mainEntry();
  if (existsSync(entry)) return { built: false, ms: 0 };
  // In the temp folder, named after this checkout: nothing is left in the working tree.
  const lock = join(tmpdir(), `plan-workbench-build-${createHash('sha256').update(projectRoot).digest('hex').slice(0, 12)}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(readFileSafe(join(lock, 'pid')));
      if (holder && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      else sleep(500);
    }
  }
  try {
    if (existsSync(entry)) return { built: false, ms: 0 };
    console.warn(`bundle smoke test: ${entry} is missing; running npm run build first`);
    const started = Date.now();
    const r = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, encoding: 'utf8', stdio: 'pipe' });
    if (r.status !== 0) throw new Error(`npm run build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    if (!existsSync(entry)) throw new Error(`npm run build did not write ${entry}`);
    return { built: true, ms: Date.now() - started };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export interface BundleRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  records: BundleRecord[];
  userData: string;
  ms: number;
}

const running = new Set<ChildProcess>();

/** Ends an app still running (a test that timed out): its services process ends with it. */
export function stopRunningBundles(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Starts the built app in `dir` (its cwd: no seeds/ there) with its user data in dir/userdata; resolves when it has ended. */
export function runBundle(dir: string): Promise<BundleRun> {
  const userData = join(dir, 'userdata');
  const tmp = join(dir, 'tmp');
  // Electron makes the user-data folder before the app runs.
  mkdirSync(userData, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  const recordFile = join(dir, 'records.jsonl');
  const hooks = pathToFileURL(join(import.meta.dirname, 'bundle-hooks.ts')).href;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BUNDLE_SMOKE_RECORD: recordFile,
    BUNDLE_SMOKE_OUT: outDir,
    BUNDLE_SMOKE_USER_DATA: userData,
    BUNDLE_SMOKE_HOOKS: hooks,
    TMPDIR: tmp,
  };
  // Plain Node: no loader of the test runner's.
  delete env.NODE_OPTIONS;
  delete env.PLAN_WORKBENCH_USER_DATA;
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', hooks, mainEntry()], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr, records: existsSync(recordFile) ? parseRecords(readFileSync(recordFile, 'utf8')) : [], userData, ms: Date.now() - started });
    });
  });
}
