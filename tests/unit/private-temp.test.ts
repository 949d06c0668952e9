import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makePrivateTemp, privateTempRoot, sweepStaleTemp, withPrivateTemp, withPrivateTempSync } from '../../electron/files/private-temp';
import { chromiumExecutable } from '../../electron/export/chromium-pdf';
import { tempDir } from '../helpers/temp';

/**
 * Temp files are private and cleaned on every path: the plan copies of imports and the Chromium
 * profiles of PDF exports live in 0700 folders of a 0700 per-user root, are removed when the work
 * ends (also when it throws), and what a killed process left is swept by the next start.
 */

const root = join(import.meta.dirname, '..', '..');
const base = tempDir('plan-private-temp-');
afterAll(() => base.cleanup());

const mode = (p: string) => statSync(p).mode & 0o777;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A process of tests/helpers/temp-child.ts whose temp folders go under `tmp` (its TMPDIR). */
function child(mode: 'hold' | 'import' | 'pdf', tmp: string, work: string): ChildProcess {
  const c = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests', 'helpers', 'temp-child.ts'), mode, work], {
    cwd: root,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(c);
  return c;
}

const folders = (tmp: string, prefix: string) =>
  readdirSync(privateTempRoot(tmp))
    .filter((n) => n.startsWith(`${prefix}-`))
    .map((n) => join(privateTempRoot(tmp), n));

/** Waits (polling; bounded by a deadline, not timed) until `check` gives a value. */
async function until<T>(check: () => T | undefined, what: string, deadlineMs = 60_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The processes whose command line names `dir` (Chromium's, by its --user-data-dir): Linux /proc. */
function processesUsing(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(dir)) pids.push(Number(name));
    } catch {
      // ended meanwhile
    }
  }
  return pids;
}

const exited = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

/**
 * Catches `c` while a folder of `prefix` exists: freezes the process (SIGSTOP) the moment one is
 * seen, checks it is still there, and kills it (SIGKILL) — a kill in the middle of the work.
 */
async function killMidWork(c: ChildProcess, tmp: string, prefix: string): Promise<string[]> {
  for (;;) {
    const seen = await until(() => (existsSync(privateTempRoot(tmp)) && folders(tmp, prefix).length > 0 ? true : undefined), `a ${prefix} folder`);
    if (!seen) continue;
    c.kill('SIGSTOP');
    const left = folders(tmp, prefix);
    if (left.length > 0) {
      c.kill('SIGKILL');
      await exited(c);
      return left;
    }
    c.kill('SIGCONT');
  }
}

describe('private temp folders', () => {
  it('are 0700 inside a 0700 per-user root, and are removed when the work ends or throws', async () => {
    const tmp = join(base.dir, 'modes');
    mkdirSync(tmp);
    let inside = '';
    withPrivateTempSync('import-copy', (dir) => {
      inside = dir;
      writeFileSync(join(dir, 'incoming.plandb'), 'plan');
      expect(mode(dir)).toBe(0o700);
      expect(mode(privateTempRoot())).toBe(0o700);
    });
    expect(existsSync(inside)).toBe(false);
    expect(() =>
      withPrivateTempSync('import-copy', (dir) => {
        inside = dir;
        throw new Error('reader failed');
      }),
    ).toThrow('reader failed');
    expect(existsSync(inside)).toBe(false);
    await expect(
      withPrivateTemp('pdf-chromium', async (dir) => {
        inside = dir;
        mkdirSync(join(dir, 'profile', 'Default'), { recursive: true });
        throw new Error('Chromium failed');
      }),
    ).rejects.toThrow('Chromium failed');
    expect(existsSync(inside)).toBe(false);

    const t = makePrivateTemp('print-page', tmp);
    expect(t.dir.startsWith(privateTempRoot(tmp))).toBe(true);
    expect(mode(privateTempRoot(tmp))).toBe(0o700);
    expect(mode(t.dir)).toBe(0o700);
    expect(t.dir).toContain(`print-page-${process.pid}-`);
    t.remove();
    t.remove();
    expect(existsSync(t.dir)).toBe(false);
  });

  it('does not use a root someone else planted (a link to elsewhere, a file, a root open to others it fixes)', () => {
    for (const [name, plant] of [
      ['link', (r: string, tmp: string) => (mkdirSync(join(tmp, 'elsewhere')), symlinkSync(join(tmp, 'elsewhere'), r))],
      ['file', (r: string) => writeFileSync(r, 'not a folder')],
    ] as const) {
      const tmp = join(base.dir, `planted-${name}`);
      mkdirSync(tmp);
      const planted = join(tmp, `plan-workbench-${process.getuid!()}`);
      plant(planted, tmp);
      const t = makePrivateTemp('import-copy', tmp);
      expect(t.dir.startsWith(`${planted}/`), name).toBe(false);
      expect(lstatSync(t.dir).isDirectory()).toBe(true);
      expect(mode(t.dir)).toBe(0o700);
      if (name === 'link') expect(readdirSync(join(tmp, 'elsewhere'))).toEqual([]);
      t.remove();
    }
    const tmp = join(base.dir, 'open-root');
    mkdirSync(join(tmp, `plan-workbench-${process.getuid!()}`), { recursive: true, mode: 0o777 });
    const t = makePrivateTemp('import-copy', tmp);
    expect(mode(privateTempRoot(tmp))).toBe(0o700);
    t.remove();
  });

  it('sweeps the folders of a killed process at the next start, and leaves those of running processes', async () => {
    const tmp = join(base.dir, 'hold');
    mkdirSync(tmp);
    const running = child('hold', tmp, tmp);
    const killed = child('hold', tmp, tmp);
    const readyDir = (c: ChildProcess) =>
      new Promise<string>((resolve, reject) => {
        let out = '';
        c.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /ready (.+)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        c.once('exit', () => reject(new Error(`child exited: ${out}`)));
      });
    const [runningDir, killedDir] = await Promise.all([readyDir(running), readyDir(killed)]);
    expect(mode(killedDir)).toBe(0o700);
    killed.kill('SIGKILL');
    await exited(killed);
    expect(existsSync(join(killedDir, 'incoming.plandb'))).toBe(true);
    const removed = sweepStaleTemp(tmp);
    expect(removed).toEqual([killedDir]);
    expect(existsSync(killedDir)).toBe(false);
    expect(existsSync(runningDir)).toBe(true);
    // A folder older than two days is swept even if its pid runs (a pid reused by another program).
    expect(sweepStaleTemp(tmp, Date.now() + 3 * 24 * 3600 * 1000)).toEqual([runningDir]);
  });

  it('a colleague’s database import killed mid-way (SIGKILL) leaves its plan copy only until the next start', async () => {
    const tmp = join(base.dir, 'import');
    const work = join(base.dir, 'import-work');
    mkdirSync(tmp);
    mkdirSync(work);
    const c = child('import', tmp, work);
    const left = await killMidWork(c, tmp, 'import-copy');
    expect(left.length).toBeGreaterThan(0);
    for (const dir of left) expect(mode(dir)).toBe(0o700);
    // The next start (its first temp folder) sweeps what the killed import left.
    const next = makePrivateTemp('import-copy', tmp);
    for (const dir of left) expect(existsSync(dir)).toBe(false);
    next.remove();
    expect(readdirSync(privateTempRoot(tmp))).toEqual([]);
  }, 120_000);

  it.skipIf(!chromiumExecutable() || process.platform !== 'linux')(
    'a PDF export killed mid-way (SIGKILL) leaves its Chromium profile only in its private folder, swept at the next start',
    async () => {
      const tmp = join(base.dir, 'pdf');
      mkdirSync(tmp);
      const before = readdirSync(tmp);
      const c = child('pdf', tmp, tmp);
      // Wait for Chromium's profile inside the private folder, then kill the exporting process.
      await until(() => folders(tmp, 'pdf-chromium').find((d) => existsSync(join(d, 'profile', 'Default'))), 'a Chromium profile', 90_000);
      c.kill('SIGKILL');
      await exited(c);
      const left = folders(tmp, 'pdf-chromium');
      expect(left.length).toBeGreaterThan(0);
      for (const dir of left) expect(mode(dir)).toBe(0o700);
      // Chromium notices its parent is gone and exits; then the next start's sweep removes the folder.
      await until(() => (left.some((dir) => processesUsing(dir).length > 0) ? undefined : true), 'Chromium to exit', 60_000);
      expect(sweepStaleTemp(tmp).sort()).toEqual([...left].sort());
      expect(readdirSync(privateTempRoot(tmp))).toEqual([]);
      // Nothing of Chromium's or Playwright's is left beside the private root (tsx's cache is the test's own).
      expect(readdirSync(tmp).filter((n) => !before.includes(n) && !n.startsWith('tsx-'))).toEqual([`plan-workbench-${process.getuid!()}`]);
    },
    150_000,
  );
});
