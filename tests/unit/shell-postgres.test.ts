import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL } from '../../shared/contract/methods';
import { freshPostgresDatabase, type FreshDatabase } from '../helpers/pg-database';
import { tempDir } from '../helpers/temp';

/**
 * The app's shell on a plan in PostgreSQL (mocked electron; the services' real entry in a worker
 * thread, as the other shell tests run it): File › Open offers PostgreSQL connection files, a
 * `.pgconn` file opens the plan on the server, the window's title and the recent list carry no
 * password, and a refusal is shown as the menu shows every open error while the plan open stays.
 */

const calls = vi.hoisted(() => ({
  children: [] as { terminate(): Promise<number> }[],
  openDialogs: [] as Record<string, unknown>[],
  openAnswer: [] as string[],
  errorBoxes: [] as string[],
  template: [] as { label?: string; submenu?: unknown }[],
}));

vi.mock('electron', async () => {
  const { forkInThread } = await import('../helpers/utility-fork');
  return {
    utilityProcess: { fork: (modulePath: string) => forkInThread(modulePath, calls.children) },
    app: { isPackaged: false },
    dialog: {
      showOpenDialog: async (_win: unknown, options: Record<string, unknown>) => {
        calls.openDialogs.push(options);
        return { canceled: false, filePaths: calls.openAnswer };
      },
      showErrorBox: (_title: string, message: string) => void calls.errorBoxes.push(message),
    },
    Menu: {
      buildFromTemplate: (t: typeof calls.template) => ((calls.template = t), {}),
      setApplicationMenu: () => {},
    },
    BrowserWindow: class {},
    shell: { openPath: async () => '' },
  };
});

const electron = await import('electron');
const { startAppServices } = await import('../../electron/main/app-services');
const { buildMenu } = await import('../../electron/main/menu');
const { registerIpc } = await import('../../electron/main/ipc');
const { recentEntryOf, windowTitle } = await import('../../electron/main/plan-location');
type Services = Awaited<ReturnType<typeof startAppServices>>;

const bootstrap = join(import.meta.dirname, '..', 'helpers', 'utility-process-in-thread.ts');
const page = { senderFrame: { url: 'app://plan/index.html', parent: null } };
let t: ReturnType<typeof tempDir>;
let pg: FreshDatabase;
let pgconn: string;
let services: Services;
const logLines: string[] = [];
let invoke: (event: unknown, payload: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;

/** A connection file as IT hands one out: the password inside, readable by its owner only. */
function connectionFile(name: string, url: string): string {
  const u = new URL(url);
  const path = join(t.dir, name);
  writeFileSync(path, JSON.stringify({ host: u.hostname, port: Number(u.port), database: decodeURIComponent(u.pathname.slice(1)), user: u.username, password: decodeURIComponent(u.password) }));
  chmodSync(path, 0o600);
  return path;
}

beforeAll(async () => {
  t = tempDir();
  pg = await freshPostgresDatabase();
  pgconn = connectionFile('共有計画.pgconn', pg.url);
  services = await startAppServices(electron.utilityProcess as never, {
    entry: bootstrap,
    appVersion: 'test',
    userData: join(t.dir, 'userdata'),
    dbPath: pgconn,
    seedsDir: join(import.meta.dirname, '..', '..', 'seeds'),
    host: {},
    log: (line) => logLines.push(line),
  });
  const ipcMain = { handle: (channel: string, h: typeof invoke) => void (channel === IPC_CHANNEL && (invoke = h)) };
  registerIpc(ipcMain as never, services.call);
}, 120_000);

afterAll(async () => {
  await services?.stop();
  await pg?.drop();
  t.cleanup();
});

interface Item {
  label?: string;
  click?: () => Promise<void>;
}
const fileItem = (label: string) => (calls.template.find((m) => m.label === 'ファイル')!.submenu as Item[]).find((i) => i.label === label)!;

describe('the shell on a plan in PostgreSQL', () => {
  it('opens the plan a .pgconn file names (created from the seeds), and shows the display only', async () => {
    expect(services.file).toEqual({ path: pg.location.display, fileName: pg.location.display });
    expect(windowTitle(services.file)).toBe(`計画ワークベンチ — ${pg.location.display}`);
    expect(windowTitle(services.file)).not.toContain('plan-test-password');
    expect(await invoke(page, { method: 'plan.summary', args: {} })).toMatchObject({ ok: true, value: { startYear: 2020 } });
    // The recent list keeps the connection file (never a URL, which may hold a password).
    expect(recentEntryOf(pgconn, services.file)).toBe(pgconn);
    expect(recentEntryOf(pg.url, services.file)).toBeNull();
    expect(recentEntryOf('/plans/plan.plandb', { path: '/real/plan.plandb', fileName: 'plan.plandb' })).toBe('/real/plan.plandb');
  }, 60_000);

  it('File › Open offers PostgreSQL connection files and opens the one chosen; a refusal is shown and the plan stays', async () => {
    const opened: string[] = [];
    const actions = {
      open: async (path: string) => {
        await services.control({ op: 'open', path });
        opened.push(path);
      },
      create: async () => {},
      saveCopy: async () => {},
      recentFiles: () => [pgconn],
    };
    buildMenu({} as never, actions);
    calls.openAnswer = [pgconn];
    await fileItem('開く…').click!();
    const filters = calls.openDialogs.at(-1)!.filters as { name: string; extensions: string[] }[];
    expect(filters).toContainEqual({ name: 'PostgreSQL 接続ファイル', extensions: ['pgconn'] });
    expect(filters[0]!.extensions).toEqual(['plandb', 'pgconn']);
    expect(opened).toEqual([pgconn]);
    expect(calls.errorBoxes).toEqual([]);

    // A connection file with a wrong password: the menu shows the Japanese refusal; the plan open stays.
    const wrong = connectionFile('違う.pgconn', pg.url.replace('plan-test-password', 'wrong-secret').replace(/\/\/plan:/, '//other_user:'));
    calls.openAnswer = [wrong];
    await fileItem('開く…').click!();
    expect(calls.errorBoxes).toHaveLength(1);
    expect(calls.errorBoxes[0]).toMatch(/PostgreSQL|ユーザー/);
    expect(calls.errorBoxes[0]).not.toContain('wrong-secret');
    expect(services.file.path).toBe(pg.location.display);
    expect(await invoke(page, { method: 'plan.summary', args: {} })).toMatchObject({ ok: true });
    expect(logLines.join('\n')).not.toContain('plan-test-password');
  }, 60_000);
});
