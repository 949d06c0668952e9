import { describe, expect, it, vi } from 'vitest';
import { COMMAND_EVENT } from '../../renderer/src/grid/command-event';

// A stand-in for the 'electron' module: keeps the menu template the shell builds.
const built = vi.hoisted(() => ({ template: [] as { label?: string; submenu?: unknown }[] }));
vi.mock('electron', () => ({
  app: { isPackaged: false },
  dialog: {},
  Menu: {
    buildFromTemplate: (t: typeof built.template) => {
      built.template = t;
      return {};
    },
    setApplicationMenu: () => {},
  },
}));

const { buildMenu } = await import('../../electron/main/menu');

interface Item {
  label?: string;
  accelerator?: string;
  registerAccelerator?: boolean;
  click?: () => void;
}

describe('the Edit menu’s undo and redo', () => {
  it('sends the command into the page as the event the renderer listens for, leaving the keys to the page', async () => {
    const scripts: string[] = [];
    const win = { webContents: { executeJavaScript: async (s: string) => void scripts.push(s) } };
    // The file actions are not used by the Edit menu.
    buildMenu(win as never, { open: async () => {}, create: async () => {}, saveCopy: async () => {}, recentFiles: () => [] } as never);
    const edit = built.template.find((m) => m.label === '編集')!.submenu as Item[];
    const undo = edit.find((i) => i.label === '元に戻す')!;
    const redo = edit.find((i) => i.label === 'やり直し')!;
    expect(undo).toMatchObject({ accelerator: 'CmdOrCtrl+Z', registerAccelerator: false });
    expect(redo.registerAccelerator).toBe(false);
    undo.click!();
    redo.click!();
    await Promise.resolve();

    // Run the scripts against a stand-in window and see what the page would receive.
    const received: { type: string; detail: unknown }[] = [];
    class FakeEvent {
      constructor(
        readonly type: string,
        readonly init: { detail: unknown },
      ) {}
    }
    const fakeWindow = { dispatchEvent: (e: FakeEvent) => received.push({ type: e.type, detail: e.init.detail }) };
    for (const s of scripts) new Function('window', 'CustomEvent', s)(fakeWindow, FakeEvent);
    expect(received).toEqual([
      { type: COMMAND_EVENT, detail: 'undo' },
      { type: COMMAND_EVENT, detail: 'redo' },
    ]);
  });
});
