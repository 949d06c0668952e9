import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrowserWindow, dialog, shell } from 'electron';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import type { HostAbilities } from '../api/handlers';
import type { SaveDialogRequest } from '../export/export-host';
import { withPrivateTemp } from '../files/private-temp';

/**
 * The shell's part of exporting and printing, kept thin: the print page (already built by the
 * services) is loaded into a hidden, sandboxed window without preload and printed to PDF or to the
 * OS print dialog; the save dialog chooses where files go; saved files open with their program.
 */

export interface PrintPageOptions {
  pageSize: 'A4' | 'A3';
  landscape: boolean;
}

const FONTS_READY = 'document.body.getBoundingClientRect(), document.fonts.ready.then(() => true)';

/**
 * Loads the print page into a hidden window and waits for its fonts. The page is too big for a data:
 * URL, so it is a file — in a private temp folder (0700, removed afterwards, swept after a kill):
 * it holds the plan's text, which other local users must not read.
 */
function withPrintWindow<T>(html: string, use: (win: BrowserWindow) => Promise<T>): Promise<T> {
  return withPrivateTemp('print-page', async (dir) => {
    const file = join(dir, 'print.html');
    await writeFile(file, html, { encoding: 'utf8', mode: 0o600 });
    const win = new BrowserWindow({
      show: false,
      width: 1200,
      height: 900,
      // No preload, no Node; the page has no script and a CSP forbidding any (see shared/layout/print-html.ts).
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, spellcheck: false, disableBlinkFeatures: 'Auxclick' },
    });
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    win.webContents.on('will-navigate', (event) => event.preventDefault());
    try {
      await win.loadFile(file);
      // Lay the page out first: the font subsets load only once text needing them is laid out.
      await win.webContents.executeJavaScript(FONTS_READY);
      return await use(win);
    } finally {
      win.destroy();
    }
  });
}

/** The print page as PDF: Chromium's printToPDF, page size and margins from the page's @page rules. */
export function printToPdf(html: string): Promise<Uint8Array> {
  return withPrintWindow(html, async (win) => {
    // Margins 0 as Playwright's page.pdf() is called: the page's @page rules set the real ones.
    const data = await win.webContents.printToPDF({ preferCSSPageSize: true, printBackground: true, margins: { top: 0, right: 0, bottom: 0, left: 0 } });
    return new Uint8Array(data);
  });
}

/** Prints the print page through the OS print dialog; false when the user cancelled. */
export function printWithDialog(html: string, options: PrintPageOptions): Promise<boolean> {
  return withPrintWindow(
    html,
    (win) =>
      new Promise<boolean>((resolve, reject) => {
        win.webContents.print({ silent: false, printBackground: true, landscape: options.landscape, pageSize: options.pageSize }, (success, reason) => {
          if (success || reason === 'cancelled' || reason === 'Print job canceled') resolve(success);
          else reject(new AppError('internal', `印刷できませんでした（${excerpt(reason, 80)}）。`, `print failed: ${reason}`));
        });
      }),
  );
}

const filters = {
  xlsx: { name: 'Excel ブック', extensions: ['xlsx'] },
  pdf: { name: 'PDF', extensions: ['pdf'] },
};

/** The OS save dialog for an export; with two formats the second is written next to the chosen file under the same name. */
export async function chooseExportPath(win: BrowserWindow, request: SaveDialogRequest): Promise<string | null> {
  const first = request.formats[0] ?? 'xlsx';
  const title = request.formats.length > 1 ? 'エクスポート（Excel と PDF を同じ名前で保存します）' : 'エクスポート';
  const r = await dialog.showSaveDialog(win, { title, defaultPath: request.defaultName, filters: [filters[first]] });
  return r.canceled || !r.filePath ? null : r.filePath;
}

/** The Electron parts of the services' host object (the services ask for them by host requests: electron/main/app-services.ts). */
export function exportHostParts(win: () => BrowserWindow) {
  return {
    renderPdf: async (pages: string[]) => {
      const out: Uint8Array[] = [];
      for (const html of pages) out.push(await printToPdf(html));
      return out;
    },
    chooseSavePath: (request: SaveDialogRequest) => chooseExportPath(win(), request),
    openPath: async (path: string) => {
      const problem = await shell.openPath(path);
      if (problem) throw new AppError('bad_file', `保存したファイルを開けません（${excerpt(problem, 80)}）。`, `openPath ${path}: ${problem}`);
    },
    print: (html: string, options: PrintPageOptions) => printWithDialog(html, options),
  } satisfies HostAbilities;
}
