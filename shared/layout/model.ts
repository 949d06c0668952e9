/**
 * The layout model: a printed document described once, as plain JSON, so that the Excel writer
 * and the print-HTML renderer (and thus the PDF and the print preview) draw the same thing.
 *
 * A document is a list of sheets. A sheet is one printed page of the original document (①, ②, …)
 * and one Excel worksheet: a grid of columns (widths in mm) with header rows that repeat on every
 * physical page, body groups (rows that must stay together on one page) and footer rows. Cells sit
 * at an explicit column, may span columns and rows, and carry their look as explicit attributes.
 */

import { emphasisRuns } from '../text/emphasis';

export type PaperSize = 'A4' | 'A3';

export const paperMm: Record<PaperSize, { width: number; height: number }> = {
  A4: { width: 297, height: 210 },
  A3: { width: 420, height: 297 },
};

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** A piece of text with one look. */
export interface Run {
  text: string;
  bold?: boolean;
}

/** One paragraph of a cell: starts on a new line. */
export type Paragraph = Run[];

export type HorizontalAlign = 'left' | 'center' | 'right';
export type VerticalAlign = 'top' | 'middle' | 'bottom';

/** What a cell is, for tests and for readers of the model; the look is in the other fields. */
export type CellRole =
  | 'title'
  | 'pageMark'
  | 'note'
  | 'columnHeader'
  | 'groupHeading'
  | 'theme'
  | 'body'
  | 'units'
  | 'band'
  | 'label'
  | 'sectionTitle'
  | 'footer'
  | 'blank';

export interface LayoutCell {
  /** 0-based column where the cell starts. */
  col: number;
  colSpan: number;
  rowSpan: number;
  role: CellRole;
  paragraphs: Paragraph[];
  /** Font size relative to the sheet's base size (1 = base). */
  scale: number;
  bold: boolean;
  align: HorizontalAlign;
  valign: VerticalAlign;
  /** Drawn with a thin border on every side. */
  border: boolean;
  /** Background colour, `#rrggbb`, or null. */
  fill: string | null;
  /** Text set vertically (縦書き), as the band labels of the action plan. */
  vertical: boolean;
  /** Paragraphs starting with 「・」 hang their following lines under the text (HTML only; Excel cannot). */
  hangingBullets: boolean;
  /** A figure Excel should hold as a number (with this number format) rather than as the printed text. */
  excelNumber: { value: number; format: string } | null;
}

export interface LayoutRow {
  /** The height this row needs at the sheet's font size (estimated), in points: Excel's row height. */
  heightPt: number;
  cells: LayoutCell[];
}

/** Rows that must not be split across pages (one printed table row with its shared cells). */
export interface LayoutGroup {
  rows: LayoutRow[];
}

/**
 * One physical page of a sheet, as the layout paginated it (shared/layout/fit.ts): the print page
 * starts each on a new page, so the PDF breaks exactly here.
 */
export interface SheetPage {
  /** The page's mark: the sheet's pageMark, or 「⑦-1」「⑦-2」… where a marked sheet runs over several pages. */
  mark: string | null;
  /** The first body group on the page (index into `body`) and how many follow. */
  firstGroup: number;
  groupCount: number;
  /** Estimated height of the page's content (header, its groups, footer), mm: the fill is this over printableHeightMm. */
  heightMm: number;
}

export interface LayoutSheet {
  /** The worksheet name (Japanese, at most 31 characters, none of []:*?/\). */
  name: string;
  paper: PaperSize;
  orientation: 'landscape' | 'portrait';
  marginsMm: Margins;
  /** Column widths in mm; they add up to the printable width of the paper. */
  columnsMm: number[];
  /** Base font size in points, chosen so that the sheet fits on one page where it can. */
  fontSizePt: number;
  /** The document's own page number of this sheet (①…⑦), or null. */
  pageMark: string | null;
  /** Repeated at the top of every physical page (title line, page mark, column headers). */
  header: LayoutRow[];
  body: LayoutGroup[];
  /** After the body (e.g. 「中期事業計画2020-2022」 on page ⑦); printed at the foot of every page of the sheet. */
  footer: LayoutRow[];
  /**
   * The physical pages of the sheet, in order (added by the fit, shared/layout/fit.ts; one for a
   * sheet that fits its paper). Absent on a hand-built sheet: then the browser breaks the pages.
   */
  pages?: SheetPage[];
  /**
   * Printed on the same physical page as the sheet before it, below its table (a short rollup table
   * does not take a page of its own). Only the print page: a workbook keeps a worksheet per sheet.
   */
  continuesPage?: boolean;
}

export type LayoutKind = 'action-plan' | 'overview' | 'unit' | 'rollup';

export interface LayoutDocument {
  kind: LayoutKind;
  /** The document title (also the PDF title). */
  title: string;
  /** A file name without extension, safe on Windows, macOS and Linux. */
  fileBaseName: string;
  sheets: LayoutSheet[];
  /** A printed page counter 「1 / 7」 at the bottom of every physical page. */
  pageNumbers: boolean;
}

export const POINT_MM = 25.4 / 72;

export function cell(col: number, paragraphs: Paragraph[], options: Partial<Omit<LayoutCell, 'col' | 'paragraphs'>> = {}): LayoutCell {
  return {
    col,
    paragraphs,
    colSpan: 1,
    rowSpan: 1,
    role: 'body',
    scale: 1,
    bold: false,
    align: 'left',
    valign: 'top',
    border: true,
    fill: null,
    vertical: false,
    hangingBullets: false,
    excelNumber: null,
    ...options,
  };
}

/** Text with line breaks as paragraphs of one plain run each. */
export function textParagraphs(text: string, bold = false): Paragraph[] {
  if (text === '') return [];
  return text.split('\n').map((line) => [bold ? { text: line, bold: true } : { text: line }]);
}

/**
 * Text of a field that carries emphasis (shared/text/emphasis.ts) as paragraphs: its `**…**`
 * phrases as bold runs, the marks not printed.
 */
export function emphasisParagraphs(text: string): Paragraph[] {
  if (text === '') return [];
  return text.split('\n').map((line) => {
    const runs = emphasisRuns(line).map((r): Run => (r.bold ? { text: r.text, bold: true } : { text: r.text }));
    return runs.length > 0 ? runs : [{ text: '' }];
  });
}

export function paragraphText(p: Paragraph): string {
  return p.map((r) => r.text).join('');
}

export function cellText(c: LayoutCell): string {
  return c.paragraphs.map(paragraphText).join('\n');
}

export function printableWidthMm(sheet: Pick<LayoutSheet, 'paper' | 'orientation' | 'marginsMm'>): number {
  const p = paperMm[sheet.paper];
  const w = sheet.orientation === 'landscape' ? p.width : p.height;
  return w - sheet.marginsMm.left - sheet.marginsMm.right;
}

export function printableHeightMm(sheet: Pick<LayoutSheet, 'paper' | 'orientation' | 'marginsMm'>): number {
  const p = paperMm[sheet.paper];
  const h = sheet.orientation === 'landscape' ? p.height : p.width;
  return h - sheet.marginsMm.top - sheet.marginsMm.bottom;
}

/** Every row of a sheet in print order, with where each part starts. */
export function sheetRows(sheet: LayoutSheet): LayoutRow[] {
  return [...sheet.header, ...sheet.body.flatMap((g) => g.rows), ...sheet.footer];
}

/**
 * Checks that the rows of each part cover the grid exactly once (no gaps, no overlaps, spans inside
 * the part): both renderers rely on it. Returns the problems found (empty when the sheet is sound).
 */
export function gridProblems(sheet: LayoutSheet): string[] {
  const problems: string[] = [];
  const parts: [string, LayoutRow[]][] = [
    ['header', sheet.header],
    ...sheet.body.map((g, i): [string, LayoutRow[]] => [`group ${i}`, g.rows]),
    ['footer', sheet.footer],
  ];
  const n = sheet.columnsMm.length;
  for (const [name, rows] of parts) {
    const covered: boolean[][] = rows.map(() => new Array<boolean>(n).fill(false));
    rows.forEach((row, r) => {
      for (const c of row.cells) {
        if (c.col < 0 || c.colSpan < 1 || c.rowSpan < 1 || c.col + c.colSpan > n) problems.push(`${sheet.name} ${name} row ${r}: cell at column ${c.col} span ${c.colSpan} is outside the grid`);
        if (r + c.rowSpan > rows.length) problems.push(`${sheet.name} ${name} row ${r}: cell at column ${c.col} spans ${c.rowSpan} rows past the part`);
        for (let y = r; y < Math.min(rows.length, r + c.rowSpan); y++)
          for (let x = Math.max(0, c.col); x < Math.min(n, c.col + c.colSpan); x++) {
            if (covered[y]![x]) problems.push(`${sheet.name} ${name} row ${y} column ${x} is covered twice`);
            covered[y]![x] = true;
          }
      }
      for (let i = 1; i < row.cells.length; i++)
        if (row.cells[i]!.col <= row.cells[i - 1]!.col) problems.push(`${sheet.name} ${name} row ${r}: cells are not in column order`);
    });
    covered.forEach((line, y) => line.forEach((ok, x) => ok || problems.push(`${sheet.name} ${name} row ${y} column ${x} is not covered`)));
  }
  if (Math.abs(sheet.columnsMm.reduce((a, b) => a + b, 0) - printableWidthMm(sheet)) > 0.5)
    problems.push(`${sheet.name}: the columns do not add up to the printable width`);
  return problems;
}
