import type { PreloadBridge, ShellCommand } from '../../shared/contract/shell-commands';

/**
 * Electron's way from the shell to the page, for the shell tests with a mocked 'electron' module:
 * the window's `webContents.send` reaches what the preload registered with `ipcRenderer.on` (an IPC
 * event first, as Electron calls it), the preload's `contextBridge.exposeInMainWorld` becomes
 * `window.planWorkbench`, and the page's own module (renderer/src/api/shell-commands.ts) listens as
 * in the app. The real preload and the real page module run; only Electron is stood in for.
 *
 * One wire per test file (each file has its own module registry): the file's `vi.mock('electron')`
 * spreads `wire.electron` into its stand-in, and its tests use the same `wire`.
 */
export function shellCommandWire() {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; payload: unknown }[] = [];
  const listenersOn = (channel: string) => listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!;
  return {
    /** The preload's part of the 'electron' stand-in. */
    electron: {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) },
      ipcRenderer: {
        on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => void listenersOn(channel).add(listener),
        removeListener: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => void listenersOn(channel).delete(listener),
        invoke: async (channel: string, payload: unknown) => {
          invoked.push({ channel, payload });
          return { ok: true, value: null };
        },
      },
    },
    /** The main window as the shell's menu sees it: what it sends goes to the preload's listeners. */
    window: {
      webContents: {
        send: (channel: string, ...args: unknown[]) => {
          for (const listener of listenersOn(channel)) listener({ senderId: 0, ports: [] }, ...args);
        },
      },
    },
    /** What the preload asked of ipcRenderer.invoke. */
    invoked,
    /** How many listeners the preload keeps on a channel. */
    listening: (channel: string) => listenersOn(channel).size,
    /**
     * Runs the preload, gives the page its bridge, and returns the page's commands as its listener
     * hears them (renderer/src/api/shell-commands.ts) with the function that stops listening.
     */
    async page(): Promise<{ bridge: PreloadBridge; exposedKeys: string[]; heard: ShellCommand[]; stop: () => void }> {
      await import('../../electron/preload/index');
      const bridge = exposed.get('planWorkbench') as PreloadBridge;
      (globalThis as { window?: unknown }).window = Object.assign(new EventTarget(), { planWorkbench: bridge });
      const { onShellCommand } = await import('../../renderer/src/api/shell-commands');
      const heard: ShellCommand[] = [];
      const stop = onShellCommand((command) => heard.push(command));
      return { bridge, exposedKeys: [...exposed.keys()], heard, stop };
    },
  };
}

/** The wire of this test file (see above). */
export const wire = shellCommandWire();
