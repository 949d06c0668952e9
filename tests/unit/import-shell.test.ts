import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { createDatabase } from '../../electron/workspace/create-database';
import { realSeeds } from '../helpers/seeded-db';
import { wire } from '../helpers/shell-command-wire';
import { tempDir } from '../helpers/temp';

/**
 * The shell's part of importing: ファイル › 取り込み… and 記入用ブックの作成… open the page's dialog
 * (the menu sends a command into the page), and in the app the file to import comes from the OS
 * open dialog; the page never names a path, and outside the app it cannot ask for the dialog.
 */

const built = vi.hoisted(() => ({ template: [] as { label?: string; submenu?: unknown }[] }));
vi.mock('electron', async () => ({
  ...(await import('../helpers/shell-command-wire')).wire.electron,
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
  click?: () => void;
}

describe('the File menu', () => {
  it('has 記入用ブックの作成… and 取り込み… (Ctrl+I), which send their commands to the page’s listener', async () => {
    const page = await wire.page();
    buildMenu(wire.window as never, { open: async () => {}, create: async () => {}, saveCopy: async () => {}, recentFiles: () => [] });
    const file = built.template.find((m) => m.label === 'ファイル')!.submenu as Item[];
    const handout = file.find((i) => i.label === '記入用ブックの作成…')!;
    const importItem = file.find((i) => i.label === '取り込み…')!;
    expect(importItem.accelerator).toBe('CmdOrCtrl+I');
    handout.click!();
    importItem.click!();
    expect(page.heard).toEqual(['handout', 'import']);
  });
});

describe('the file to import in the app', () => {
  let dir: ReturnType<typeof tempDir>;
  let ws: Workspace;
  beforeEach(async () => {
    dir = tempDir();
    const path = join(dir.dir, 'plan.plandb');
    await (await createDatabase(path, realSeeds())).db.close();
    ws = new Workspace('test', dir.dir);
    await ws.open(path);
  });
  afterEach(async () => {
    await ws.close();
    dir.cleanup();
  });

  it('comes from the shell’s open dialog: a chosen file is analysed, a cancelled dialog is no error', async () => {
    let answer: string | null = null;
    const ipc = createHandler(ws, { transport: 'ipc', chooseImportFile: async () => answer }, () => {});
    const handout = await createHandler(ws, 'http', () => {})('import.handoutWorkbook', { unitId: (await ws.current.db.q.selectFrom('unit').select('id').where('name', '=', '国際部').executeTakeFirstOrThrow()).id, fiscalYear: 2021 });
    expect(handout.ok).toBe(true);
    const file = join(dir.dir, '返送.xlsx');
    writeFileSync(file, Buffer.from((handout as { value: { base64: string } }).value.base64, 'base64'));
    answer = file;
    expect(await ipc('import.analyze', { source: { kind: 'dialog' } })).toMatchObject({ ok: true, value: { status: 'ready', review: { fileName: '返送.xlsx', items: [] } } });
    answer = null;
    expect(await ipc('import.analyze', { source: { kind: 'dialog' } })).toEqual({ ok: true, value: { status: 'cancelled', review: null } });
  });

  it('cannot be asked for where the host has no open dialog (even beside one that has), and an upload names no folder', async () => {
    let asked = 0;
    const app = createHandler(ws, { transport: 'ipc', chooseImportFile: async () => (asked++, null) }, () => {});
    const http = createHandler(ws, { transport: 'http' }, () => {});
    expect(await app('import.analyze', { source: { kind: 'dialog' } })).toEqual({ ok: true, value: { status: 'cancelled', review: null } });
    expect(await http('import.analyze', { source: { kind: 'dialog' } })).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    expect(asked).toBe(1);
    const r = await http('import.analyze', { source: { kind: 'upload', fileName: '../../secret/名簿.xlsx', base64: Buffer.from('hello').toString('base64') } });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_file', message: expect.stringContaining('「名簿.xlsx」は取り込めるファイルではありません') } });
  });
});
