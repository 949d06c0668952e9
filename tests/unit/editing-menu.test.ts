import { describe, expect, it, vi } from 'vitest';
import { shellCommandNames } from '../../shared/contract/shell-commands';
import { wire } from '../helpers/shell-command-wire';

// A stand-in for the 'electron' module: keeps the menu template the shell builds; IPC into the page as tests/helpers/shell-command-wire.ts.
const built = vi.hoisted(() => ({ template: [] as { label?: string; submenu?: unknown }[] }));
vi.mock('electron', async () => ({
  ...(await import('../helpers/shell-command-wire')).wire.electron,
  app: { isPackaged: false },
  // The File menu's own dialogs, cancelled (the last test clicks every item).
  dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }), showErrorBox: () => {} },
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
  it('sends the command to the page’s listener, leaving the keys to the page', async () => {
    const page = await wire.page();
    // The file actions are not used by the Edit menu.
    buildMenu(wire.window as never, { open: async () => {}, create: async () => {}, saveCopy: async () => {}, recentFiles: () => [] } as never);
    const edit = built.template.find((m) => m.label === '編集')!.submenu as Item[];
    const undo = edit.find((i) => i.label === '元に戻す')!;
    const redo = edit.find((i) => i.label === 'やり直し')!;
    expect(undo).toMatchObject({ accelerator: 'CmdOrCtrl+Z', registerAccelerator: false });
    expect(redo.registerAccelerator).toBe(false);
    undo.click!();
    redo.click!();
    expect(page.heard).toEqual(['undo', 'redo']);
  });

  it('every command of the list is sent by one item of the menu, and nothing else is', async () => {
    const page = await wire.page();
    buildMenu(wire.window as never, { open: async () => {}, create: async () => {}, saveCopy: async () => {}, recentFiles: () => [] });
    const items = built.template.flatMap((m) => (Array.isArray(m.submenu) ? (m.submenu as (Item & { submenu?: unknown })[]) : []));
    for (const item of items) await item.click?.();
    expect([...page.heard].sort()).toEqual([...shellCommandNames].sort());
  });
});
