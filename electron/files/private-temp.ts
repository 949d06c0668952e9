import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * The one way the app makes temp folders (plan copies of imports, Chromium profiles of PDF exports,
 * print pages): each is private (mode 0700, inside a per-user root that is 0700 too), named after
 * the process that made it, removed when the work ends (finally) or the process exits, and — for a
 * process that was killed — swept by the next process that makes one (or calls sweepStaleTemp at start).
 */

export interface PrivateTemp {
  dir: string;
  /** Removes the folder and everything in it; safe to call twice. */
  remove(): void;
}

/**
 * `<purpose>-<pid>-<process start, s>-<random>`: the pid says whether the process that made it still
 * runs; the start time tells this process from an earlier one with the same pid (a restarted container).
 */
const folderName = /^([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-(\d+)-(\d+)-[A-Za-z0-9]+$/;
/** When this process started (the same in its worker threads, which share the pid and the folders). */
const processStart = Math.round(Date.now() / 1000 - process.uptime());
/** A folder older than this is swept even if a process with its pid runs (a pid reused after a crash). */
const STALE_AFTER_MS = 2 * 24 * 60 * 60 * 1000;

const made = new Set<string>();
const sweptRoots = new Set<string>();
let exitHookInstalled = false;

function owner(): string {
  const uid = process.getuid?.();
  return uid !== undefined ? String(uid) : userInfo().username.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A per-user root that no one else can read, list or replace (checked: not a link, ours, 0700). */
function usableRoot(root: string): boolean {
  try {
    mkdirSync(root, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  const info = lstatSync(root);
  if (info.isSymbolicLink() || !info.isDirectory()) return false;
  if (process.platform !== 'win32') {
    if (info.uid !== process.getuid?.()) return false;
    if ((info.mode & 0o777) !== 0o700) chmodSync(root, 0o700);
  }
  return true;
}

const fallbackRoots = new Map<string, string>();

/** `<tmp>/plan-workbench-<uid>`; if someone else planted that name, a fresh private root of this process. */
export function privateTempRoot(base: string = tmpdir()): string {
  const root = join(base, `plan-workbench-${owner()}`);
  if (usableRoot(root)) return root;
  let fallback = fallbackRoots.get(base);
  if (!fallback) {
    fallback = mkdtempSync(join(base, `plan-workbench-${owner()}-`));
    fallbackRoots.set(base, fallback);
    made.add(fallback);
  }
  return fallback;
}

function alive(pid: number, started: number): boolean {
  if (pid === process.pid) return Math.abs(started - processStart) <= 5;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the folders left by processes that no longer run (killed mid-import or mid-export), those
 * of an earlier process with this pid, and any older than two days (a pid reused by another program).
 * Returns the folders removed.
 */
export function sweepStaleTemp(base: string = tmpdir(), now: number = Date.now()): string[] {
  const root = privateTempRoot(base);
  sweptRoots.add(root);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(root, name);
    const m = folderName.exec(name);
    if (!m || made.has(dir)) continue;
    let old: boolean;
    try {
      old = now - statSync(dir).mtimeMs > STALE_AFTER_MS;
    } catch {
      continue;
    }
    if (alive(Number(m[2]), Number(m[3])) && !old) continue;
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
      removed.push(dir);
    } catch {
      // Still in use on Windows (a Chromium that has not exited yet): the next start tries again.
    }
  }
  return removed;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A normal exit (process.exit included) removes what is left; only a kill leaves folders for the sweep.
  process.on('exit', () => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
}

/** A new private temp folder for `purpose` (lower-case words joined by '-', e.g. 'import-copy'). */
export function makePrivateTemp(purpose: string, base: string = tmpdir()): PrivateTemp {
  if (!/^[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*$/.test(purpose)) throw new Error(`bad temp purpose ${purpose}`);
  const root = privateTempRoot(base);
  if (!sweptRoots.has(root)) sweepStaleTemp(base);
  installExitHook();
  const dir = mkdtempSync(join(root, `${purpose}-${process.pid}-${processStart}-`));
  chmodSync(dir, 0o700);
  made.add(dir);
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      made.delete(dir);
    },
  };
}

/** Runs `use` with a private temp folder and removes the folder afterwards, however `use` ends. */
export function withPrivateTempSync<T>(purpose: string, use: (dir: string) => T): T {
  const temp = makePrivateTemp(purpose);
  try {
    return use(temp.dir);
  } finally {
    temp.remove();
  }
}

/** The async form of withPrivateTempSync: removed after the promise settles. */
export async function withPrivateTemp<T>(purpose: string, use: (dir: string) => Promise<T>): Promise<T> {
  const temp = makePrivateTemp(purpose);
  try {
    return await use(temp.dir);
  } finally {
    temp.remove();
  }
}
