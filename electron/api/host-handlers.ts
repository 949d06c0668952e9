import type { ExportHost } from '../export/export-host';
import type { ImportHost } from '../import/import-host';
import type { HostHandlers } from './protocol';

/**
 * The entry point's answers to host requests, from the same tables the services call
 * (export-host, import-host): the shell fills these in with Electron's dialogs, printToPDF and
 * printing; the browser mode with Playwright's Chromium only.
 */
export function hostHandlersOf(parts: Partial<ExportHost> & Partial<ImportHost>): HostHandlers {
  const { renderPdf, chooseSavePath, openPath, print, chooseImportFile } = parts;
  return {
    ...(renderPdf ? { renderPdf: ({ pages }) => renderPdf(pages) } : {}),
    ...(chooseSavePath ? { chooseSavePath: ({ request }) => chooseSavePath(request) } : {}),
    ...(openPath ? { openPath: async ({ path }) => (await openPath(path), null) } : {}),
    ...(print ? { print: ({ html, options }) => print(html, options) } : {}),
    ...(chooseImportFile ? { chooseImportFile: () => chooseImportFile() } : {}),
  };
}
