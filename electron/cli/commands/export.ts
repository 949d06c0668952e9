import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../../shared/errors/app-error';
import { ExportFormat, ExportLayout } from '../../../shared/contract/methods/export';
import { fiscalYearOption, unitIdOption } from '../arguments';
import { type CliOptions } from '../command';
import { dbOf } from '../location';
import { readSession } from '../session';

const usageError = (ja: string, en: string) => new AppError('invalid_arguments', ja, en);

/** `npm run plan -- export`: the official layouts as Excel and/or PDF files in a folder, through `export.save` as the app saves them. */
export async function run(opts: CliOptions): Promise<number> {
  const layout = ExportLayout.safeParse(opts.layout ?? 'action-plan');
  if (!layout.success) throw usageError(`--layout は ${ExportLayout.options.join(' / ')} のどれかです。`, `--layout must be one of ${ExportLayout.options.join(', ')}`);
  const fiscalYear = fiscalYearOption(opts.year);
  const formats = String(opts.format ?? 'xlsx,pdf')
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const parsedFormats = formats.map((f) => ExportFormat.safeParse(f));
  if (formats.length === 0 || parsedFormats.some((f) => !f.success)) throw usageError('--format は xlsx, pdf またはその両方（xlsx,pdf）です。', '--format must be xlsx, pdf or xlsx,pdf');
  if (typeof opts.out !== 'string') throw usageError('--out に出力先のフォルダーを指定してください。', '--out DIR is required');
  const outDir = resolve(opts.out);

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
    const saved = await session.api['export.save']({ layout: layout.data, fiscalYear, unitId, formats: parsedFormats.map((f) => f.data!) });
    for (const f of saved.files) console.log(join(dirname(chosen), f.fileName));
    return 0;
  } finally {
    await session.close();
  }
}
