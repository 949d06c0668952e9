import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import type { BundleRecord } from './bundle-records';

/**
 * The stand-in for the `electron` module when the smoke test (tests/unit/bundle-smoke.test.ts)
 * runs the built out/main/index.js under plain Node (bundle-hooks.ts resolves `electron` here).
 * It behaves as Electron does where start-up depends on it (ready after the entry's first turn, no
 * window or protocol handler before that, a utility process that runs its entry apart) and writes
 * down what the app asked of it (bundle-records.ts). Once the window is shown it plays the page
 * and the user: the preload is run as a sandboxed renderer runs it, the page's first calls go
 * through what it exposed, the window's guards are tried, a fill-in workbook and a PDF are saved
 * (job workers, save dialogs, the print window), then the window is closed and the app must quit
 * by itself.
 */

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`bundle-electron: ${name} must be set`);
  return value;
};
const recordFile = env('BUNDLE_SMOKE_RECORD');
const userData = env('BUNDLE_SMOKE_USER_DATA');
const hooks = env('BUNDLE_SMOKE_HOOKS');
const record = (r: BundleRecord) => appendFileSync(recordFile, `${JSON.stringify(r)}\n`);

type Listener = (...args: unknown[]) => unknown;

// ---- app ---------------------------------------------------------------------------------------

const appEvents = new EventEmitter();
let appReady = false;
// Ready once the entry's first turn is over, as Electron is: whatever must come before (privileged schemes) runs first.
const ready = new Promise<void>((resolve) =>
  setImmediate(() => {
    appReady = true;
    appEvents.emit('ready');
    resolve();
  }),
);
const mustBeReady = (what: string) => {
  if (!appReady) throw new Error(`${what} cannot be used before the app is ready`);
};

const rootPackage = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
let quitting = false;

export const app = {
  isPackaged: false,
  on: (event: string, listener: Listener) => (appEvents.on(event, listener), app),
  once: (event: string, listener: Listener) => (appEvents.once(event, listener), app),
  whenReady: () => ready,
  isReady: () => appReady,
  getVersion: () => rootPackage.version,
  getName: () => 'Plan Workbench',
  getPath: (name: string) => {
    if (name === 'userData') return userData;
    if (name === 'temp') return tmpdir();
    throw new Error(`app.getPath('${name}'): not given by the stand-in`);
  },
  requestSingleInstanceLock: () => true,
  quit: () => {
    if (quitting) return;
    quitting = true;
    record({ kind: 'quit' });
    // Electron ends the process once the quit events have run.
    setImmediate(() => process.exit(0));
  },
};

// ---- protocol, session, menu, dialogs, shell --------------------------------------------------

type ProtocolHandler = (request: Request) => Response | Promise<Response>;
const protocolHandlers = new Map<string, ProtocolHandler>();

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown) => record({ kind: 'schemes', appReady, schemes }),
  handle: (scheme: string, handler: ProtocolHandler) => {
    mustBeReady('protocol.handle');
    record({ kind: 'protocol-handle', appReady, scheme });
    protocolHandlers.set(scheme, handler);
  },
};

type PermissionHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
/** A session keeps its permission handler: the page asks it (see the page below). */
const newSession = () => {
  const s = { requestHandler: undefined as PermissionHandler | undefined, setPermissionRequestHandler: (h: PermissionHandler) => void (s.requestHandler = h), setPermissionCheckHandler: () => undefined };
  return s;
};
/** What a permission request gets: true only if a handler granted it, as Electron grants everything by default. */
const asksPermission = (s: ReturnType<typeof newSession>) => {
  let granted = true;
  s.requestHandler?.({}, 'media', (ok) => (granted = ok));
  return granted;
};
export const session = { defaultSession: newSession() };

export const Menu = { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: () => undefined };

export const dialog = {
  showErrorBox: (title: string, content: string) => record({ kind: 'error-box', title, content }),
  showMessageBox: async (...args: unknown[]) => {
    record({ kind: 'message-box', options: args.at(-1) });
    // The default answer (the lock question's is 「開かない」).
    return { response: (args.at(-1) as { cancelId?: number }).cancelId ?? 0 };
  },
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async (...args: unknown[]) => {
    const options = args.at(-1) as { defaultPath?: string };
    const filePath = join(userData, `saved-${options.defaultPath ?? 'file'}`);
    record({ kind: 'save-dialog', options, filePath });
    return { canceled: false, filePath };
  },
};

export const shell = { openPath: async () => '', openExternal: async () => undefined };

// ---- ipcMain and the utility process ----------------------------------------------------------

const ipcHandlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
export const ipcMain = {
  handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => {
    record({ kind: 'ipc-handle', channel });
    ipcHandlers.set(channel, handler);
  },
};

export const utilityProcess = {
  fork: (modulePath: string, args: string[] = [], options: { stdio?: 'inherit' | 'ignore' | 'pipe' } = {}) => {
    record({ kind: 'fork', modulePath, exists: existsSync(modulePath), options });
    const child = fork(modulePath, args, {
      execArgv: ['--import', hooks],
      env: { ...process.env, BUNDLE_SMOKE_ROLE: 'services' },
      // Electron's utility process messages are structured clones.
      serialization: 'advanced',
      stdio: options.stdio === 'ignore' ? ['ignore', 'ignore', 'ignore', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const listeners: { message: Listener[]; exit: Listener[] } = { message: [], exit: [] };
    child.on('message', (m) => listeners.message.forEach((l) => l(m)));
    child.on('exit', (code, signal) => {
      record({ kind: 'services-exit', code, signal });
      listeners.exit.forEach((l) => l(code ?? 1));
    });
    return {
      postMessage: (m: unknown) => void child.send(m as never),
      on: (event: 'message' | 'exit', listener: Listener) => void listeners[event].push(listener),
      kill: () => child.kill(),
    };
  },
};

// ---- windows ----------------------------------------------------------------------------------

class WebContents extends EventEmitter {
  readonly session = newSession();
  url = '';
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  /** The print window waits for its fonts with a script: it gets what the page would answer. */
  async executeJavaScript(): Promise<unknown> {
    return true;
  }
  async printToPDF(options: unknown): Promise<Buffer> {
    record({ kind: 'print-to-pdf', options });
    return Buffer.from('%PDF-1.7 stand-in');
  }
  /** Whether a navigation to `url` would be stopped by the listeners the app put on this web contents. */
  navigationStopped(url: string): boolean {
    let stopped = false;
    this.emit('will-navigate', { preventDefault: () => (stopped = true), url }, url);
    return stopped;
  }
  reload(): void {}
  send(): void {}
}

/** The preload as a sandboxed renderer runs it: CommonJS whose `require` knows only 'electron' (and Node's few polyfills). */
function runPreload(path: string, pageUrl: () => string): { exposed: Record<string, Record<string, Listener>>; report: () => void } {
  const required: string[] = [];
  const exposed: Record<string, Record<string, Listener>> = {};
  let invokeChannel: string | null = null;
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, Listener>) => void (exposed[key] = api) },
    ipcRenderer: {
      invoke: (channel: string, payload: unknown) => {
        invokeChannel = channel;
        const handler = ipcHandlers.get(channel);
        if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
        // The event as Electron gives it for our page's main frame.
        return handler({ senderFrame: { url: pageUrl(), parent: null } }, payload);
      },
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
  const sandboxModules: Record<string, unknown> = { electron, events: { EventEmitter }, timers: { setTimeout, clearTimeout }, url: { URL } };
  const module = { exports: {} };
  let error: string | null = null;
  try {
    runInNewContext(readFileSync(path, 'utf8'), {
      module,
      exports: module.exports,
      require: (name: string) => {
        required.push(name);
        if (!(name in sandboxModules)) throw new Error(`module not found: ${name} (a sandboxed preload can only require 'electron')`);
        return sandboxModules[name];
      },
    }, { filename: path });
  } catch (e) {
    error = String(e);
  }
  const shape = Object.fromEntries(Object.entries(exposed).map(([k, api]) => [k, Object.keys(api)]));
  // The channel is known once the page has called: the record is written then.
  return { exposed, report: () => record({ kind: 'preload', required, exposed: shape, invokeChannel, error }) };
}

export class BrowserWindow extends EventEmitter {
  readonly webContents = new WebContents();
  private readonly preload: string | undefined;

  constructor(options: { webPreferences?: Record<string, unknown> } & Record<string, unknown> = {}) {
    super();
    mustBeReady('BrowserWindow');
    this.preload = options.webPreferences?.preload as string | undefined;
    record({ kind: 'window', appReady, options, preloadExists: this.preload !== undefined && existsSync(this.preload) });
    // As Electron does: every new web contents is announced to the app.
    appEvents.emit('web-contents-created', {}, this.webContents);
  }

  /** Fetches the page through the app's protocol handler, as Chromium would, and every script and style it names. */
  async loadURL(url: string): Promise<void> {
    const fetchThrough = async (target: string) => {
      const handler = protocolHandlers.get(new URL(target).protocol.slice(0, -1));
      if (!handler) return { status: -1, contentType: null, csp: null, body: '' };
      const response = await handler(new Request(target));
      return { status: response.status, contentType: response.headers.get('content-type'), csp: response.headers.get('content-security-policy'), body: await response.text() };
    };
    const page = await fetchThrough(url);
    const names = [...page.body.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((n) => !n.startsWith('data:'));
    const assets: { url: string; status: number }[] = [];
    for (const name of names) {
      const asset = new URL(name, url).href;
      assets.push({ url: asset, status: (await fetchThrough(asset)).status });
    }
    const metaCsp = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(page.body)?.[1] ?? null;
    record({ kind: 'load', url, status: page.status, contentType: page.contentType, csp: page.csp, metaCsp, bytes: Buffer.byteLength(page.body), assets });
    if (page.status !== 200) throw new Error(`ERR_FILE_NOT_FOUND (${page.status}) loading '${url}'`);
    this.webContents.url = url;
    setImmediate(() => this.emit('ready-to-show'));
  }

  async loadFile(path: string): Promise<void> {
    record({ kind: 'load-file', exists: existsSync(path) });
    if (!existsSync(path)) throw new Error(`ERR_FILE_NOT_FOUND loading '${path}'`);
  }

  show(): void {
    record({ kind: 'shown' });
    void playThePage(this, this.preload);
  }

  maximize(): void {}
  isMaximized(): boolean {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1400, height: 900 };
  }
  setTitle(): void {}
  setProgressBar(): void {}
  destroy(): void {}
}

/** The guards tried, the page's first calls through the preload's bridge, two files saved, then the user closes the window. */
async function playThePage(win: BrowserWindow, preload: string | undefined): Promise<void> {
  const preloaded = preload && existsSync(preload) ? runPreload(preload, () => win.webContents.url) : null;
  const bridge = preloaded?.exposed.planWorkbench;
  const call = async (method: string, args: unknown = {}) => {
    const outcome = bridge?.invoke ? await bridge.invoke(method, args) : { ok: false, error: 'no invoke exposed by the preload' };
    record({ kind: 'call', method, outcome });
    return outcome as { ok: boolean; value?: unknown };
  };
  const contents = win.webContents;
  record({
    kind: 'guards',
    windowOpen: contents.openHandler?.({ url: 'https://example.com/' }).action ?? null,
    navigationAwayStopped: contents.navigationStopped('https://example.com/'),
    navigationInAppStopped: contents.navigationStopped('app://plan/index.html'),
    permissionGranted: asksPermission(contents.session),
    defaultSessionPermissionGranted: asksPermission(session.defaultSession),
  });
  try {
    await call('app.info');
    const units = await call('units.list');
    const summary = await call('plan.summary');
    const unit = (units.value as { id: string }[] | undefined)?.[0];
    const year = (summary.value as { fiscalYears: { fiscalYear: number }[] } | undefined)?.fiscalYears[0];
    if (unit && year) await call('import.handoutWorkbook', { unitId: unit.id, fiscalYear: year.fiscalYear });
    // A PDF: the print page made by a job, printed by the shell in a window of its own.
    if (year) await call('export.save', { layout: 'action-plan', fiscalYear: year.fiscalYear, formats: ['pdf'] });
  } finally {
    preloaded?.report();
    win.emit('close', { preventDefault: () => undefined });
    win.emit('closed');
    appEvents.emit('window-all-closed');
  }
}
