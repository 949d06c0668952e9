import ExcelJS from 'exceljs';
import { EXPORT_META_SHEET, type ExportSource, writeExportMeta } from './export-meta';
import { type LayoutCell, type LayoutDocument, type LayoutRow, type LayoutSheet, printableHeightMm } from '../../shared/layout/model';
import { EXCEL_METRICS, rowsHeightMm, sizeRows, splitTallRows } from '../../shared/layout/text-measure';

/**
 * Writes a layout document as an Excel workbook (exceljs): one worksheet per sheet of the layout,
 * with its merged cells, borders, fills, column widths, wrapped text and row heights, the Japanese
 * print font, and the print setup (paper, landscape, one page wide, header rows repeated, margins,
 * page number in the footer). Every value is written as text: nothing becomes a formula.
 */

/** The Japanese name Excel knows BIZ UDPGothic by (shipped with Windows 10 and later). */
export const EXCEL_FONT = 'BIZ UDPゴシック';
const PAPER_SIZE = { A4: 9, A3: 8 } as const; // exceljs' enum does not compile under isolatedModules

/**
 * Excel column width (in widths of the digit 0 of the workbook's default font, Calibri 11: 7 px)
 * for a width in mm at 96 dpi: the padding is part of the stored width.
 */
export function excelColumnWidth(mm: number): number {
  return Math.round(((mm / 25.4) * 96 / 7) * 100) / 100;
}

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

/** A sheet may print this much smaller than its font sizes to stay on the one page it was laid out for. */
const MIN_ONE_PAGE_SCALE = 0.82;

/** The sheet's rows with the heights Excel needs (Excel sets lines taller than the print page does). */
function excelRows(sheet: LayoutSheet): { header: LayoutRow[]; body: LayoutRow[][]; footer: LayoutRow[] } {
  const resize = (rows: LayoutRow[]) =>
    splitTallRows(sizeRows(rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c })) })), sheet.columnsMm, sheet.fontSizePt, EXCEL_METRICS));
  return { header: resize(sheet.header), body: sheet.body.map((g) => resize(g.rows)), footer: resize(sheet.footer) };
}

function writeSheet(wb: ExcelJS.Workbook, sheet: LayoutSheet, name: string): void {
  const m = sheet.marginsMm;
  const rows = excelRows(sheet);
  const available = printableHeightMm(sheet);
  const total = rowsHeightMm(rows.header) + rows.body.reduce((h, g) => h + rowsHeightMm(g), 0) + rowsHeightMm(rows.footer);
  // A sheet laid out for one page stays on one page (printed a little smaller if need be); a
  // longer one runs over several pages, one page wide, breaking between printed rows.
  const onePage = total <= available / MIN_ONE_PAGE_SCALE;
  const ws = wb.addWorksheet(name, {
    views: [{ showGridLines: false, state: 'frozen', ySplit: sheet.header.length, xSplit: 0 }],
    pageSetup: {
      // The typings' PaperSize enum has no A3 (8), which Excel and LibreOffice know.
      paperSize: PAPER_SIZE[sheet.paper] as unknown as ExcelJS.PaperSize,
      orientation: sheet.orientation,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: onePage ? 1 : 0,
      horizontalCentered: true,
      margins: { top: inches(m.top), right: inches(m.right), bottom: inches(m.bottom), left: inches(m.left), header: 0.2, footer: 0.2 },
      ...(sheet.header.length > 0 ? { printTitlesRow: `1:${sheet.header.length}` } : {}),
    },
    // Digits only: the footer's default font prints them everywhere (a font style name would be language-specific).
    headerFooter: { oddFooter: '&R&8&P / &N', evenFooter: '&R&8&P / &N' },
  });
  ws.columns = sheet.columnsMm.map((mm) => ({ width: excelColumnWidth(mm) }));

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
  // A group that does not fit on what is left of the page starts a new page, so that Excel never
  // cuts a printed table row (with its merged cells) in two.
  const pageMm = available - rowsHeightMm(rows.header);
  let used = 0;
  for (const group of rows.body) {
    const h = rowsHeightMm(group);
    if (!onePage && used > 0 && used + h > pageMm) {
      ws.getRow(r - 1).addPageBreak();
      used = 0;
    }
    writeRows(group);
    used += h;
  }
  writeRows(rows.footer);
}

/** Writes the workbook; with `doc.source`, a very hidden sheet records the plan revision it was made from (export-meta.ts). */
export async function writeXlsx(doc: LayoutDocument & { source?: ExportSource }): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '計画ワークベンチ';
  wb.title = doc.title;
  wb.created = new Date();
  // The hidden sheet's name is taken first: a layout sheet of that name would be renamed, never it.
  const used = new Set<string>(doc.source ? [EXPORT_META_SHEET.toLowerCase()] : []);
  for (const sheet of doc.sheets) writeSheet(wb, sheet, uniqueName(sheet.name, used));
  if (doc.source) await writeExportMeta(wb, doc.source);
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
