import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { exportMethods } from '../../shared/contract/methods/export';
import { exportHost } from '../export/export-host';
import { exportDocument, exportLayouts, printPage, renderExportFiles } from '../export/export-document';
import { planDocumentData } from './document-queries';
import type { ImplementationOf, ServiceContext } from './implementation';

/**
 * Exports and printing. File paths never come from the renderer: in the app the shell's save
 * dialog chooses them (and `export.openSaved` opens what the last export saved, by its place in
 * that export); in browser mode the files go back to the page, which offers them as downloads.
 */
export function exportImplementation({ ws, transport }: ServiceContext): ImplementationOf<typeof exportMethods> {
  const db = () => ws.current.sqlite;
  let lastSaved: string[] = [];
  return {
    'export.layouts': () => exportLayouts(planDocumentData(db())),
    'export.printHtml': (request) => {
      const doc = exportDocument(db(), request);
      return { title: doc.title, html: printPage(doc), sheets: doc.sheets.map((s) => ({ name: s.name, paper: s.paper })) };
    },
    'export.save': async ({ formats, ...request }) => {
      const host = exportHost();
      const doc = exportDocument(db(), request);
      const ordered = (['xlsx', 'pdf'] as const).filter((f) => formats.includes(f));
      const inApp = transport === 'ipc' && host.chooseSavePath !== null;
      let target: string | null = null;
      if (inApp) {
        // Ask first: nobody waits for a PDF only to cancel the dialog.
        target = await host.chooseSavePath!({ defaultName: `${doc.fileBaseName}.${ordered[0]}`, formats: [...ordered] });
        if (target === null) return { status: 'cancelled' as const, files: [] };
      }
      const files = await renderExportFiles(doc, [...ordered], host.renderPdf);
      if (target === null)
        return { status: 'download' as const, files: files.map((f) => ({ format: f.format, fileName: f.fileName, byteLength: f.bytes.byteLength, base64: Buffer.from(f.bytes).toString('base64') })) };
      const base = target.replace(/\.(xlsx|pdf)$/i, '');
      const paths: string[] = [];
      for (const f of files) {
        const path = `${base}.${f.format}`;
        try {
          await writeFile(path, f.bytes);
        } catch (e) {
          throw new AppError('bad_file', `「${basename(path)}」を保存できません。ほかのプログラムで開いていないか確認してください。`, `cannot write ${path}: ${String(e)}`);
        }
        paths.push(path);
      }
      lastSaved = paths;
      return { status: 'saved' as const, files: files.map((f, i) => ({ format: f.format, fileName: basename(paths[i]!), byteLength: f.bytes.byteLength })) };
    },
    'export.openSaved': async ({ index }) => {
      const host = exportHost();
      const path = lastSaved[index];
      if (transport !== 'ipc' || !host.openPath || !path) return { opened: false };
      await host.openPath(path);
      return { opened: true };
    },
    'export.print': async (request) => {
      const host = exportHost();
      if (transport !== 'ipc' || !host.print) return { handled: false, printed: false };
      const doc = exportDocument(db(), request);
      const first = doc.sheets[0];
      const printed = await host.print(printPage(doc), { pageSize: first?.paper ?? 'A4', landscape: (first?.orientation ?? 'landscape') === 'landscape' });
      return { handled: true, printed };
    },
  };
}
