import type ExcelJS from 'exceljs';
import { textOfRuns } from '../../shared/text/emphasis';

/**
 * A workbook cell's text as a person reads it, for every reader of workbooks (exports read back,
 * returned hand-outs, the export's own `_meta` sheet): a string as it is, rich text (runs a
 * program split wherever it chose) joined into one string. Where the plan field carries emphasis
 * (shared/text/emphasis.ts), bold runs come back as `**…**` marks, so a file the app wrote reads
 * back as the text it was written from.
 */

type RichRun = { text: string; font?: Partial<ExcelJS.Font> };

/** Rich text joined; with `emphasis`, bold runs (their own font, else the cell's) marked. */
export function richTextOf(runs: readonly RichRun[], emphasis = false, cellBold = false): string {
  if (!emphasis) return runs.map((r) => r.text).join('');
  return textOfRuns(runs.map((r) => ({ text: r.text, bold: r.font?.bold ?? cellBold })));
}

/** The cell's text: '' for an empty cell and for values that are not text (a formula, an error). */
export function cellPlainText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return richTextOf(v.richText);
  if (typeof v === 'object') return '';
  return String(v);
}
