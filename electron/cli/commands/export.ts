import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { ExportFormat, ExportLayout } from '../../../shared/contract/methods/export';
import { openPlanDatabaseReadOnly } from '../../db/open-read-only';
import { chromiumPdfRenderer } from '../../export/chromium-pdf';
import { exportDocument, renderExportFiles } from '../../export/export-document';
import { type CliCommand, dbPathOf } from '../command';
import { writeFileWhole } from '../../files/write-whole';

const usageError = (ja: string, en: string) => new AppError('invalid_arguments', ja, en);

/** `npm run plan -- export`: the official layouts as Excel and/or PDF files in a folder. */
export const exportCommand: CliCommand = {
  name: 'export',
  usage:
    'export --db FILE --layout action-plan|overview|unit|rollup --year YYYY [--unit NAME] --format xlsx,pdf --out DIR\n' +
    '                                                 the official layouts as Excel and PDF files (PDF through Chromium: CHROMIUM_PATH)',
  options: { layout: { type: 'string' }, year: { type: 'string' }, unit: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  async run(opts) {
    const layout = ExportLayout.safeParse(opts.layout ?? 'action-plan');
    if (!layout.success) throw usageError(`--layout は ${ExportLayout.options.join(' / ')} のどれかです。`, `--layout must be one of ${ExportLayout.options.join(', ')}`);
    const yearText = typeof opts.year === 'string' ? opts.year.normalize('NFKC').replace(/年度?$/, '') : undefined;
    if (yearText !== undefined && !/^\d{4}$/.test(yearText)) throw usageError('--year には年度を4桁で指定してください（例: --year 2020）。', '--year YYYY (e.g. --year 2020)');
    const formats = String(opts.format ?? 'xlsx,pdf')
      .split(',')
      .map((f) => f.trim().toLowerCase())
      .filter(Boolean);
    const parsedFormats = formats.map((f) => ExportFormat.safeParse(f));
    if (formats.length === 0 || parsedFormats.some((f) => !f.success)) throw usageError('--format は xlsx, pdf またはその両方（xlsx,pdf）です。', '--format must be xlsx, pdf or xlsx,pdf');
    if (typeof opts.out !== 'string') throw usageError('--out に出力先のフォルダーを指定してください。', '--out DIR is required');
    const outDir = resolve(opts.out);

    const opened = openPlanDatabaseReadOnly(dbPathOf(opts));
    try {
      let unitId: string | undefined;
      if (typeof opts.unit === 'string') {
        const unit = opened.sqlite.prepare('select id from unit where name = ? or short_name = ? order by position limit 1').get(opts.unit, opts.unit) as { id: string } | undefined;
        if (!unit) throw new AppError('not_found', `組織「${opts.unit}」は見つかりません。`, `unknown unit "${opts.unit}"`);
        unitId = unit.id;
      }
      const doc = exportDocument(opened.sqlite, { layout: layout.data, fiscalYear: yearText ? Number(yearText) : undefined, unitId });
      const files = await renderExportFiles(doc, parsedFormats.map((f) => f.data!), chromiumPdfRenderer);
      mkdirSync(outDir, { recursive: true });
      for (const f of files) {
        const path = join(outDir, f.fileName);
        writeFileWhole(path, f.bytes);
        console.log(path);
      }
      return 0;
    } finally {
      opened.sqlite.close();
    }
  },
};
