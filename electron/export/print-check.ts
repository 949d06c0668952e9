import { type LayoutDocument, type LayoutSheet, type PaperSize, paperMm, POINT_MM, printableHeightMm, printableWidthMm } from '../../shared/layout/model';
import { rowsHeightMm } from '../../shared/layout/text-measure';

/**
 * The print check of an export (`npm run plan -- export … --check`): from the layout document the
 * files were made from and the facts read back from the files written (print-check-read.ts), per
 * sheet the paper, the body size, how full each page is and how many pages it prints on, in the
 * PDF and in the workbook, and plain warnings where a board member would see something wrong.
 *
 * Pure: no files, no clock; the figures come only from its arguments, so a test can give it any
 * document and any file facts. What is measured and what is estimated:
 * - PDF: the page count and page sizes are the PDF's own; which pages belong to which sheet, and
 *   how full each is, are the layout's (its pagination, `LayoutSheet.pages`, or the row heights);
 *   the PDF's total page count is checked against the layout's.
 * - Workbook: everything is the file's: paper, scale or fit-to-page, the cells' font sizes, the
 *   row heights against the printable height between the page breaks (manual breaks, and where a
 *   page would run over, the break the spreadsheet would add), the column widths against the paper.
 */

/** Below this the body text is hard to read on paper (issue 14: at least 8 pt on the board's copy). */
export const READABLE_BODY_PT = 8;
/** Sizes of paper in mm are compared within this (PDF points are rounded). */
const PAPER_TOLERANCE_MM = 3;
/** The workbook's rows have the PDF's heights: the same rows on a page fill it alike, within rounding (points). */
const FILL_AGREEMENT_PCT = 1;

/** One page of the PDF: its MediaBox size in points. */
export interface PdfPageFact {
  widthPt: number;
  heightPt: number;
}

/** One worksheet of the workbook, as read from the file. */
export interface WorkbookSheetFact {
  name: string;
  /** A4 or A3 (Excel's paper codes 9 and 8), or the code of another paper; null when none is set (the printer's default). */
  paper: PaperSize | number | null;
  orientation: 'landscape' | 'portrait';
  /** The print scale in %, as stored (100 when none). */
  scalePct: number;
  /** Fit to this many pages wide and tall (0: as many as needed), or null when printing at the scale. */
  fitTo: { width: number; height: number } | null;
  marginsMm: { top: number; right: number; bottom: number; left: number };
  /** Column widths in mm, or null when the workbook's Normal font is not one whose digit width is known. */
  columnsMm: number[] | null;
  /** Every row's height in points, first row first. */
  rowHeightsPt: number[];
  /** The rows repeated at the top of every page (1..n). */
  titleRows: number;
  /** The rows (1-based) after which a manual page break starts a new page. */
  breaksAfter: number[];
  /** Font size and text length of every cell with text below the repeated rows. */
  bodyText: { pt: number; chars: number }[];
}

/** What one side (PDF or workbook) prints for a sheet. */
export interface PrintSide {
  /** 「A4横」, 「A3縦」, or what the file says when it is neither. */
  paper: string;
  /** The size most of the body text is printed at (after any scaling), pt. */
  bodyPt: number | null;
  /** How full each printed page is, % of the printable height. */
  fillPct: number[];
  pages: number;
}

export interface SheetCheck {
  /** The document's page mark (①…⑦) or the sheet's name. */
  mark: string;
  name: string;
  pdf: PrintSide | null;
  xlsx: (PrintSide & { scalePct: number }) | null;
  warnings: string[];
}

export interface PrintCheck {
  title: string;
  sheets: SheetCheck[];
  /** Warnings about the document as a whole (the PDF's page count). */
  warnings: string[];
  ok: boolean;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const orientationLabel = (o: 'landscape' | 'portrait') => (o === 'landscape' ? '横' : '縦');

/** The size that most of the text is set at (by characters; the smaller one on a tie), or null when there is no text. */
export function dominantSize(text: { pt: number; chars: number }[]): number | null {
  const by = new Map<number, number>();
  for (const t of text) if (t.chars > 0) by.set(round1(t.pt), (by.get(round1(t.pt)) ?? 0) + t.chars);
  let best: number | null = null;
  let most = 0;
  for (const [pt, n] of by) if (n > most || (n === most && best !== null && pt < best)) [best, most] = [pt, n];
  return best;
}

/** The body text of a layout sheet at its printed sizes. */
function layoutBodyText(sheet: LayoutSheet): { pt: number; chars: number }[] {
  return sheet.body.flatMap((g) => g.rows.flatMap((r) => r.cells.map((c) => ({ pt: sheet.fontSizePt * c.scale, chars: c.paragraphs.reduce((n, p) => n + p.reduce((m, run) => m + run.text.length, 0), 0) }))));
}

// The heights of rows as the layout sized them (text-measure.ts, the same sum the fit and the writer use).
const heightMm = rowsHeightMm;

/**
 * The heights (mm) of the sheet's physical pages: the layout's own pagination where it made one;
 * otherwise every page holds the header and footer and as many whole groups as fit.
 */
export function layoutPageHeightsMm(sheet: LayoutSheet): number[] {
  if (sheet.pages && sheet.pages.length > 0) return sheet.pages.map((p) => p.heightMm);
  const frame = heightMm(sheet.header) + heightMm(sheet.footer);
  const available = printableHeightMm(sheet);
  const pages: number[] = [];
  for (const g of sheet.body) {
    const h = heightMm(g.rows);
    if (pages.length > 0 && pages[pages.length - 1]! + h <= available) pages[pages.length - 1]! += h;
    else pages.push(frame + h);
  }
  return pages.length > 0 ? pages : [frame];
}

/** How full the PDF's page `p` of a sheet would be without the footer rows it repeats on all but the last page (as a worksheet prints it). */
function withoutRepeatedFooterPct(sheet: LayoutSheet, heights: number[], p: number): number {
  const footer = p < heights.length - 1 ? heightMm(sheet.footer) : 0;
  return Math.round(((heights[p]! - footer) / printableHeightMm(sheet)) * 100);
}

/** The paper a PDF page is, by its size: 「A4横」, or its size in mm. */
export function pdfPaper(page: PdfPageFact): { paper: PaperSize | null; orientation: 'landscape' | 'portrait'; label: string } {
  const w = (page.widthPt * 25.4) / 72;
  const h = (page.heightPt * 25.4) / 72;
  const orientation = w > h ? 'landscape' : 'portrait';
  for (const paper of Object.keys(paperMm) as PaperSize[]) {
    const p = paperMm[paper];
    if (Math.abs(Math.max(w, h) - p.width) <= PAPER_TOLERANCE_MM && Math.abs(Math.min(w, h) - p.height) <= PAPER_TOLERANCE_MM)
      return { paper, orientation, label: `${paper}${orientationLabel(orientation)}` };
  }
  return { paper: null, orientation, label: `${Math.round(w)}×${Math.round(h)}mm` };
}

/** The pages (their heights in pt, each including the repeated rows) a worksheet prints on at a page height, by its breaks. */
export function workbookPageHeightsPt(rowHeightsPt: number[], titleRows: number, breaksAfter: number[], pageHeightPt: number): number[] {
  const titles = rowHeightsPt.slice(0, titleRows).reduce((a, b) => a + b, 0);
  const manual = new Set(breaksAfter);
  const pages: number[] = [];
  let used = 0;
  let rowsOnPage = 0;
  for (let i = titleRows; i < rowHeightsPt.length; i++) {
    const h = rowHeightsPt[i]!;
    // A row that does not fit what is left of the page starts the next one (as Excel and LibreOffice break).
    if (rowsOnPage > 0 && used + h > pageHeightPt + 1e-6) {
      pages.push(used);
      used = 0;
      rowsOnPage = 0;
    }
    if (rowsOnPage === 0) used = titles;
    used += h;
    rowsOnPage++;
    if (manual.has(i + 1)) {
      pages.push(used);
      used = 0;
      rowsOnPage = 0;
    }
  }
  if (rowsOnPage > 0) pages.push(used);
  return pages.length > 0 ? pages : [titles];
}

function pageSize(paper: PaperSize, orientation: 'landscape' | 'portrait', margins: WorkbookSheetFact['marginsMm']) {
  return { widthMm: printableWidthMm({ paper, orientation, marginsMm: margins }), heightMm: printableHeightMm({ paper, orientation, marginsMm: margins }) };
}

/** What a worksheet prints: its paper, scale, body size, pages and their fill; and what is wrong with that. */
function checkWorkbookSheet(fact: WorkbookSheetFact, mark: string): { side: PrintSide & { scalePct: number }; warnings: string[] } {
  const warnings: string[] = [];
  const paper = fact.paper === 'A4' || fact.paper === 'A3' ? fact.paper : null;
  if (paper === null) warnings.push(`${mark} のExcelの用紙がA4・A3ではありません（${fact.paper === null ? 'プリンターの既定' : `用紙コード${fact.paper}`}）`);
  const area = pageSize(paper ?? 'A4', fact.orientation, fact.marginsMm);
  const contentHeightPt = fact.rowHeightsPt.reduce((a, b) => a + b, 0);
  const contentWidthMm = fact.columnsMm?.reduce((a, b) => a + b, 0) ?? null;
  // Fit to page shrinks to the pages asked for (and ignores manual breaks, as Excel does); never enlarges.
  let scale = fact.scalePct / 100;
  if (fact.fitTo) {
    const byWidth = fact.fitTo.width > 0 && contentWidthMm ? (fact.fitTo.width * area.widthMm) / contentWidthMm : 1;
    const byHeight = fact.fitTo.height > 0 && contentHeightPt > 0 ? (fact.fitTo.height * area.heightMm) / (contentHeightPt * POINT_MM) : 1;
    scale = Math.min(1, byWidth, byHeight);
  }
  const pageHeightPt = area.heightMm / POINT_MM / scale;
  const pages = workbookPageHeightsPt(fact.rowHeightsPt, fact.titleRows, fact.fitTo ? [] : fact.breaksAfter, pageHeightPt);
  const scalePct = Math.round(scale * 1000) / 10;
  const size = dominantSize(fact.bodyText);
  const bodyPt = size === null ? null : round1(size * scale);
  if (scalePct < 100) warnings.push(`${mark} はExcelで ${scalePct} % に縮小して印刷されます`);
  if (contentWidthMm !== null && contentWidthMm * scale > area.widthMm + 0.5)
    warnings.push(`${mark} はExcelで列が用紙の幅を超えます（${Math.round(contentWidthMm * scale)}mm／${Math.round(area.widthMm)}mm）`);
  if (bodyPt !== null && bodyPt < READABLE_BODY_PT) warnings.push(`${mark} のExcelの本文が${READABLE_BODY_PT}ptを下回ります（${bodyPt}pt）`);
  return {
    side: {
      paper: paper ? `${paper}${orientationLabel(fact.orientation)}` : '不明',
      bodyPt,
      fillPct: pages.map((h) => Math.round((h / pageHeightPt) * 100)),
      pages: pages.length,
      scalePct,
    },
    warnings,
  };
}

/** 「⑦ は2枚目に続きます」: a page of the document that does not stay on one sheet of paper. */
function flowWarning(mark: string, pages: number, where: string): string {
  return pages === 2 ? `${mark} は${where}2枚目に続きます` : `${mark} は${where}${pages}枚にわたります`;
}

/**
 * The check of an export: `pdf` is the pages of the PDF written (null when no PDF was made),
 * `workbook` the visible worksheets of the .xlsx in order (null when none was made).
 */
export function checkPrint(doc: LayoutDocument, pdf: PdfPageFact[] | null, workbook: WorkbookSheetFact[] | null): PrintCheck {
  const warnings: string[] = [];
  const planned = doc.sheets.map(layoutPageHeightsMm);
  const plannedTotal = planned.reduce((n, p) => n + p.length, 0);
  const pdfMatches = pdf !== null && pdf.length === plannedTotal;
  if (pdf !== null && !pdfMatches) warnings.push(`PDFは ${pdf.length} ページですが、レイアウトでは ${plannedTotal} ページのはずです（どこかの面が次のページに続いています）`);
  if (workbook !== null && workbook.length !== doc.sheets.length) warnings.push(`Excelのシートが ${workbook.length} 枚あります（レイアウトは ${doc.sheets.length} 面）`);

  let firstPdfPage = 0;
  const sheets = doc.sheets.map((sheet, i): SheetCheck => {
    const mark = sheet.pageMark ?? sheet.name;
    const sheetWarnings: string[] = [];
    const heights = planned[i]!;
    let pdfSide: PrintSide | null = null;
    if (pdf !== null) {
      const mine = pdfMatches ? pdf.slice(firstPdfPage, firstPdfPage + heights.length) : [];
      firstPdfPage += heights.length;
      const papers = mine.map(pdfPaper);
      const layoutLabel = `${sheet.paper}${orientationLabel(sheet.orientation)}`;
      const wrong = papers.find((p) => p.label !== layoutLabel);
      if (wrong) sheetWarnings.push(`${mark} のPDFの用紙が ${wrong.label} です（${layoutLabel} のはず）`);
      const body = dominantSize(layoutBodyText(sheet));
      pdfSide = {
        paper: papers[0]?.label ?? layoutLabel,
        bodyPt: body,
        fillPct: heights.map((h) => Math.round((h / printableHeightMm(sheet)) * 100)),
        pages: heights.length,
      };
      if (heights.length > 1 && sheet.pageMark) sheetWarnings.push(flowWarning(mark, heights.length, ''));
      pdfSide.fillPct.forEach((f, p) => {
        if (f > 100) sheetWarnings.push(`${mark} の${heights.length > 1 ? `${p + 1}ページ目の` : ''}内容が用紙からはみ出します（充填率 ${f} %）`);
      });
      if (body !== null && body < READABLE_BODY_PT) sheetWarnings.push(`${mark} の本文が${READABLE_BODY_PT}ptを下回ります（${body}pt）`);
    }
    let xlsxSide: SheetCheck['xlsx'] = null;
    const fact = workbook?.[i];
    if (workbook !== null && !fact) sheetWarnings.push(`${mark} のシートがExcelにありません`);
    if (fact) {
      const checked = checkWorkbookSheet(fact, mark);
      xlsxSide = checked.side;
      sheetWarnings.push(...checked.warnings);
      if (pdfSide) {
        if (xlsxSide.pages !== pdfSide.pages) sheetWarnings.push(`${mark} はExcelでは ${xlsxSide.pages} ページ、PDFでは ${pdfSide.pages} ページです`);
        // Rows of the same heights on each page fill it alike: a page fuller in one than the other holds other rows.
        // The PDF repeats the footer rows on every page (as the header); a worksheet prints them once, at its end.
        else if (xlsxSide.fillPct.some((f, p) => Math.abs(f - withoutRepeatedFooterPct(sheet, heights, p)) > FILL_AGREEMENT_PCT))
          sheetWarnings.push(`${mark} のページの区切りがExcelとPDFで違います（充填率 PDF ${pdfSide.fillPct.join('・')} %、Excel ${xlsxSide.fillPct.join('・')} %）`);
        if (xlsxSide.bodyPt !== null && pdfSide.bodyPt !== null && Math.abs(xlsxSide.bodyPt - pdfSide.bodyPt) >= 0.25)
          sheetWarnings.push(`${mark} の本文の大きさがExcel（${xlsxSide.bodyPt}pt）とPDF（${pdfSide.bodyPt}pt）で違います`);
        if (xlsxSide.paper !== pdfSide.paper) sheetWarnings.push(`${mark} の用紙がExcel（${xlsxSide.paper}）とPDF（${pdfSide.paper}）で違います`);
      } else if (xlsxSide.pages > 1 && sheet.pageMark) sheetWarnings.push(flowWarning(mark, xlsxSide.pages, 'Excelで'));
    }
    return { mark, name: sheet.name, pdf: pdfSide, xlsx: xlsxSide, warnings: sheetWarnings };
  });
  return { title: doc.title, sheets, warnings, ok: warnings.length === 0 && sheets.every((s) => s.warnings.length === 0) };
}
