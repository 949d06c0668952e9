import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDatabase } from '../../electron/workspace/create-database';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * A plan whose writer lock nobody can prove stale ('lock_unverified': another computer's lock, an
 * unreadable one, on Windows a reused PID after a crash): the app asks before taking it over, at
 * start-up and on File › Open (the recent files and a double-clicked file go the same way). The
 * services run as in the app (mocked electron: the real entry in a worker thread).
 */

const calls = vi.hoisted(() => ({
  boxes: [] as Record<string, unknown>[],
  answer: 1,
  children: [] as { terminate(): Promise<number> }[],
}));

vi.mock('electron', async () => {
  const { forkInThread } = await import('../helpers/utility-fork');
  return {
    utilityProcess: {
      fork: (modulePath: string) => forkInThread(modulePath, calls.children),
    },
    dialog: {
      showMessageBox: async (options: Record<string, unknown>) => {
        calls.boxes.push(options);
        return { response: calls.answer };
      },
    },
    BrowserWindow: class {},
  };
});

const electron = await import('electron');
const { startAppServices } = await import('../../electron/main/app-services');
const { openAskingToTakeOver, TAKE_OVER_BUTTONS } = await import('../../electron/main/lock-take-over');
const { hostHandlersOf } = await import('../../electron/api/host-handlers');
const { exportHostParts } = await import('../../electron/main/print');
type Services = Awaited<ReturnType<typeof startAppServices>>;

const bootstrap = join(import.meta.dirname, '..', 'helpers', 'utility-process-in-thread.ts');
const showBox = (options: Parameters<typeof electron.dialog.showMessageBox>[0]) => electron.dialog.showMessageBox(options);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  calls.boxes.length = 0;
});

/** A plan file with a lock of another computer beside it (its host name long, as a user's could be). */
async function lockedElsewhere(dir: string, name: string, host = 'kaigishitsu-pc') {
  const path = join(dir, name);
  await (await createDatabase(path, realSeeds())).db.close();
  const lock = JSON.stringify({ pid: 4242, host, since: '2026-11-30T09:00:00.000Z' });
  writeFileSync(`${path}.lock`, lock);
  return { path, lock };
}

function start(dir: string, dbPath: string, takeOverLock: boolean): Promise<Services> {
  return startAppServices(electron.utilityProcess as never, {
    entry: bootstrap,
    appVersion: 'test',
    userData: join(dir, 'userdata'),
    dbPath,
    seedsDir: join(import.meta.dirname, '..', '..', 'seeds'),
    takeOverLock,
    host: hostHandlersOf({ ...exportHostParts(() => ({}) as never), chooseImportFile: async () => null }),
    log: () => {},
  });
}

function temp() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const heldBy = (path: string) => JSON.parse(readFileSync(`${path}.lock`, 'utf8')) as { pid: number; host: string };

describe("opening a plan whose lock can't be verified", () => {
  it('at start-up: asks, naming who holds it, 開かない by default; 開かない leaves the lock; それでも開く takes it over and opens', async () => {
    const dir = temp();
    const { path, lock } = await lockedElsewhere(dir, 'plan.plandb');
    calls.answer = 1;
    expect(await openAskingToTakeOver(path, showBox, (t) => start(dir, path, t))).toBeNull();
    expect(calls.boxes).toHaveLength(1);
    expect(calls.boxes[0]).toMatchObject({ type: 'warning', buttons: TAKE_OVER_BUTTONS, defaultId: 1, cancelId: 1 });
    expect(TAKE_OVER_BUTTONS).toEqual(['それでも開く', '開かない']);
    expect(String(calls.boxes[0]!.message)).toContain('plan.plandb');
    expect(String(calls.boxes[0]!.detail)).toContain('kaigishitsu-pc');
    expect(String(calls.boxes[0]!.detail)).toContain('変更が失われる');
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(lock);

    calls.answer = 0;
    const services = await openAskingToTakeOver(path, showBox, (t) => start(dir, path, t));
    expect(services).not.toBeNull();
    cleanups.push(() => services!.stop());
    expect(calls.boxes).toHaveLength(2);
    expect(services!.file.fileName).toBe('plan.plandb');
    expect(heldBy(path)).toMatchObject({ pid: process.pid });
    expect(await services!.call('plan.summary', {})).toMatchObject({ ok: true });
  }, 120_000);

  it('on File › Open: 開かない keeps the current file open; それでも開く opens the other one, taking its lock', async () => {
    const dir = temp();
    const current = join(dir, 'current.plandb');
    await (await createDatabase(current, realSeeds())).db.close();
    const services = await openAskingToTakeOver(current, showBox, (t) => start(dir, current, t));
    cleanups.push(() => services!.stop());
    expect(calls.boxes).toHaveLength(0);
    const other = await lockedElsewhere(dir, 'other.plandb', 'x'.repeat(5000));
    const open = (path: string) => openAskingToTakeOver(path, showBox, (takeOverLock) => services!.control({ op: 'open', path, ...(takeOverLock ? { takeOverLock } : {}) }));

    calls.answer = 1;
    expect(await open(other.path)).toBeNull();
    expect(services!.file.fileName).toBe('current.plandb');
    expect(readFileSync(`${other.path}.lock`, 'utf8')).toBe(other.lock);
    // A 5000-character host name is quoted as a short excerpt.
    expect(String(calls.boxes[0]!.detail).length).toBeLessThan(600);

    calls.answer = 0;
    expect(await open(other.path)).toMatchObject({ fileName: 'other.plandb' });
    expect(services!.file.fileName).toBe('other.plandb');
    expect(heldBy(other.path)).toMatchObject({ pid: process.pid });
    // The file left behind is released.
    expect(existsSync(`${current}.lock`)).toBe(false);
  }, 120_000);

  it('asks nothing for other refusals (a plan the app itself has open, a missing file): they fail as before', async () => {
    const dir = temp();
    const current = join(dir, 'current.plandb');
    await (await createDatabase(current, realSeeds())).db.close();
    const services = (await start(dir, current, false));
    cleanups.push(() => services.stop());
    const missing = join(dir, 'missing.plandb');
    await expect(openAskingToTakeOver(missing, showBox, () => services.control({ op: 'open', path: missing }))).rejects.toMatchObject({ code: 'not_found' });
    // Another services instance of this process on the same plan: live, never asked about, never taken.
    await expect(openAskingToTakeOver(current, showBox, (t) => start(dir, current, t))).rejects.toMatchObject({ code: 'database_busy' });
    expect(calls.boxes).toHaveLength(0);
  }, 120_000);
});
