import type { HostAbilities } from './handlers/context';
import type { HostHandlers } from './protocol';

/**
 * The entry point's answers to host requests, from the abilities the services' host object offers
 * (electron/api/handlers/context.ts): the shell fills these in with Electron's dialogs, printToPDF
 * and printing; the browser mode with Playwright's Chromium only.
 */
export function hostHandlersOf(parts: HostAbilities): HostHandlers {
  const { renderPdf, chooseSavePath, openPath, print, chooseImportFile } = parts;
  return {
    ...(renderPdf ? { renderPdf: ({ pages }) => renderPdf(pages) } : {}),
    ...(chooseSavePath ? { chooseSavePath: ({ request }) => chooseSavePath(request) } : {}),
    ...(openPath ? { openPath: async ({ path }) => (await openPath(path), null) } : {}),
    ...(print ? { print: ({ html, options }) => print(html, options) } : {}),
    ...(chooseImportFile ? { chooseImportFile: () => chooseImportFile() } : {}),
  };
}
