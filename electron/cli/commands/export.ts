import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../../shared/errors/app-error';
import { ExportFormat, ExportLayout } from '../../../shared/contract/methods/export';
import { type DocumentRequest, exportDocument } from '../../export/export-document';
import { checkPrint, type PrintCheck } from '../../export/print-check';
import { readPdfPages } from '../../export/print-check-pdf';
import { printCheckTable } from '../../export/print-check-table';
import { readWorkbookSheets } from '../../export/print-check-xlsx';
import { withPrivateTemp } from '../../files/private-temp';
import { latestRevision } from '../../model/plan-state';
import { fiscalYearOption, unitIdOption } from '../arguments';
import { type CliOptions } from '../command';
import { dbOf } from '../location';
import { readSession } from '../session';

const usageError = (ja: string, en: string) => new AppError('invalid_arguments', ja, en);

interface Parsed {
  layout: ExportLayout;
  fiscalYear: number | undefined;
  formats: ExportFormat[];
}

function parse(opts: CliOptions): Parsed {
  const layout = ExportLayout.safeParse(opts.layout ?? 'action-plan');
  if (!layout.success) throw usageError(`--layout は ${ExportLayout.options.join(' / ')} のどれかです。`, `--layout must be one of ${ExportLayout.options.join(', ')}`);
  const fiscalYear = fiscalYearOption(opts.year);
  const formats = String(opts.format ?? 'xlsx,pdf')
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const parsedFormats = formats.map((f) => ExportFormat.safeParse(f));
  if (formats.length === 0 || parsedFormats.some((f) => !f.success)) throw usageError('--format は xlsx, pdf またはその両方（xlsx,pdf）です。', '--format must be xlsx, pdf or xlsx,pdf');
  if (opts.json === true && opts.check !== true) throw usageError('--json は --check と一緒に指定してください。', '--json goes with --check');
  if (typeof opts.out !== 'string' && opts.check !== true) throw usageError('--out に出力先のフォルダーを指定してください。', '--out DIR is required');
  return { layout: layout.data, fiscalYear, formats: parsedFormats.map((f) => f.data!) };
}

/**
 * `npm run plan -- export`: the official layouts as Excel and/or PDF files in a folder, through
 * `export.save` as the app saves them. With --check it then reads the files back and prints the
 * print check (electron/export/print-check.ts) and exits 1 when it warns; without --out the files
 * go to a private temp folder that is removed afterwards, so a check leaves nothing behind.
 */
export async function run(opts: CliOptions): Promise<number> {
  const parsed = parse(opts);
  if (typeof opts.out === 'string') return exportTo(resolve(opts.out), opts, parsed);
  return withPrivateTemp('print-check', (dir) => exportTo(dir, opts, parsed, false));
}

async function exportTo(outDir: string, opts: CliOptions, { layout, fiscalYear, formats }: Parsed, listFiles = true): Promise<number> {
  let chosen = '';
  const session = await readSession(dbOf(opts), {
    // The app's save dialog, answered by --out: the file names the layout gives, in that folder (made once there is something to write).
    chooseSavePath: async ({ defaultName }) => {
      mkdirSync(outDir, { recursive: true });
      return (chosen = join(outDir, defaultName));
    },
    // Loaded only for a PDF: Chromium's driver is large.
    renderPdf: async (pages) => (await import('../../export/chromium-pdf')).chromiumPdfRenderer(pages),
  });
  try {
    const unitId = typeof opts.unit === 'string' ? await unitIdOption(session.api, opts.unit) : undefined;
    const request: DocumentRequest = { layout, fiscalYear, unitId };
    const db = () => session.ws.current.db;
    const before = opts.check === true ? await latestRevision(db()) : 0;
    const saved = await session.api['export.save']({ ...request, formats });
    const paths = saved.files.map((f) => join(dirname(chosen), f.fileName));
    if (opts.check !== true) {
      for (const p of paths) console.log(p);
      return 0;
    }
    // The layout the files were made from: made again from the same plan, which must not have changed meanwhile (the app may be editing it).
    const doc = await exportDocument(db(), request);
    const changed = (await latestRevision(db())) !== before;
    const check = await checkFiles(doc, saved.files.map((f, i) => ({ format: f.format, path: paths[i]! })));
    if (changed) check.warnings.unshift('出力中に計画が変更されました。もう一度チェックしてください');
    const ok = check.ok && !changed;
    if (opts.json === true) console.log(JSON.stringify({ ...check, ok, files: listFiles ? paths : [] }, null, 2));
    else {
      if (listFiles) for (const p of paths) console.log(p);
      console.log(printCheckTable({ ...check, ok }));
    }
    return ok ? 0 : 1;
  } finally {
    await session.close();
  }
}

async function checkFiles(doc: Parameters<typeof checkPrint>[0], files: { format: ExportFormat; path: string }[]): Promise<PrintCheck> {
  const pdf = files.find((f) => f.format === 'pdf');
  const xlsx = files.find((f) => f.format === 'xlsx');
  const read = <T>(what: string, path: string, reader: () => T | Promise<T>): Promise<T> =>
    Promise.resolve()
      .then(reader)
      .catch((e: unknown) => {
        throw new AppError('bad_file', `書き出した${what}を読み取れません。`, `cannot read back ${path}: ${String(e)}`);
      });
  return checkPrint(
    doc,
    pdf ? await read('PDF', pdf.path, () => readPdfPages(readFileSync(pdf.path))) : null,
    xlsx ? await read('Excelファイル', xlsx.path, () => readWorkbookSheets(readFileSync(xlsx.path))) : null,
  );
}
