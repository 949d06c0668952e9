import type ExcelJS from 'exceljs';
import { cellPlainText } from '../files/workbook-text';

/**
 * Where an exported workbook came from: the plan and the revision (change set) it was made at,
 * with the layout, fiscal year and unit, kept in a very hidden sheet `_meta` (as the fill-in
 * workbook keeps its own). A hidden sheet, unlike custom document properties, survives re-saving
 * by Excel, LibreOffice and openpyxl (tests/unit/import-export-revision.test.ts re-saves with the
 * last two), and it prints nothing. Reading an export back takes this revision as the base of the
 * comparison; without a trustworthy one every difference is a conflict (import/export-read.ts).
 */

export const EXPORT_META_SHEET = '_meta';
export const EXPORT_FORMAT = 'plan-workbench/export';

export interface ExportSource {
  planId: string;
  /** The change set the plan was at (0: an empty change log). */
  revision: number;
  /** That change set's time, as the change log has it (a revision number alone could be another copy's). */
  revisionAt: string;
  layout: string;
  fiscalYear: number | null;
  unitId: string | null;
}

/** Adds the hidden sheet, last (so that it is never the first sheet a reader looks at). */
export async function writeExportMeta(wb: ExcelJS.Workbook, source: ExportSource, name = EXPORT_META_SHEET): Promise<void> {
  const ws = wb.addWorksheet(name, { state: 'veryHidden' });
  const rows: [string, string][] = [
    ['format', EXPORT_FORMAT],
    ['planId', source.planId],
    ['revision', String(source.revision)],
    ['revisionAt', source.revisionAt],
    ['layout', source.layout],
    ['fiscalYear', source.fiscalYear === null ? '' : String(source.fiscalYear)],
    ['unitId', source.unitId ?? ''],
  ];
  // Text only: a program re-saving the file may reformat numbers, never text.
  rows.forEach(([k, v], i) => (ws.getRow(i + 1).values = [k, v]));
  await ws.protect('', {});
}

const text = (cell: ExcelJS.Cell): string => cellPlainText(cell).trim();

/**
 * The recorded source of an export: null when the workbook has none (an older export, or the
 * sheet removed), 'malformed' when the sheet is there but does not read as one.
 */
export function readExportMeta(wb: ExcelJS.Workbook): ExportSource | 'malformed' | null {
  const ws = wb.worksheets.find((w) => w.name === EXPORT_META_SHEET);
  if (!ws) return null;
  const values = new Map<string, string>();
  const repeated = new Set<string>();
  ws.eachRow((row) => {
    const k = text(row.getCell(1));
    if (!k) return;
    if (values.has(k)) repeated.add(k);
    values.set(k, text(row.getCell(2)));
  });
  if (values.get('format') !== EXPORT_FORMAT) return null;
  const revision = values.get('revision') ?? '';
  const fiscalYear = values.get('fiscalYear') ?? '';
  if (repeated.size > 0 || !/^\d{1,15}$/.test(revision) || !/^(\d{4})?$/.test(fiscalYear) || !values.get('planId')) return 'malformed';
  return {
    planId: values.get('planId')!,
    revision: Number(revision),
    revisionAt: values.get('revisionAt') ?? '',
    layout: values.get('layout') ?? '',
    fiscalYear: fiscalYear === '' ? null : Number(fiscalYear),
    unitId: values.get('unitId') || null,
  };
}
