import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { wire } from '../helpers/shell-command-wire';
import { tempDir } from '../helpers/temp';

// A stand-in for the 'electron' module: records what the shell's print and export code asks of it.
const calls = vi.hoisted(() => ({
  temp: '',
  windows: [] as { options: Record<string, unknown>; loaded: string[]; scripts: string[]; destroyed: boolean; pdfOptions: unknown[]; printOptions: unknown[]; loadedHtml: string[] }[],
  printResult: { success: true, reason: '' },
  saveDialog: [] as Record<string, unknown>[],
  saveAnswer: { canceled: false, filePath: '/home/user/理事会資料.xlsx' } as { canceled: boolean; filePath?: string },
  opened: [] as string[],
  template: [] as { label?: string; submenu?: { label?: string; accelerator?: string; click?: () => void }[] }[],
}));

vi.mock('electron', async () => {
  const { readFileSync } = await import('node:fs');
  class BrowserWindow {
    private record: (typeof calls.windows)[number];
    webContents: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [], scripts: [], destroyed: false, pdfOptions: [], printOptions: [], loadedHtml: [] };
      calls.windows.push(this.record);
      const record = this.record;
      this.webContents = {
        setWindowOpenHandler: () => {},
        on: () => {},
        executeJavaScript: async (script: string) => {
          record.scripts.push(script);
          return true;
        },
        printToPDF: async (o: unknown) => {
          record.pdfOptions.push(o);
          return Buffer.from('%PDF-1.7 stand-in');
        },
        print: (o: unknown, cb: (success: boolean, reason: string) => void) => {
          record.printOptions.push(o);
          cb(calls.printResult.success, calls.printResult.reason);
        },
      };
    }
    async loadFile(path: string) {
      this.record.loaded.push(path);
      this.record.loadedHtml.push(readFileSync(path, 'utf8'));
    }
    destroy() {
      this.record.destroyed = true;
    }
  }
  return {
    ...(await import('../helpers/shell-command-wire')).wire.electron,
    app: { getPath: () => calls.temp, isPackaged: false },
    BrowserWindow,
    dialog: {
      showSaveDialog: async (_win: unknown, options: Record<string, unknown>) => {
        calls.saveDialog.push(options);
        return calls.saveAnswer;
      },
      showErrorBox: () => {},
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    },
    shell: {
      openPath: async (p: string) => {
        calls.opened.push(p);
        return '';
      },
    },
    Menu: {
      buildFromTemplate: (t: typeof calls.template) => (calls.template = t),
      setApplicationMenu: () => {},
    },
  };
});

const { exportHostParts, printToPdf, printWithDialog } = await import('../../electron/main/print');
const { sendShellCommand } = await import('../../electron/main/window');
const { buildMenu } = await import('../../electron/main/menu');
const electron = await import('electron');

const dir = tempDir();
afterAll(() => dir.cleanup());
beforeEach(() => {
  calls.temp = dir.dir;
  calls.windows.length = 0;
  calls.saveDialog.length = 0;
  calls.opened.length = 0;
});

const page = '<!doctype html><html lang="ja"><body>印刷ページ</body></html>';

describe('the shell part of exporting and printing (with a mocked electron module)', () => {
  it('prints the page to PDF in a hidden sandboxed window, after its fonts, with the page CSS deciding the paper; then cleans up', async () => {
    const pdf = await printToPdf(page);
    expect(new TextDecoder().decode(pdf)).toBe('%PDF-1.7 stand-in');
    const w = calls.windows[0]!;
    expect(w.options).toMatchObject({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect((w.options.webPreferences as Record<string, unknown>).preload).toBeUndefined();
    expect(w.loadedHtml).toEqual([page]);
    expect(w.scripts).toEqual(['document.body.getBoundingClientRect(), document.fonts.ready.then(() => true)']);
    expect(w.pdfOptions).toEqual([{ preferCSSPageSize: true, printBackground: true, margins: { top: 0, right: 0, bottom: 0, left: 0 } }]);
    expect(w.destroyed).toBe(true);
    expect(existsSync(w.loaded[0]!)).toBe(false);
  });

  it('prints through the OS dialog on the paper of the layout; a cancel is no error', async () => {
    calls.printResult = { success: true, reason: '' };
    expect(await printWithDialog(page, { pageSize: 'A3', landscape: true })).toBe(true);
    expect(calls.windows[0]!.printOptions).toEqual([{ silent: false, printBackground: true, landscape: true, pageSize: 'A3' }]);
    calls.printResult = { success: false, reason: 'cancelled' };
    expect(await printWithDialog(page, { pageSize: 'A4', landscape: true })).toBe(false);
    calls.printResult = { success: false, reason: 'Invalid deviceName provided' };
    await expect(printWithDialog(page, { pageSize: 'A4', landscape: true })).rejects.toMatchObject({ messageJa: '印刷できませんでした（Invalid deviceName provided）。' });
    expect(calls.windows.every((w) => w.destroyed)).toBe(true);
  });

  it('gives the services’ host its abilities: the save dialog chooses the path (null when cancelled), saved files open with their program', async () => {
    const win = new electron.BrowserWindow({});
    const host = exportHostParts(() => win);
    expect(await host.chooseSavePath({ defaultName: '計画.xlsx', formats: ['xlsx', 'pdf'] })).toBe('/home/user/理事会資料.xlsx');
    expect(calls.saveDialog[0]).toMatchObject({ defaultPath: '計画.xlsx', filters: [{ name: 'Excel ブック', extensions: ['xlsx'] }] });
    expect(String(calls.saveDialog[0]!.title)).toContain('PDF');
    calls.saveAnswer = { canceled: true };
    expect(await host.chooseSavePath({ defaultName: '計画.pdf', formats: ['pdf'] })).toBeNull();
    expect(calls.saveDialog[1]).toMatchObject({ filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    await host.openPath('/home/user/理事会資料.pdf');
    expect(calls.opened).toEqual(['/home/user/理事会資料.pdf']);
    const pdfs = await host.renderPdf([page, page]);
    expect(pdfs).toHaveLength(2);
  });

  it('has ファイル › エクスポート… and 印刷… send their command to the page’s listener', async () => {
    const page = await wire.page();
    buildMenu(wire.window as never, { open: async () => {}, create: async () => {}, saveCopy: async () => {}, recentFiles: () => [] } as never);
    const file = calls.template.find((m) => m.label === 'ファイル')!;
    const exportItem = file.submenu!.find((i) => i.label === 'エクスポート…')!;
    const printItem = file.submenu!.find((i) => i.label === '印刷…')!;
    expect(printItem.accelerator).toBe('CmdOrCtrl+P');
    exportItem.click!();
    printItem.click!();
    expect(page.heard).toEqual(['export', 'print']);
    sendShellCommand(wire.window, 'restore');
    expect(page.heard).toEqual(['export', 'print', 'restore']);
  });

  it('the main process bundle source imports no Playwright: the app prints with Electron', () => {
    for (const f of ['electron/main/index.ts', 'electron/main/print.ts', 'electron/api/handlers/export.ts', 'electron/export/export-document.ts'])
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/playwright|chromium-pdf/);
  });
});
