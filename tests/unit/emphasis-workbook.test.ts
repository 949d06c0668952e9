import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeXlsx } from '../../electron/export/xlsx-writer';
import { FileProblems } from '../../electron/import/file-problems';
import { plainCell } from '../../electron/import/workbook-load';
import { cell, emphasisParagraphs, type LayoutDocument, printableWidthMm } from '../../shared/layout/model';
import { canonicalEmphasis } from '../../shared/text/emphasis';

/**
 * A text with bold phrases, stored in its canonical form, printed into a workbook by the export's
 * writer (bold runs, no marks) and read back as the importers read a field that carries emphasis:
 * the very text again, for generated texts of marks, spaces, line breaks and words.
 */

const markyText = fc
  .array(fc.constantFrom('*', '**', 'a', 'あ', ' ', '　', '\n', '・', '事業承継', '（', '）'), { minLength: 1, maxLength: 24 })
  .map((parts) => parts.join(''))
  .filter((t) => t.trim() !== '');

describe('bold phrases through a workbook', () => {
  it('read back as the stored text (300 generated texts, one workbook)', async () => {
    const texts = [...new Set(fc.sample(markyText, { numRuns: 300, seed: 21 }).map(canonicalEmphasis))];
    const frame = { paper: 'A4' as const, orientation: 'landscape' as const, marginsMm: { top: 10, right: 10, bottom: 10, left: 10 } };
    const doc: LayoutDocument = {
      kind: 'action-plan',
      title: 'emphasis',
      fileBaseName: 'emphasis',
      pageNumbers: false,
      sheets: [{ name: 'texts', ...frame, columnsMm: [printableWidthMm(frame)], fontSizePt: 9, pageMark: null, header: [], footer: [], body: texts.map((t) => ({ rows: [{ heightPt: 0, cells: [cell(0, emphasisParagraphs(t))] }] })) }],
    };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeXlsx(doc)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const problems = new FileProblems('emphasis.xlsx');
    const back = texts.map((_, i) => {
      const c = plainCell(ws.getCell(i + 1, 1), { sheet: 'texts', row: i + 1, address: `A${i + 1}` }, problems, true);
      return c.kind === 'text' ? c.text : `(${c.kind})`;
    });
    expect(back).toEqual(texts);
    expect(texts.some((t) => t.includes('**'))).toBe(true);
  });
});
