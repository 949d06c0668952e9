import { basename } from 'node:path';
import { AppError } from '../../../shared/errors/app-error';
import type { exportMethods } from '../../../shared/contract/methods/export';
import { type ExportFile, exportDocument, exportLayouts, printPage, renderPdfFile } from '../../export/export-document';
import { planDocumentData } from '../../model/queries/document-queries';
import type { ImplementationOf, ServiceContext } from './context';
import { writeFileWhole } from '../../files/write-whole';

/**
 * Exports and printing. File paths never come from the renderer: in the app the shell's save
 * dialog chooses them (and `export.openSaved` opens what the last export saved, by its place in
 * that export); in browser mode the files go back to the page, which offers them as downloads.
 */
export function exportImplementation({ ws, host, jobs }: ServiceContext): ImplementationOf<typeof exportMethods> {
  const db = () => ws.current.db;
  let lastSaved: string[] = [];
  return {
    'export.layouts': async () => exportLayouts(await planDocumentData(db())),
    // The preview and printing run here, not in a job: the preview asks at every change of the
    // choice and nobody cancels it (this thread is the services', never the window's or the server's).
    'export.printHtml': async (request) => {
      const doc = await exportDocument(db(), request);
      return { title: doc.title, html: printPage(doc), sheets: doc.sheets.map((s) => ({ name: s.name, paper: s.paper })), emptyYears: doc.emptyYears ?? null };
    },
    'export.save': async ({ formats, jobKey: _jobKey, ...request }, call) => {
      const ordered = (['xlsx', 'pdf'] as const).filter((f) => formats.includes(f));
      // The layout and the Excel file in a job (cancellable); the PDF from its print page, by the host's Chromium.
      const rendered = await jobs.run('export.render', { request, formats: [...ordered] }, call);
      // A host with a save dialog (the app) saves where the user says; any other sends the files back as downloads.
      const choose = host.chooseSavePath;
      let target: string | null = null;
      if (choose) {
        // Ask before the PDF: nobody waits for a PDF only to cancel the dialog.
        target = await choose({ defaultName: `${rendered.fileBaseName}.${ordered[0]}`, formats: [...ordered] });
        if (target === null) return { status: 'cancelled' as const, files: [] };
      }
      call.throwIfCancelled();
      const files: ExportFile[] = [];
      if (rendered.xlsx) files.push({ format: 'xlsx', fileName: `${rendered.fileBaseName}.xlsx`, bytes: rendered.xlsx });
      if (rendered.pdfPage !== null) {
        call.progress('pdf');
        files.push(await renderPdfFile(rendered.fileBaseName, rendered.pdfPage, host.renderPdf ?? null));
        call.throwIfCancelled();
      }
      call.progress('write');
      if (target === null)
        return { status: 'download' as const, files: files.map((f) => ({ format: f.format, fileName: f.fileName, byteLength: f.bytes.byteLength, base64: Buffer.from(f.bytes).toString('base64') })) };
      const base = target.replace(/\.(xlsx|pdf)$/i, '');
      const paths: string[] = [];
      for (const f of files) {
        const path = `${base}.${f.format}`;
        try {
          writeFileWhole(path, f.bytes);
        } catch (e) {
          throw new AppError('bad_file', `「${basename(path)}」を保存できません。ほかのプログラムで開いていないか確認してください。`, `cannot write ${path}: ${String(e)}`);
        }
        paths.push(path);
      }
      lastSaved = paths;
      return { status: 'saved' as const, files: files.map((f, i) => ({ format: f.format, fileName: basename(paths[i]!), byteLength: f.bytes.byteLength })) };
    },
    'export.openSaved': async ({ index }) => {
      const path = lastSaved[index];
      if (!host.openPath || !path) return { opened: false };
      await host.openPath(path);
      return { opened: true };
    },
    'export.print': async (request) => {
      if (!host.print) return { handled: false, printed: false };
      const doc = await exportDocument(db(), request);
      const first = doc.sheets[0];
      const printed = await host.print(printPage(doc), { pageSize: first?.paper ?? 'A4', landscape: (first?.orientation ?? 'landscape') === 'landscape' });
      return { handled: true, printed };
    },
  };
}
