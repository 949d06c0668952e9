import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPrint, dominantSize, layoutPageHeightsMm, pdfPaper, type PdfPageFact, READABLE_BODY_PT, type WorkbookSheetFact, workbookPageHeightsPt } from '../../electron/export/print-check';
import { printCheckTable } from '../../electron/export/print-check-table';
import { cell, type LayoutDocument, type LayoutRow, type LayoutSheet, type PaperSize, paperMm, POINT_MM, printableHeightMm, printableWidthMm } from '../../shared/layout/model';

/**
 * The print check's figures and warnings (electron/export/print-check.ts) from generated layout
 * documents and the facts of files made to agree with them (or not): what a PDF and a workbook
 * written from the layout would say, then with one thing changed at a time.
 */

const MARGINS = { top: 10, right: 10, bottom: 11, left: 10 };

interface SheetSpec {
  paper: PaperSize;
  fontPt: number;
  mark: string | null;
  headerPt: number;
  /** Each body group's row heights, pt. */
  groups: number[][];
}

const row = (heightPt: number, text = 'あ'.repeat(20)): LayoutRow => ({ heightPt, cells: [cell(0, [[{ text }]], { colSpan: 2 })] });

/** A layout sheet paginated as the fit does it: whole groups per page under the header. */
function sheetOf(spec: SheetSpec, i: number): LayoutSheet {
  const frame = { paper: spec.paper, orientation: 'landscape' as const, marginsMm: MARGINS };
  const width = printableWidthMm(frame);
  const sheet: LayoutSheet = {
    name: `シート${i + 1}`,
    ...frame,
    columnsMm: [width / 2, width / 2],
    fontSizePt: spec.fontPt,
    pageMark: spec.mark,
    header: [row(spec.headerPt, '表題')],
    body: spec.groups.map((g) => ({ rows: g.map((h) => row(h)) })),
    footer: [],
  };
  return { ...sheet, pages: layoutPageHeightsMm(sheet).map((heightMm, p) => ({ mark: spec.mark, firstGroup: p, groupCount: 1, heightMm })) };
}

const docOf = (specs: SheetSpec[]): LayoutDocument => ({ kind: 'action-plan', title: '試し', fileBaseName: 'x', sheets: specs.map(sheetOf), pageNumbers: false });

/** The PDF of a document as Chromium prints it: each page on its sheet's paper. */
const pdfOf = (doc: LayoutDocument): PdfPageFact[] =>
  doc.sheets.flatMap((s) => (s.pages ?? []).map(() => ({ widthPt: (paperMm[s.paper].width / 25.4) * 72, heightPt: (paperMm[s.paper].height / 25.4) * 72 })));

/** The workbook the writer makes of a sheet: the layout's rows and heights, a break after each PDF page, at 100 %. */
function workbookOf(doc: LayoutDocument): WorkbookSheetFact[] {
  return doc.sheets.map((s) => {
    // The footer rows once, at the end (the PDF repeats them on every page, as the header).
    const rows = [...s.header, ...s.body.flatMap((g) => g.rows), ...s.footer];
    // The PDF's page breaks (the pagination of layoutPageHeightsMm): after the last row of a page's last group.
    const breaksAfter: number[] = [];
    const available = printableHeightMm(s);
    const frame = s.header.reduce((h, r) => h + r.heightPt * POINT_MM, 0);
    let used = 0;
    let at = s.header.length;
    s.body.forEach((g, i) => {
      const h = g.rows.reduce((x, r) => x + r.heightPt * POINT_MM, 0);
      if (i > 0 && used + h > available) {
        breaksAfter.push(at);
        used = frame;
      } else if (i === 0) used = frame;
      used += h;
      at += g.rows.length;
    });
    return {
      name: s.name,
      paper: s.paper,
      orientation: s.orientation,
      scalePct: 100,
      fitTo: null,
      marginsMm: s.marginsMm,
      columnsMm: s.columnsMm.map((w) => w - 0.05),
      rowHeightsPt: rows.map((r) => r.heightPt),
      titleRows: s.header.length,
      breaksAfter,
      bodyText: s.body.flatMap((g) => g.rows.map(() => ({ pt: s.fontSizePt, chars: 20 }))),
    };
  });
}

const sheetSpec = fc.record({
  paper: fc.constantFrom<PaperSize>('A4', 'A3'),
  fontPt: fc.constantFrom(6, 7, 7.5, 8, 8.5, 9, 10),
  mark: fc.option(fc.constantFrom('①', '②', '⑦'), { nil: null }),
  headerPt: fc.integer({ min: 10, max: 60 }),
  groups: fc.array(fc.array(fc.integer({ min: 8, max: 200 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
});

describe('print check', () => {
  it('finds nothing wrong exactly when every page is one sheet of readable text, and the two files agree (generated documents)', () => {
    fc.assert(
      fc.property(fc.array(sheetSpec, { minLength: 1, maxLength: 4 }), (specs) => {
        const doc = docOf(specs);
        const check = checkPrint(doc, pdfOf(doc), workbookOf(doc));
        const expectedFine = doc.sheets.every((s) => (s.pages!.length === 1 || s.pageMark === null) && s.fontSizePt >= READABLE_BODY_PT && s.pages!.every((p) => p.heightMm <= printableHeightMm(s) * 1.005));
        expect(check.ok).toBe(expectedFine);
        check.sheets.forEach((c, i) => {
          const s = doc.sheets[i]!;
          expect(c.pdf!.pages).toBe(s.pages!.length);
          // A group taller than a page is split by the spreadsheet between its rows (the PDF's page runs over).
          if (s.pages!.every((p) => p.heightMm <= printableHeightMm(s))) {
            expect(c.xlsx!.pages).toBe(c.pdf!.pages);
            c.xlsx!.fillPct.forEach((f, p) => expect(Math.abs(f - c.pdf!.fillPct[p]!)).toBeLessThanOrEqual(1));
          }
          expect(c.pdf!.paper).toBe(`${s.paper}横`);
          expect(c.pdf!.bodyPt).toBe(s.fontSizePt);
          expect(c.xlsx!.scalePct).toBe(100);
          if (s.pageMark && s.pages!.length > 1) expect(c.warnings.join('\n')).toMatch(s.pages!.length === 2 ? `${s.pageMark} は2枚目に続きます` : `${s.pageMark} は${s.pages!.length}枚にわたります`);
          if (s.fontSizePt < 8) expect(c.warnings.join('\n')).toContain(`本文が8ptを下回ります（${s.fontSizePt}pt）`);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('reports a page that runs onto a second sheet, with the fill of each page', () => {
    const page = printableHeightMm({ paper: 'A4', orientation: 'landscape', marginsMm: MARGINS }) / POINT_MM;
    const doc = docOf([{ paper: 'A4', fontPt: 8, mark: '⑦', headerPt: 20, groups: [[page * 0.6], [page * 0.45]] }]);
    const check = checkPrint(doc, pdfOf(doc), workbookOf(doc));
    expect(check.ok).toBe(false);
    expect(check.sheets[0]!.pdf).toMatchObject({ pages: 2, paper: 'A4横', bodyPt: 8 });
    expect(check.sheets[0]!.warnings).toEqual(['⑦ は2枚目に続きます']);
    const table = printCheckTable(check);
    expect(table).toContain('注意: ⑦ は2枚目に続きます');
    expect(table).toMatch(/⑦\s+A4横\s+8\.0\s+8\.0\s+\d+・\d+\s+\d+・\d+\s+2\s+2/);
  });

  it('warns of a workbook that shrinks, breaks elsewhere, is on other paper, or prints on more pages than the PDF', () => {
    const page = printableHeightMm({ paper: 'A4', orientation: 'landscape', marginsMm: MARGINS }) / POINT_MM;
    const doc = docOf([{ paper: 'A4', fontPt: 8.5, mark: '②', headerPt: 20, groups: [[page * 0.4], [page * 0.4]] }]);
    const fine = workbookOf(doc)[0]!;
    expect(checkPrint(doc, pdfOf(doc), [fine]).ok).toBe(true);
    const warn = (fact: WorkbookSheetFact) => checkPrint(doc, pdfOf(doc), [fact]).sheets[0]!.warnings;

    // Fit to one page: the spreadsheet shrinks the sheet so that its columns fit the paper.
    const wide = warn({ ...fine, fitTo: { width: 1, height: 0 }, columnsMm: fine.columnsMm!.map((w) => w * 1.25) });
    expect(wide).toContain('② はExcelで 80 % に縮小して印刷されます');
    expect(wide).toContain('② のExcelの本文が8ptを下回ります（6.8pt）');
    expect(wide).toContain('② の本文の大きさがExcel（6.8pt）とPDF（8.5pt）で違います');
    // Printed at 100 % with columns wider than the paper: the last ones go to other pages.
    expect(warn({ ...fine, columnsMm: fine.columnsMm!.map((w) => w + 5) })).toEqual([expect.stringMatching(/^② はExcelで列が用紙の幅を超えます/)]);
    expect(warn({ ...fine, paper: 'A3' })).toContain('② の用紙がExcel（A3横）とPDF（A4横）で違います');
    expect(warn({ ...fine, paper: 1 })).toContain('② のExcelの用紙がA4・A3ではありません（用紙コード1）');
    // Rows taller than the PDF's: the spreadsheet breaks where it must, on a page more.
    expect(warn({ ...fine, rowHeightsPt: fine.rowHeightsPt.map((h) => h * 1.4) })).toContain('② はExcelでは 2 ページ、PDFでは 1 ページです');
    // A manual break the PDF does not have: a page more.
    expect(warn({ ...fine, breaksAfter: [2] })).toEqual(['② はExcelでは 2 ページ、PDFでは 1 ページです']);
  });

  it('warns when the workbook breaks its pages after other rows than the PDF', () => {
    const page = printableHeightMm({ paper: 'A4', orientation: 'landscape', marginsMm: MARGINS }) / POINT_MM;
    const doc = docOf([{ paper: 'A4', fontPt: 9, mark: null, headerPt: 20, groups: [[page * 0.5], [page * 0.4], [page * 0.3]] }]);
    const fine = workbookOf(doc)[0]!;
    expect(fine.breaksAfter).toEqual([3]);
    expect(checkPrint(doc, pdfOf(doc), [fine]).ok).toBe(true);
    const other = checkPrint(doc, pdfOf(doc), [{ ...fine, breaksAfter: [2] }]).sheets[0]!;
    expect(other.xlsx!.pages).toBe(2);
    expect(other.warnings).toEqual([expect.stringMatching(/^シート1 のページの区切りがExcelとPDFで違います（充填率 PDF 9\d・\d+ %、Excel \d+・7\d %）$/)]);
  });

  it('does not take the footer the PDF repeats on every page for a different break', () => {
    const page = printableHeightMm({ paper: 'A4', orientation: 'landscape', marginsMm: MARGINS }) / POINT_MM;
    const plain = sheetOf({ paper: 'A4', fontPt: 9, mark: '⑦', headerPt: 20, groups: [[page * 0.6], [page * 0.45]] }, 0);
    const withFooter = { ...plain, footer: [row(page * 0.05, '中期事業計画')] };
    const doc: LayoutDocument = { ...docOf([]), sheets: [{ ...withFooter, pages: layoutPageHeightsMm({ ...withFooter, pages: undefined }).map((heightMm, p) => ({ mark: '⑦', firstGroup: p, groupCount: 1, heightMm })) }] };
    const fact = workbookOf(doc)[0]!;
    const check = checkPrint(doc, pdfOf(doc), [fact]).sheets[0]!;
    expect(check.pdf!.fillPct[0]! - check.xlsx!.fillPct[0]!).toBeGreaterThanOrEqual(4);
    expect(check.warnings).toEqual(['⑦ は2枚目に続きます']);
    // Rows that really moved are still found.
    expect(checkPrint(doc, pdfOf(doc), [{ ...fact, rowHeightsPt: fact.rowHeightsPt.map((h, i) => (i === 1 ? h * 0.8 : h)) }]).sheets[0]!.warnings).toContain(
      '⑦ のページの区切りがExcelとPDFで違います（充填率 PDF ' + check.pdf!.fillPct.join('・') + ' %、Excel ' + checkPrint(doc, pdfOf(doc), [{ ...fact, rowHeightsPt: fact.rowHeightsPt.map((h, i) => (i === 1 ? h * 0.8 : h)) }]).sheets[0]!.xlsx!.fillPct.join('・') + ' %）',
    );
  });

  it('warns when the PDF has other pages than the layout planned, or a sheet on other paper', () => {
    const doc = docOf([
      { paper: 'A4', fontPt: 9, mark: '①', headerPt: 20, groups: [[100]] },
      { paper: 'A3', fontPt: 9, mark: null, headerPt: 20, groups: [[100]] },
    ]);
    const pdf = pdfOf(doc);
    expect(checkPrint(doc, pdf, null).ok).toBe(true);
    expect(checkPrint(doc, [...pdf, pdf[0]!], null).warnings).toEqual(['PDFは 3 ページですが、レイアウトでは 2 ページのはずです（どこかの面が次のページに続いています）']);
    expect(checkPrint(doc, [pdf[0]!, pdf[0]!], null).sheets[1]!.warnings).toEqual(['シート2 のPDFの用紙が A4横 です（A3横 のはず）']);
    expect(checkPrint(doc, null, workbookOf(doc).slice(0, 1)).sheets[1]!.warnings).toEqual(['シート2 のシートがExcelにありません']);
  });

  it('paginates a worksheet by its manual breaks and where a page runs over, repeating the title rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 40 })),
        fc.integer({ min: 200, max: 600 }),
        (rows, titleRows, breaks, pageHeightPt) => {
          const titles = rows.slice(0, titleRows).reduce((a, b) => a + b, 0);
          const body = rows.slice(titleRows);
          const pages = workbookPageHeightsPt(rows, titleRows, breaks, pageHeightPt);
          if (body.length === 0) {
            expect(pages).toEqual([titles]);
            return;
          }
          // Every body row is printed once, under the title rows of its page.
          expect(pages.reduce((a, b) => a + b, 0)).toBeCloseTo(body.reduce((a, b) => a + b, 0) + pages.length * titles, 6);
          // A page runs over only when a single row (with the titles) is taller than the page.
          for (const p of pages) if (p > pageHeightPt + 1e-6) expect(body.some((h) => titles + h === p)).toBe(true);
          const manual = new Set(breaks.filter((b) => b > titleRows && b < rows.length));
          expect(pages.length).toBeGreaterThanOrEqual(manual.size + 1);
        },
      ),
    );
  });

  it('knows the paper of a PDF page and the size most text is set at', () => {
    expect(pdfPaper({ widthPt: 841.92, heightPt: 594.96 }).label).toBe('A4横');
    expect(pdfPaper({ widthPt: 841.92, heightPt: 1190.88 }).label).toBe('A3縦');
    expect(pdfPaper({ widthPt: 612, heightPt: 792 })).toEqual({ paper: null, orientation: 'portrait', label: '216×279mm' });
    expect(dominantSize([{ pt: 8, chars: 10 }, { pt: 9, chars: 30 }, { pt: 8, chars: 15 }])).toBe(9);
    expect(dominantSize([{ pt: 9, chars: 10 }, { pt: 8, chars: 10 }])).toBe(8);
    expect(dominantSize([{ pt: 9, chars: 0 }])).toBeNull();
  });
});
