import ExcelJS from 'exceljs';
import { EXPORT_META_SHEET, type ExportSource, writeExportMeta } from './export-meta';
import { type LayoutCell, type LayoutDocument, type LayoutRow, type LayoutSheet, printableHeightMm } from '../../shared/layout/model';
import { rowsHeightMm, sizeRows, splitTallRows } from '../../shared/layout/text-measure';
import { EXCEL_LINE_EM, excelColumnWidth, normalFontPt } from './excel-metrics';
import { setNormalFont } from './normal-font';

/**
 * Writes a layout document as an Excel workbook (exceljs): one worksheet per sheet of the layout,
 * with its merged cells, borders, fills, column widths, wrapped text and row heights, the Japanese
 * print font, and the print setup (paper, landscape, header rows repeated, margins, page number in
 * the footer). Every value is written as text: nothing becomes a formula.
 *
 * It prints like the PDF: at 100 %, with the PDF's row heights (lines 1.3 em apart; Excel sets a
 * cell's lines at the font's own 1.0 em, so each line keeps 0.3 em spare for Excel's own line
 * breaks), columns measured in digits of a Normal font that is the body font (excel-metrics.ts,
 * normal-font.ts), and a page break wherever the PDF starts a new page (the layout's pages).
 */

/** The Japanese name Excel knows BIZ UDPGothic by (shipped with Windows 10 and later). */
export const EXCEL_FONT = 'BIZ UDPゴシック';
const PAPER_SIZE = { A4: 9, A3: 8 } as const; // exceljs' enum does not compile under isolatedModules

const inches = (mm: number) => Math.round((mm / 25.4) * 1000) / 1000;

function fontOf(base: number, c: LayoutCell, bold: boolean): Partial<ExcelJS.Font> {
  return { name: EXCEL_FONT, size: Math.round(base * c.scale * 2) / 2, bold, charset: 128 };
}

function valueOf(c: LayoutCell, base: number): ExcelJS.CellValue {
  const mixed = c.paragraphs.some((p) => p.some((r) => r.bold && !c.bold));
  if (!mixed) return c.paragraphs.map((p) => p.map((r) => r.text).join('')).join('\n');
  const richText: ExcelJS.RichText[] = [];
  c.paragraphs.forEach((p, i) => {
    p.forEach((r, j) => richText.push({ text: (i > 0 && j === 0 ? '\n' : '') + r.text, font: fontOf(base, c, c.bold || !!r.bold) }));
    if (p.length === 0 && i > 0) richText.push({ text: '\n', font: fontOf(base, c, c.bold) });
  });
  return { richText };
}

const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF333333' } };

function styleCell(target: ExcelJS.Cell, c: LayoutCell, base: number): void {
  target.font = fontOf(base, c, c.bold);
  target.alignment = {
    wrapText: true,
    horizontal: c.align,
    vertical: c.valign === 'middle' ? 'middle' : c.valign,
    ...(c.vertical ? { textRotation: 'vertical' as const } : {}),
  };
  if (c.border) target.border = { top: thin, left: thin, bottom: thin, right: thin };
  if (c.fill) target.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${c.fill.slice(1).toUpperCase()}` } };
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name || 'Sheet';
  for (let i = 2; used.has(candidate.toLowerCase()); i++) candidate = `${name.slice(0, 28)}(${i})`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** Excel's lines: the font's own height, and one such line per character of stacked vertical text. */
const EXCEL_LINES = { lineHeight: EXCEL_LINE_EM, verticalAdvance: EXCEL_LINE_EM };

/**
 * The sheet's rows at the heights the PDF gives them (the layout sized them at 1.3 em lines), each
 * at least what Excel's 1.0 em lines need: a row the layout left unsized gets those.
 */
function excelRows(sheet: LayoutSheet): { header: LayoutRow[]; body: LayoutRow[][]; footer: LayoutRow[] } {
  const resize = (rows: LayoutRow[]) => {
    if (rows.every((r) => r.heightPt > 0)) return rows;
    return splitTallRows(sizeRows(rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c })) })), sheet.columnsMm, sheet.fontSizePt, EXCEL_LINES));
  };
  return { header: resize(sheet.header), body: sheet.body.map((g) => resize(g.rows)), footer: resize(sheet.footer) };
}

/**
 * The rows (0-based, among the body rows) after which a new page starts, by the PDF's rule: every
 * page holds the header and the footer rows (Chromium repeats both), a group that does not fit on
 * what is left of the page starts a new one, and a group taller than a page breaks between its rows.
 */
export function bodyPageBreaks(groups: LayoutRow[][], pageBodyMm: number): number[] {
  const breaks: number[] = [];
  let used = 0;
  let index = 0;
  for (const group of groups) {
    const h = rowsHeightMm(group);
    if (used > 0 && used + h > pageBodyMm) {
      breaks.push(index - 1);
      used = 0;
    }
    if (h <= pageBodyMm) used += h;
    else
      group.forEach((row, i) => {
        const rh = rowsHeightMm([row]);
        if (used > 0 && used + rh > pageBodyMm) {
          breaks.push(index + i - 1);
          used = 0;
        }
        used += rh;
      });
    index += group.length;
  }
  return breaks;
}

/**
 * The page breaks of a sheet's body (rows, 0-based, after which a page starts): the layout's own
 * pages where it has them (fit.ts paginate, which the PDF prints), each page's groups then broken
 * by bodyPageBreaks only where one group alone is taller than a page.
 */
export function sheetPageBreaks(sheet: Pick<LayoutSheet, 'pages'>, groups: LayoutRow[][], pageBodyMm: number): number[] {
  if (!sheet.pages || sheet.pages.length === 0) return bodyPageBreaks(groups, pageBodyMm);
  const breaks: number[] = [];
  let index = 0;
  sheet.pages.forEach((page, i) => {
    const own = groups.slice(page.firstGroup, page.firstGroup + page.groupCount);
    if (i > 0 && index > 0) breaks.push(index - 1);
    for (const b of bodyPageBreaks(own, pageBodyMm)) breaks.push(index + b);
    index += own.reduce((n, g) => n + g.length, 0);
  });
  return breaks;
}

function writeSheet(wb: ExcelJS.Workbook, sheet: LayoutSheet, name: string, normalPt: number, pageNumbers: boolean): void {
  const m = sheet.marginsMm;
  const rows = excelRows(sheet);
  const ws = wb.addWorksheet(name, {
    views: [{ showGridLines: false, state: 'frozen', ySplit: sheet.header.length, xSplit: 0 }],
    pageSetup: {
      // The typings' PaperSize enum has no A3 (8), which Excel and LibreOffice know.
      paperSize: PAPER_SIZE[sheet.paper] as unknown as ExcelJS.PaperSize,
      orientation: sheet.orientation,
      // At 100 %, as the PDF: the columns add up to the printable width, the page breaks are ours
      // (Excel ignores manual breaks on a sheet fitted to pages).
      fitToPage: false,
      scale: 100,
      horizontalCentered: true,
      margins: { top: inches(m.top), right: inches(m.right), bottom: inches(m.bottom), left: inches(m.left), header: 0.2, footer: 0.2 },
      ...(sheet.header.length > 0 ? { printTitlesRow: `1:${sheet.header.length}` } : {}),
    },
    // As the PDF: a page counter only where the document has no marks of its own (①…⑦). Digits only:
    // the footer's default font prints them everywhere (a font style name would be language-specific).
    ...(pageNumbers ? { headerFooter: { oddFooter: '&R&8&P / &N', evenFooter: '&R&8&P / &N' } } : {}),
  });
  ws.columns = sheet.columnsMm.map((mm) => ({ width: excelColumnWidth(mm, normalPt) }));

  let r = 1;
  const writeRows = (part: LayoutRow[]) => {
    for (const row of part) {
      ws.getRow(r).height = Math.max(1, Math.min(409, row.heightPt));
      for (const c of row.cells) {
        const top = r;
        const left = c.col + 1;
        const bottom = r + c.rowSpan - 1;
        const right = c.col + c.colSpan;
        if (bottom > top || right > left) ws.mergeCells(top, left, bottom, right);
        const target = ws.getCell(top, left);
        target.value = c.excelNumber ? c.excelNumber.value : valueOf(c, sheet.fontSizePt);
        // Excel draws the border and fill of a merged range from each of its cells.
        for (let y = top; y <= bottom; y++) for (let x = left; x <= right; x++) styleCell(ws.getCell(y, x), c, sheet.fontSizePt);
        if (c.excelNumber) target.numFmt = c.excelNumber.format;
      }
      r++;
    }
  };

  writeRows(rows.header);
  const first = r;
  for (const group of rows.body) writeRows(group);
  writeRows(rows.footer);
  const pageBodyMm = printableHeightMm(sheet) - rowsHeightMm(rows.header) - rowsHeightMm(rows.footer);
  for (const after of sheetPageBreaks(sheet, rows.body, pageBodyMm)) ws.getRow(first + after).addPageBreak();
}

/** Writes the workbook; with `doc.source`, a very hidden sheet records the plan revision it was made from (export-meta.ts). */
export async function writeXlsx(doc: LayoutDocument & { source?: ExportSource }): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '計画ワークベンチ';
  wb.title = doc.title;
  wb.created = new Date();
  // The hidden sheet's name is taken first: a layout sheet of that name would be renamed, never it.
  const used = new Set<string>(doc.source ? [EXPORT_META_SHEET.toLowerCase()] : []);
  const normalPt = normalFontPt(doc.sheets.map((s) => s.fontSizePt));
  for (const sheet of doc.sheets) writeSheet(wb, sheet, uniqueName(sheet.name, used), normalPt, doc.pageNumbers);
  if (doc.source) await writeExportMeta(wb, doc.source);
  const buffer = await wb.xlsx.writeBuffer();
  return setNormalFont(new Uint8Array(buffer as ArrayBuffer), { name: EXCEL_FONT, sizePt: normalPt, charset: 128, family: 3 });
}
