import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { processStartOf } from '../../electron/db/process-start';
import { WriterLock } from '../../electron/db/writer-lock';
import { createDatabaseFile } from '../../electron/workspace/create-database';
import { Workspace } from '../../electron/workspace/workspace';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

const repoRoot = join(import.meta.dirname, '..', '..');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function temp() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

function seeded() {
  const dir = temp();
  const path = join(dir, 'plan.plandb');
  createDatabaseFile(path, realSeeds());
  return { dir, path };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

/** A PID that belonged to a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();

/** A process that stays alive until killed (its PID stands for "a PID now used by someone else"). */
function liveProcess(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  cleanups.push(() => child.kill());
  return child;
}

describe('the writer lock is keyed by the real path', () => {
  it('a symlink, a relative spelling and a path with .. all reach the lock the app holds', async () => {
    const { dir, path } = seeded();
    const holder = new Workspace('t');
    await holder.open(path);
    cleanups.push(() => holder.close());
    mkdirSync(join(dir, 'sub'));
    symlinkSync(path, join(dir, 'link.plandb'));
    symlinkSync(dir, join(dir, 'dirlink'));
    const spellings = [join(dir, 'link.plandb'), join(dir, 'sub', '..', 'plan.plandb'), join(dir, 'dirlink', 'plan.plandb'), join(dir, '.', 'dirlink', 'link.plandb')];
    for (const spelling of spellings) {
      const e = await refusal(new Workspace('t').open(spelling));
      expect(e.code, spelling).toBe('database_busy');
      expect(e.messageJa).toContain('別の計画ワークベンチ');
      expect(() => WriterLock.acquire(spelling), spelling).toThrow(AppError);
    }
    // There is one lock file, beside the real file.
    expect(existsSync(`${path}.lock`)).toBe(true);
    expect(existsSync(join(dir, 'link.plandb.lock'))).toBe(false);
  });
});

describe('what a lock records and when it is stale', () => {
  it('records pid, host, time and the process start, and is removed on release', () => {
    const { path } = seeded();
    const lock = WriterLock.acquire(path);
    const held = JSON.parse(readFileSync(`${path}.lock`, 'utf8')) as Record<string, unknown>;
    expect(held.pid).toBe(process.pid);
    expect(held.host).toBe(hostname());
    expect(Number.isNaN(Date.parse(String(held.since)))).toBe(false);
    if (process.platform === 'linux') expect(held.start).toBe(processStartOf(process.pid));
    lock.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('a PID that now belongs to another process (another start time) is recognised as stale and taken over', async () => {
    if (process.platform !== 'linux' && process.platform !== 'darwin') return;
    const { path } = seeded();
    const other = liveProcess();
    const realStart = processStartOf(other.pid!);
    expect(realStart).toBeTruthy();
    // The same PID, but the lock was written by a process that started at another time.
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: other.pid, host: hostname(), since: '2026-01-01T00:00:00Z', start: `${realStart}0` }));
    const ws = new Workspace('t');
    await ws.open(path);
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8')).pid).toBe(process.pid);
    await ws.close();

    // With the right start time the holder is running: refused, naming it, lock untouched.
    const live = JSON.stringify({ pid: other.pid, host: hostname(), since: '2026-01-01T00:00:00Z', start: realStart });
    writeFileSync(`${path}.lock`, live);
    const e = await refusal(new Workspace('t').open(path, { takeOverLock: true }));
    expect(e.code).toBe('database_busy');
    expect(e.messageJa).toContain(String(other.pid));
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(live);
  });

  it('a dead process on this computer: taken over without asking', async () => {
    const { path } = seeded();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: Number(deadPid()), host: hostname(), since: 'x', start: 'y' }));
    const ws = new Workspace('t');
    await ws.open(path);
    await ws.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  // Generated: other computers' locks (even of "dead" PIDs) and every kind of unreadable lock.
  const foreignLocks: [string, string][] = [
    ['another computer, a PID that is dead here', JSON.stringify({ pid: 999_999, host: 'keiri-pc-02', since: '2026-11-30T09:00:00Z' })],
    ['another computer, our own PID', JSON.stringify({ pid: process.pid, host: 'keiri-pc-02', since: '2026-11-30T09:00:00Z' })],
    ['another computer, a very long host name', JSON.stringify({ pid: 42, host: 'h'.repeat(5000), since: 's'.repeat(5000) })],
    ['empty', ''],
    ['not JSON', 'locked by Tanaka'],
    ['JSON without pid', JSON.stringify({ host: hostname(), since: 'x' })],
    ['pid as text', JSON.stringify({ pid: '123', host: hostname(), since: 'x' })],
    ['negative pid', JSON.stringify({ pid: -1, host: hostname(), since: 'x' })],
    ['an array', '[1,2,3]'],
    ['binary', '\u0000\u0001\u00ff'.repeat(50)],
  ];
  it.each(foreignLocks)('%s: never taken over silently; taken over on purpose', async (_label, content) => {
    const { path } = seeded();
    writeFileSync(`${path}.lock`, content);
    const e = await refusal(new Workspace('t').open(path));
    expect(e.code).toBe('lock_unverified');
    expect(e.messageJa).toContain('--take-over-lock');
    expect(e.messageJa.length).toBeLessThan(500);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(content);
    const ws = new Workspace('t');
    await ws.open(path, { takeOverLock: true });
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8')).pid).toBe(process.pid);
    await ws.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('a lock path that is a folder or a link gets a clear message, also with --take-over-lock, and stays', async () => {
    const { dir, path } = seeded();
    mkdirSync(`${path}.lock`);
    for (const takeOverLock of [false, true]) {
      const e = await refusal(new Workspace('t').open(path, { takeOverLock }));
      expect(e.messageJa).toContain('フォルダー');
      expect(existsSync(`${path}.lock`)).toBe(true);
    }
    const other = join(dir, 'other.plandb');
    createDatabaseFile(other, realSeeds());
    symlinkSync(join(dir, 'nowhere', 'x.lock'), `${other}.lock`);
    for (const takeOverLock of [false, true]) {
      const e = await refusal(new Workspace('t').open(other, { takeOverLock }));
      expect(e.messageJa).toContain('存在しない場所を指す');
      expect(e.messageJa).toContain('リンク');
    }
  });
});

describe('taking over a stale lock is atomic', { timeout: 240_000 }, () => {
  it('of six processes that all see the same stale locks, exactly one takes each', async () => {
    const dir = temp();
    const rounds = 25;
    const dbs = Array.from({ length: rounds }, (_, i) => join(dir, `plan-${i}.plandb`));
    const dead = Number(deadPid());
    for (const db of dbs) writeFileSync(`${db}.lock`, JSON.stringify({ pid: dead, host: hostname(), since: 'x' }));
    const script = join(dir, 'racer.mts');
    // Each racer waits for the start signal, then tries every lock in turn and holds what it won until told to stop.
    writeFileSync(
      script,
      `import { existsSync, writeFileSync } from 'node:fs';
import { WriterLock } from ${JSON.stringify(join(repoRoot, 'electron', 'db', 'writer-lock.ts'))};
const [id, dir] = process.argv.slice(2);
const dbs = ${JSON.stringify(dbs)};
writeFileSync(dir + '/ready-' + id, '');
while (!existsSync(dir + '/go')) await new Promise((r) => setTimeout(r, 5));
const won = [];
for (const db of dbs) { try { WriterLock.acquire(db); won.push(db); } catch {} }
writeFileSync(dir + '/result-' + id, JSON.stringify(won));
while (!existsSync(dir + '/stop')) await new Promise((r) => setTimeout(r, 20));
`,
    );
    const racers = Array.from({ length: 6 }, (_, i) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, String(i), dir], { cwd: repoRoot, stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } });
      cleanups.push(() => child.kill());
      return child;
    });
    const until = async (check: () => boolean) => {
      const deadline = Date.now() + 180_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('racers did not finish');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until(() => racers.every((_, i) => existsSync(join(dir, `ready-${i}`))));
    writeFileSync(join(dir, 'go'), '');
    await until(() => racers.every((_, i) => existsSync(join(dir, `result-${i}`))));
    const won = racers.map((_, i) => JSON.parse(readFileSync(join(dir, `result-${i}`), 'utf8')) as string[]);
    writeFileSync(join(dir, 'stop'), '');
    for (const db of dbs) expect(won.filter((w) => w.includes(db)).length, db).toBe(1);
  });
});
