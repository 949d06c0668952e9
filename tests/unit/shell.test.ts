import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL, methodNames } from '../../shared/contract/methods';
import { askToOpen, openRequestHandler, OPEN_BUTTONS, planFileIn, type MessageBoxOptions } from '../../electron/main/open-request';
import { SHELL_COMMAND_CHANNEL } from '../../shared/contract/shell-commands';
import { wire } from '../helpers/shell-command-wire';
import { tempDir } from '../helpers/temp';

// A stand-in for the 'electron' module: records what the shell asks of it.
const calls = vi.hoisted(() => ({
  windows: [] as { options: Record<string, unknown>; handlers: Record<string, (...a: unknown[]) => unknown>; openHandler?: (d: { url: string }) => unknown }[],
  ipc: new Map<string, (event: unknown, payload: unknown) => unknown>(),
  permissionHandler: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
  protocolHandler: undefined as undefined | ((req: Request) => Promise<Response>),
  schemes: [] as unknown[],
  openExternal: [] as string[],
  appEvents: new Map<string, ((...a: unknown[]) => unknown)[]>(),
  printPages: [] as { path: string; folderMode: number; fileMode: number; html: string }[],
  sessions: [] as { requestHandler?: (wc: unknown, p: string, cb: (ok: boolean) => void) => void; checkHandler?: () => boolean }[],
}));

vi.mock('electron', async () => {
  const { wire } = await import('../helpers/shell-command-wire');
  /** A web contents as Electron makes one: its events, its window.open handler, its session. */
  function webContents(record: (typeof calls.windows)[number]) {
    const session = {} as (typeof calls.sessions)[number] & Record<string, unknown>;
    session.setPermissionRequestHandler = (h: typeof session.requestHandler) => (session.requestHandler = h);
    session.setPermissionCheckHandler = (h: typeof session.checkHandler) => (session.checkHandler = h);
    calls.sessions.push(session);
    return {
      setWindowOpenHandler: (h: (d: { url: string }) => unknown) => (record.openHandler = h),
      on: (e: string, h: (...a: unknown[]) => unknown) => (record.handlers[e] = h),
      session,
      executeJavaScript: async () => true,
      printToPDF: async () => Buffer.from('%PDF-1.7 stand-in'),
    };
  }
  class BrowserWindow {
    webContents: ReturnType<typeof webContents>;
    constructor(options: Record<string, unknown>) {
      const record: (typeof calls.windows)[number] = { options, handlers: {} };
      calls.windows.push(record);
      this.webContents = webContents(record);
      // As Electron does: every new web contents is announced to the app.
      for (const h of calls.appEvents.get('web-contents-created') ?? []) h({}, this.webContents);
    }
    once() {}
    maximize() {}
    destroy() {}
    /** The print window loads its page from a file: what a local user could read of it, while it is there. */
    async loadFile(path: string) {
      const { readFileSync, statSync } = await import('node:fs');
      const { dirname } = await import('node:path');
      calls.printPages.push({ path, folderMode: statSync(dirname(path)).mode & 0o777, fileMode: statSync(path).mode & 0o777, html: readFileSync(path, 'utf8') });
    }
  }
  return {
    // The preload's contextBridge and ipcRenderer, wired to a main window (tests/helpers/shell-command-wire.ts).
    ...wire.electron,
    app: {
      on: (event: string, h: (...a: unknown[]) => unknown) => calls.appEvents.set(event, [...(calls.appEvents.get(event) ?? []), h]),
    },
    /** A web contents made by something other than a BrowserWindow of ours (a library, a later feature). */
    makeWebContents: () => {
      const record: (typeof calls.windows)[number] = { options: {}, handlers: {} };
      calls.windows.push(record);
      const contents = webContents(record);
      for (const h of calls.appEvents.get('web-contents-created') ?? []) h({}, contents);
      return record;
    },
    BrowserWindow,
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof calls.permissionHandler) => (calls.permissionHandler = h),
        setPermissionCheckHandler: () => {},
      },
    },
    shell: { openExternal: async (url: string) => void calls.openExternal.push(url) },
    dialog: {},
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => calls.schemes.push(...s),
      handle: (_scheme: string, h: typeof calls.protocolHandler) => (calls.protocolHandler = h),
    },
  };
});

const { createMainWindow, denyAllPermissions, guardAllWebContents, sendShellCommand } = await import('../../electron/main/window');
const { registerIpc, isTrustedSender } = await import('../../electron/main/ipc');
const { serveRenderer, CONTENT_SECURITY_POLICY } = await import('../../electron/main/protocol');
const { printToPdf } = await import('../../electron/main/print');
const electron = (await import('electron')) as unknown as { makeWebContents: () => (typeof calls.windows)[number] };

beforeEach(() => {
  calls.windows.length = 0;
  calls.sessions.length = 0;
  calls.ipc.clear();
});

const mainFrame = (url: string) => ({ senderFrame: { url, parent: null } });

describe('the Electron shell (with a mocked electron module)', () => {
  it('creates the window with context isolation, sandbox and no Node integration', () => {
    createMainWindow('/app/preload/index.cjs', undefined);
    const prefs = calls.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toBe('/app/preload/index.cjs');
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
  });

  it('denies window.open and navigation away from app://plan', () => {
    createMainWindow('p', undefined);
    const w = calls.windows[0]!;
    expect(w.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(w.openHandler?.({ url: 'app://plan/index.html' })).toEqual({ action: 'deny' });
    let prevented = false;
    w.handlers['will-navigate']!({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    prevented = false;
    w.handlers['will-navigate']!({ preventDefault: () => (prevented = true) }, 'app://plan/index.html');
    expect(prevented).toBe(false);
  });

  it('denies every permission request', () => {
    denyAllPermissions();
    let granted: boolean | undefined;
    calls.permissionHandler!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('serves the renderer from app://plan with a strict CSP, and nothing outside its folder', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'renderer');
    serveRenderer(dir);
    const ok = await calls.protocolHandler!(new Request('app://plan/index.html'));
    expect(ok.status).toBe(200);
    const csp = ok.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect((await calls.protocolHandler!(new Request('app://plan/..%2F..%2Fpackage.json'))).status).toBe(404);
    expect((await calls.protocolHandler!(new Request('app://elsewhere/index.html'))).status).toBe(404);
    // The page's own meta CSP is the same policy.
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain(CONTENT_SECURITY_POLICY);
  });

  it('registers one IPC channel that answers every contract method, from our page only', async () => {
    const seen: string[] = [];
    const ipcMain = { handle: (channel: string, h: (e: unknown, p: unknown) => unknown) => calls.ipc.set(channel, h) };
    registerIpc(ipcMain as never, async (method) => {
      seen.push(String(method));
      return { ok: true, value: null };
    });
    expect([...calls.ipc.keys()]).toEqual([IPC_CHANNEL]);
    const h = calls.ipc.get(IPC_CHANNEL)!;
    const trusted = mainFrame('app://plan/index.html');
    for (const m of methodNames) expect(await h(trusted, { method: m, args: {} })).toEqual({ ok: true, value: null });
    expect(seen).toEqual(methodNames);
    const foreign = await h({ senderFrame: { url: 'https://evil.example/' } }, { method: 'plan.summary', args: {} });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(seen).toHaveLength(methodNames.length);
    expect(isTrustedSender(mainFrame('app://planet/x'))).toBe(false);
  });

  it('trusts only the main frame of exactly app://plan: look-alike origins, subframes and vanished frames are refused', async () => {
    const seen: unknown[] = [];
    const ipcMain = { handle: (channel: string, h: (e: unknown, p: unknown) => unknown) => calls.ipc.set(channel, h) };
    registerIpc(ipcMain as never, async (method) => {
      seen.push(method);
      return { ok: true, value: null };
    });
    const h = calls.ipc.get(IPC_CHANNEL)!;
    for (const url of ['app://plan/index.html', 'app://plan/', 'app://plan', 'app://plan/sub/page.html?x=1#y']) expect(isTrustedSender(mainFrame(url)), url).toBe(true);
    const lookAlikes = [
      'app://plan.evil/',
      'app://planx/',
      'app://plan@evil/',
      'app://plan:x@evil/index.html',
      'app://plan:8080/',
      'app://evil/app://plan/',
      'app:plan/index.html',
      'apps://plan/',
      'https://plan/',
      'file:///app://plan/',
      'app://plan%2eevil/',
      'about:blank',
      '',
      'not a url',
    ];
    for (const url of lookAlikes) {
      expect(isTrustedSender(mainFrame(url)), url).toBe(false);
      expect(await h(mainFrame(url), { method: 'plan.summary', args: {} }), url).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // A frame inside our own page (an iframe of app://plan) is not the page.
    const subframe = { senderFrame: { url: 'app://plan/index.html', parent: { url: 'app://plan/index.html' } } };
    expect(await h(subframe, { method: 'plan.summary', args: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await h({ senderFrame: null }, { method: 'plan.summary', args: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await h({}, { method: 'plan.summary', args: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(seen).toEqual([]);
    // A huge URL does not make a huge answer.
    const huge = await h(mainFrame(`https://evil.example/${'x'.repeat(3_000_000)}`), { method: 'plan.summary', args: {} });
    expect(JSON.stringify(huge).length).toBeLessThan(1000);
  });

  it('guards every web contents made after start (the print window, anything later): no window.open, no navigation away, no webview, no permission', () => {
    guardAllWebContents();
    expect(calls.appEvents.get('web-contents-created')).toHaveLength(1);
    // Made later, by something that sets no rules of its own.
    const later = [electron.makeWebContents(), electron.makeWebContents()];
    for (const w of later) {
      expect(w.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
      expect(w.openHandler?.({ url: 'app://plan/index.html' })).toEqual({ action: 'deny' });
      for (const url of ['https://evil.example/', 'app://plan.evil/', 'app://plan@evil/', 'file:///etc/passwd', 'javascript:alert(1)']) {
        let prevented = false;
        w.handlers['will-navigate']!({ preventDefault: () => (prevented = true) }, url);
        expect(prevented, url).toBe(true);
        prevented = false;
        w.handlers['will-frame-navigate']!({ url, preventDefault: () => (prevented = true) });
        expect(prevented, url).toBe(true);
        prevented = false;
        w.handlers['will-redirect']!({ preventDefault: () => (prevented = true) }, url);
        expect(prevented, url).toBe(true);
      }
      let attached = true;
      w.handlers['will-attach-webview']!({ preventDefault: () => (attached = false) });
      expect(attached).toBe(false);
    }
    for (const s of calls.sessions) {
      let granted: boolean | undefined;
      s.requestHandler!({}, 'geolocation', (ok) => (granted = ok));
      expect(granted).toBe(false);
      expect(s.checkHandler!()).toBe(false);
    }
    expect(calls.sessions).toHaveLength(2);
  });

  it('writes the print page (the plan\'s text) only into a private temp folder, removed afterwards', async () => {
    calls.printPages.length = 0;
    const page = '<!doctype html><html lang="ja"><body>理事会資料（非公開）</body></html>';
    expect(new TextDecoder().decode(await printToPdf(page))).toBe('%PDF-1.7 stand-in');
    const written = calls.printPages[0]!;
    expect(written.html).toBe(page);
    expect(written.folderMode).toBe(0o700);
    expect(written.fileMode & 0o077).toBe(0);
    expect(written.path).toContain(`print-page-${process.pid}-`);
    expect(existsSync(written.path)).toBe(false);
    expect(existsSync(join(written.path, '..'))).toBe(false);
  });

  it('answers 400 to a malformed URL escape and 404 outside the renderer folder, never throwing', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'renderer');
    serveRenderer(dir);
    const status = async (url: string) => (await calls.protocolHandler!(new Request(url))).status;
    for (const bad of ['app://plan/%E0%A4%A', 'app://plan/%', 'app://plan/%zz/index.html', 'app://plan/%C0%AF', 'app://plan/%ED%A0%80']) expect(await status(bad), bad).toBe(400);
    for (const outside of [
      'app://plan/..%2Fpackage.json',
      'app://plan/%2E%2E/%2E%2E/package.json',
      'app://plan/..%5C..%5Cpackage.json',
      'app://plan/src',
      'app://plan/no-such-file.js',
      'app://plan/index.html%00.png',
      'app://other/index.html',
      'app://plan/%2Fetc%2Fpasswd',
    ])
      expect(await status(outside), outside).toBe(404);
    expect(await status('app://plan/index.html')).toBe(200);
  });

  it('the preload exposes only invoke, on the contract channel, and onCommand, which hands the page the shell’s commands and nothing else', async () => {
    const page = await wire.page();
    expect(page.exposedKeys).toEqual(['planWorkbench']);
    expect(Object.keys(page.bridge).sort()).toEqual(['invoke', 'onCommand']);
    await page.bridge.invoke('plan.summary', { fiscalYear: 2021 });
    expect(wire.invoked).toEqual([{ channel: IPC_CHANNEL, payload: { method: 'plan.summary', args: { fiscalYear: 2021 } } }]);

    // What a listener receives: the command alone, never the IPC event; anything not in the list is dropped.
    const received: unknown[][] = [];
    const stop = page.bridge.onCommand((...args: unknown[]) => received.push(args));
    sendShellCommand(wire.window, 'undo');
    wire.window.webContents.send(SHELL_COMMAND_CHANNEL, 'rm -rf');
    wire.window.webContents.send(SHELL_COMMAND_CHANNEL, { command: 'undo' });
    expect(received).toEqual([['undo']]);
    expect(page.heard).toEqual(['undo']);
    // Stopping removes the preload's IPC listener: an unmounted dialog leaves nothing behind.
    expect(wire.listening(SHELL_COMMAND_CHANNEL)).toBe(2);
    stop();
    page.stop();
    expect(wire.listening(SHELL_COMMAND_CHANNEL)).toBe(0);
    sendShellCommand(wire.window, 'redo');
    expect(received).toEqual([['undo']]);
    expect(page.heard).toEqual(['undo']);
  });

  it('in browser mode (no preload) the page hears the window event on the command channel, the tests’ stand-in for the menu', async () => {
    const { onShellCommand } = await import('../../renderer/src/api/shell-commands');
    const page = new EventTarget();
    (globalThis as { window?: unknown }).window = page;
    const heard: string[] = [];
    const stop = onShellCommand((command) => heard.push(command));
    page.dispatchEvent(new CustomEvent(SHELL_COMMAND_CHANNEL, { detail: 'import' }));
    page.dispatchEvent(new CustomEvent(SHELL_COMMAND_CHANNEL, { detail: 'format-disk' }));
    page.dispatchEvent(new CustomEvent('plan-workbench:other', { detail: 'export' }));
    expect(heard).toEqual(['import']);
    stop();
    page.dispatchEvent(new CustomEvent(SHELL_COMMAND_CHANNEL, { detail: 'export' }));
    expect(heard).toEqual(['import']);
  });
});

const files = tempDir('plan-shell-');
afterAll(() => files.cleanup());

describe('a file another process asks the running app to open', () => {
  const plan = join(files.dir, '計画 2026.plandb');
  writeFileSync(plan, 'a plan');
  writeFileSync(join(files.dir, 'notes.txt'), 'text');
  mkdirSync(join(files.dir, 'folder.plandb'));

  it('considers only an existing .plandb file, resolved against the caller\'s folder', () => {
    expect(planFileIn(['/opt/app/plan-workbench', '--allow-file-access', plan])).toBe(plan);
    expect(planFileIn(['app', '計画 2026.plandb'], files.dir)).toBe(plan);
    expect(planFileIn(['app', 'PLAN.PLANDB'], files.dir)).toBeUndefined();
    expect(planFileIn(['app', join(files.dir, 'missing.plandb')])).toBeUndefined();
    expect(planFileIn(['app', join(files.dir, 'notes.txt')])).toBeUndefined();
    expect(planFileIn(['app', join(files.dir, 'folder.plandb')])).toBeUndefined();
    expect(planFileIn([plan])).toBeUndefined(); // argv[0] is the program
  });

  function fakeShell(answer: number) {
    const events: string[] = [];
    const asked: MessageBoxOptions[] = [];
    const opened: string[] = [];
    let minimized = true;
    const window = {
      isMinimized: () => minimized,
      restore: () => {
        minimized = false;
        events.push('restore');
      },
      show: () => events.push('show'),
      focus: () => events.push('focus'),
    };
    const handler = openRequestHandler({
      window,
      showMessageBox: async (_w, options) => {
        events.push('ask');
        asked.push(options);
        return { response: answer };
      },
      currentPath: () => join(files.dir, 'current.plandb'),
      open: async (path) => void opened.push(path),
      report: (e) => events.push(`error ${String(e)}`),
    });
    return { events, asked, opened, handler, window };
  }

  it('brings the window to the front and asks, naming the file, before opening it; 開かない opens nothing', async () => {
    const no = fakeShell(1);
    await no.handler(plan);
    expect(no.events).toEqual(['restore', 'show', 'focus', 'ask']);
    expect(no.opened).toEqual([]);
    const question = no.asked[0]!;
    expect(question.buttons).toEqual(OPEN_BUTTONS);
    expect(question.buttons).toEqual(['開く', '開かない']);
    expect(question.buttons[question.defaultId]).toBe('開かない');
    expect(question.buttons[question.cancelId]).toBe('開かない');
    expect(question.message).toContain('計画 2026.plandb');
    expect(question.detail).toContain(plan);

    const yes = fakeShell(0);
    await yes.handler(plan);
    expect(yes.opened).toEqual([plan]);
  });

  it('does not ask about (or open) a path that is not an existing .plandb file: it only brings the window to the front', async () => {
    const shell = fakeShell(0);
    for (const p of [join(files.dir, 'notes.txt'), join(files.dir, 'missing.plandb'), join(files.dir, 'folder.plandb'), undefined, join(files.dir, 'current.plandb')]) await shell.handler(p);
    expect(shell.asked).toEqual([]);
    expect(shell.opened).toEqual([]);
    expect(shell.events).toContain('focus');
  });

  it('asks one question at a time when requests arrive together', async () => {
    const shell = fakeShell(0);
    await Promise.all([shell.handler(plan), shell.handler(plan), shell.handler(plan)]);
    expect(shell.events.filter((e) => e === 'ask')).toHaveLength(3);
    expect(shell.opened).toEqual([plan, plan, plan]);
  });

  it('quotes a very long file name as a short excerpt', async () => {
    const long = join(files.dir, `${'長'.repeat(80)}.plandb`); // 247 bytes: near the file system's limit
    writeFileSync(long, 'x');
    const asked: MessageBoxOptions[] = [];
    await askToOpen({ isMinimized: () => false, restore: () => {}, show: () => {}, focus: () => {} }, async (_w, o) => (asked.push(o), { response: 1 }), long);
    expect(asked[0]!.message.length).toBeLessThan(100);
    expect(asked[0]!.message).toContain('…');
  });
});
