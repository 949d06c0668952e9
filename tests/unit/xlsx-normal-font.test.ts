import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { columnWidthDigits, digitWidthMm, normalFontPt } from '../../electron/export/excel-metrics';
import { setNormalFont, withNormalFont } from '../../electron/export/normal-font';
import { bodyPageBreaks, EXCEL_FONT, writeXlsx } from '../../electron/export/xlsx-writer';
import { cell, type LayoutDocument, type LayoutRow } from '../../shared/layout/model';

/** The workbook's Normal font (the unit of its column widths) and the page breaks the writer sets. */

const font = { name: EXCEL_FONT, sizePt: 9, charset: 128, family: 3 };

describe('the Normal font', () => {
  it('replaces exceljs’s Calibri 11 (font 0) and leaves the other fonts alone', () => {
    const xml = '<styleSheet><fonts count="2"><font><sz val="11"/><name val="Calibri"/><scheme val="minor"/></font><font><b/><sz val="7"/><name val="X"/></font></fonts><cellXfs/></styleSheet>';
    expect(withNormalFont(xml, font)).toBe(
      '<styleSheet><fonts count="2"><font><sz val="9"/><color theme="1"/><name val="BIZ UDPゴシック"/><family val="3"/><charset val="128"/></font><font><b/><sz val="7"/><name val="X"/></font></fonts><cellXfs/></styleSheet>',
    );
    expect(() => withNormalFont('<styleSheet/>', font)).toThrow();
  });

  it('is BIZ UDPゴシック at the workbook’s most common body size, read back by exceljs', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('a').getCell('A1').value = 'x';
    const bytes = await setNormalFont(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer), font);
    const styles = await (await JSZip.loadAsync(bytes)).file('xl/styles.xml')!.async('string');
    expect(styles).toMatch(/<fonts[^>]*><font><sz val="9"\/><color theme="1"\/><name val="BIZ UDPゴシック"\/>/);
    expect(styles).not.toContain('Calibri');
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    expect(back.worksheets[0]!.getCell('A1').value).toBe('x');
    expect(normalFontPt([7.5, 7, 7.5, 9.5])).toBe(8);
    expect(normalFontPt([9, 9, 8.5])).toBe(9);
  });

  it('measures columns in its digits (0.76 em, in whole twips), never wider than asked', () => {
    expect(digitWidthMm(9)).toBeCloseTo((137 * 25.4) / 1440, 6);
    for (const mm of [7, 80.5, 99, 277]) {
      const w = columnWidthDigits(mm, 9);
      expect(w * digitWidthMm(9)).toBeLessThanOrEqual(mm);
      expect(w * digitWidthMm(9)).toBeGreaterThan(mm - 0.1);
      expect(w * 256).toBe(Math.round(w * 256));
    }
  });
});

const row = (heightPt: number): LayoutRow => ({ heightPt, cells: [cell(0, [[{ text: 'x' }]])] });
const mm = (pt: number) => (pt * 25.4) / 72;

describe('page breaks', () => {
  it('start a group that does not fit on what is left of the page on a new page, and break a group taller than a page between its rows', () => {
    const page = mm(100);
    expect(bodyPageBreaks([[row(40)], [row(40)], [row(40)]], page)).toEqual([1]);
    expect(bodyPageBreaks([[row(40), row(30)], [row(20)]], page)).toEqual([]);
    expect(bodyPageBreaks([[row(10)], [row(60), row(60), row(60)], [row(20)]], page)).toEqual([0, 1, 2]);
    expect(bodyPageBreaks([], page)).toEqual([]);
  });

  it('are written after the rows where the PDF starts a page, on sheets printed at 100 %', async () => {
    const header = [row(20)];
    const body = Array.from({ length: 8 }, () => ({ rows: [row(100), row(50)] }));
    const doc: LayoutDocument = {
      kind: 'rollup',
      title: 't',
      fileBaseName: 't',
      pageNumbers: true,
      sheets: [
        { name: 's', paper: 'A4', orientation: 'landscape', marginsMm: { top: 10, right: 10, bottom: 10, left: 10 }, columnsMm: [277], fontSizePt: 9, pageMark: null, header, body, footer: [row(20)] },
      ],
    };
    const bytes = await writeXlsx(doc);
    // 190 mm less header and footer: 498.6 pt a page, three groups of 150 pt.
    const sheetXml = await (await JSZip.loadAsync(bytes)).file('xl/worksheets/sheet1.xml')!.async('string');
    expect([...sheetXml.matchAll(/<brk id="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([7, 13]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.pageSetup).toMatchObject({ fitToPage: false, scale: 100, printTitlesRow: '1:1' });
    expect(ws.getRow(2).height).toBe(100);
  });
});
