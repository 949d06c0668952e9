import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL } from '../../shared/contract/methods';
import { seededDatabase } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * The app's shell with its services in a utility process (mocked electron): the shell forks the
 * services' entry, passes the page's IPC calls on, and answers the services' host requests with
 * its dialogs. The "utility process" is the real entry in a worker thread with Electron's
 * parentPort surroundings (tests/helpers/utility-process-in-thread.ts).
 */

const calls = vi.hoisted(() => ({
  forks: [] as { modulePath: string; options: Record<string, unknown> | undefined }[],
  saveDialogs: [] as Record<string, unknown>[],
  saveAnswer: '',
  children: [] as { terminate(): Promise<number> }[],
}));

vi.mock('electron', async () => {
  const { forkInThread } = await import('../helpers/utility-fork');
  return {
    utilityProcess: {
      fork: (modulePath: string, _args: string[], options?: Record<string, unknown>) => {
        calls.forks.push({ modulePath, options });
        return forkInThread(modulePath, calls.children);
      },
    },
    dialog: {
      showSaveDialog: async (_win: unknown, options: Record<string, unknown>) => {
        calls.saveDialogs.push(options);
        return { canceled: false, filePath: calls.saveAnswer };
      },
    },
    shell: { openPath: async () => '' },
    BrowserWindow: class {},
  };
});

const electron = await import('electron');
const { startAppServices } = await import('../../electron/main/app-services');
const { registerIpc } = await import('../../electron/main/ipc');
const { exportHostParts } = await import('../../electron/main/print');
const { hostHandlersOf } = await import('../../electron/api/host-handlers');
type Services = Awaited<ReturnType<typeof startAppServices>>;

const bootstrap = join(import.meta.dirname, '..', 'helpers', 'utility-process-in-thread.ts');
let env: Awaited<ReturnType<typeof seededDatabase>>;
let t: ReturnType<typeof tempDir>;
let services: Services;
let invoke: (event: unknown, payload: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
let importAnswer: string | null = null;
const page = { senderFrame: { url: 'app://plan/index.html', parent: null } };

beforeAll(async () => {
  env = await seededDatabase();
  await env.db.db.close();
  t = tempDir();
  services = await startAppServices(electron.utilityProcess as never, {
    entry: bootstrap,
    appVersion: 'test',
    userData: join(t.dir, 'userdata'),
    dbPath: env.path,
    seedsDir: join(import.meta.dirname, '..', '..', 'seeds'),
    host: hostHandlersOf({ ...exportHostParts(() => ({}) as never), chooseImportFile: async () => importAnswer }),
    log: () => {},
  });
  const ipcMain = { handle: (channel: string, h: typeof invoke) => void (channel === IPC_CHANNEL && (invoke = h)) };
  registerIpc(ipcMain as never, services.call);
}, 60_000);

afterAll(async () => {
  await services?.stop();
  await env.cleanup();
  t.cleanup();
});

describe('the shell runs the services in a utility process', () => {
  it('forks the services entry and answers the page over IPC from there, our page only', async () => {
    expect(calls.forks).toHaveLength(1);
    expect(calls.forks[0]).toMatchObject({ modulePath: bootstrap, options: { serviceName: 'Plan Workbench services' } });
    expect(services.file).toEqual({ path: env.path, fileName: 'plan.plandb' });
    expect(await invoke(page, { method: 'app.info', args: {} })).toMatchObject({ ok: true, value: { transport: 'ipc', dbFileName: 'plan.plandb' } });
    expect(await invoke({ senderFrame: { url: 'https://evil.example/' } }, { method: 'plan.summary', args: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  }, 60_000);

  it("asks the shell's save and open dialogs: a hand-out workbook is saved where the dialog says and taken back through the open dialog", async () => {
    calls.saveAnswer = join(t.dir, '記入用_国際部.xlsx');
    const units = (await invoke(page, { method: 'units.list', args: {} })).value as { id: string; name: string }[];
    const unitId = units.find((u) => u.name === '国際部')!.id;
    const saved = await invoke(page, { method: 'import.handoutWorkbook', args: { unitId, fiscalYear: 2021 } });
    expect(saved).toMatchObject({ ok: true, value: { status: 'saved', fileName: '記入用_国際部.xlsx' } });
    expect(calls.saveDialogs.at(-1)).toMatchObject({ defaultPath: expect.stringContaining('国際部') });
    expect(readFileSync(calls.saveAnswer).subarray(0, 2).toString()).toBe('PK');

    importAnswer = calls.saveAnswer;
    const analysed = await invoke(page, { method: 'import.analyze', args: { source: { kind: 'dialog' } } });
    expect(analysed).toMatchObject({ ok: true, value: { status: 'ready', review: { fileName: '記入用_国際部.xlsx' } } });
    importAnswer = null;
    expect(await invoke(page, { method: 'import.analyze', args: { source: { kind: 'dialog' } } })).toMatchObject({ ok: true, value: { status: 'cancelled' } });
  }, 60_000);

  it('starts the services again when their process dies, on the same file, and calls go on', async () => {
    const before = calls.forks.length;
    await calls.children.at(-1)!.terminate();
    let answer: { ok: boolean } | undefined;
    const deadline = Date.now() + 30_000;
    while (!answer?.ok && Date.now() < deadline) {
      answer = await invoke(page, { method: 'plan.summary', args: {} });
      if (!answer.ok) await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer).toMatchObject({ ok: true, value: { startYear: 2020 } });
    expect(calls.forks.length).toBe(before + 1);
    expect(existsSync(`${env.path}.lock`)).toBe(true);
  }, 60_000);
});
