import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL, methodNames } from '../../shared/contract/methods';

// A stand-in for the 'electron' module: records what the shell asks of it.
const calls = vi.hoisted(() => ({
  windows: [] as { options: Record<string, unknown>; handlers: Record<string, (...a: unknown[]) => unknown>; openHandler?: (d: { url: string }) => unknown }[],
  ipc: new Map<string, (event: unknown, payload: unknown) => unknown>(),
  permissionHandler: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
  protocolHandler: undefined as undefined | ((req: Request) => Promise<Response>),
  schemes: [] as unknown[],
  openExternal: [] as string[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: { setWindowOpenHandler: (h: (d: { url: string }) => unknown) => void; on: (e: string, h: (...a: unknown[]) => unknown) => void };
    constructor(options: Record<string, unknown>) {
      const record: (typeof calls.windows)[number] = { options, handlers: {} };
      calls.windows.push(record);
      this.webContents = {
        setWindowOpenHandler: (h) => (record.openHandler = h),
        on: (e, h) => (record.handlers[e] = h),
      };
    }
    once() {}
    maximize() {}
  }
  return {
    BrowserWindow,
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof calls.permissionHandler) => (calls.permissionHandler = h),
        setPermissionCheckHandler: () => {},
      },
    },
    shell: { openExternal: async (url: string) => void calls.openExternal.push(url) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => calls.schemes.push(...s),
      handle: (_scheme: string, h: typeof calls.protocolHandler) => (calls.protocolHandler = h),
    },
  };
});

const { createMainWindow, denyAllPermissions } = await import('../../electron/main/window');
const { registerIpc, isTrustedSender } = await import('../../electron/main/ipc');
const { serveRenderer, CONTENT_SECURITY_POLICY } = await import('../../electron/main/protocol');

beforeEach(() => {
  calls.windows.length = 0;
  calls.ipc.clear();
});

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
    expect((await calls.protocolHandler!(new Request('app://plan/..%2F..%2Fpackage.json'))).status).toBe(403);
    expect((await calls.protocolHandler!(new Request('app://elsewhere/index.html'))).status).toBe(403);
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
    const trusted = { senderFrame: { url: 'app://plan/index.html' } };
    for (const m of methodNames) expect(await h(trusted, { method: m, args: {} })).toEqual({ ok: true, value: null });
    expect(seen).toEqual(methodNames);
    const foreign = await h({ senderFrame: { url: 'https://evil.example/' } }, { method: 'plan.summary', args: {} });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(seen).toHaveLength(methodNames.length);
    expect(isTrustedSender({ senderFrame: { url: 'app://planet/x' } } as never)).toBe(false);
  });

  it('the preload exposes only invoke, on the contract channel', () => {
    const preload = readFileSync(join(import.meta.dirname, '..', '..', 'electron', 'preload', 'index.ts'), 'utf8');
    expect(preload).toContain(`'${IPC_CHANNEL}'`);
    expect(preload.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(preload).not.toMatch(/ipcRenderer\.(send|on)\b/);
  });
});
