import { type LayoutCell, type LayoutRow, type Paragraph, POINT_MM } from './model';

/**
 * How much room text takes in the printed font (BIZ UDPGothic), estimated without a browser so that
 * the layout can choose font sizes and Excel row heights. Widths were measured in Chromium: every
 * kana, kanji and full-width sign is 1 em, digits and half-width katakana 0.5 em, Latin letters
 * 0.28–0.94 em (values below are per class, rounded up). Line breaks are estimated greedily with a
 * little slack for the line-breaking rules (禁則) that push a character to the next line.
 */

/** Line height as a multiple of the font size; the print CSS uses the same value. */
export const LINE_HEIGHT = 1.3;

/** How lines are set: the height of a line, and the advance of a character in vertical text (both in em). */
export interface LineMetrics {
  lineHeight: number;
  verticalAdvance: number;
}
export const PRINT_METRICS: LineMetrics = { lineHeight: LINE_HEIGHT, verticalAdvance: 1.02 };
/**
 * Excel cannot set line spacing: it sets lines at the font's own height, which for BIZ UDPGothic
 * is 1.45 em (measured in Chromium as line-height: normal), rounded up to whole pixels; stacked
 * vertical text takes one such line per character.
 */
export const EXCEL_METRICS: LineMetrics = { lineHeight: 1.5, verticalAdvance: 1.5 };
/** Cell padding in mm (each side); the print CSS uses the same values. */
export const CELL_PADDING_X_MM = 1.2;
export const CELL_PADDING_Y_MM = 0.7;
/** Excel cannot make a row taller than this (points). */
export const EXCEL_MAX_ROW_PT = 409;

const WIDTH_SLACK = 0.97;
/** A printed cell's border adds to its height. */
const BORDER_MM = 0.3;

export function charWidthEm(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) {
    if (c >= 0x30 && c <= 0x39) return 0.5;
    if (c >= 0x41 && c <= 0x5a) return ch === 'M' || ch === 'W' ? 0.95 : 0.7;
    if (c >= 0x61 && c <= 0x7a) return ch === 'm' || ch === 'w' ? 0.8 : 0.5;
    if (c === 0x20) return 0.3;
    return 0.45;
  }
  if (c >= 0xff61 && c <= 0xff9f) return 0.5; // half-width katakana
  if (c >= 0x2460 && c <= 0x24ff) return 0.9; // ①…
  if (c >= 0x0080 && c < 0x0300) return 0.6;
  return 1;
}

/**
 * The width of each character of a paragraph (em), measured once per text: the layout tries one
 * font size after another, and only the line breaks depend on the size.
 */
interface Measured {
  /** The runs' texts when measured (a paragraph changed since is measured again). */
  texts: string[];
  widths: number[];
  total: number;
}
const measured = new WeakMap<Paragraph, Measured>();
function measure(p: Paragraph): Measured {
  const known = measured.get(p);
  if (known && known.texts.length === p.length && p.every((r, i) => r.text === known.texts[i])) return known;
  const widths: number[] = [];
  let total = 0;
  for (const r of p)
    for (const ch of r.text) {
      const w = charWidthEm(ch);
      widths.push(w);
      total += w;
    }
  const m = { texts: p.map((r) => r.text), widths, total };
  measured.set(p, m);
  return m;
}
const paragraphWidths = (p: Paragraph) => measure(p).widths;

/**
 * At least as many lines as paragraphLines gives, from the paragraph's total width alone (no
 * character is wider than 1 em, so a line of the greedy breaking never holds more than the box):
 * lets the layout rule out a font size without breaking every line at it.
 */
function paragraphLinesAtLeast(p: Paragraph, widthEm: number): number {
  const { widths, total } = measure(p);
  if (widths.length === 0) return 1;
  const limit = Math.max(1, widthEm * WIDTH_SLACK);
  return Math.max(1, Math.ceil(total / limit - 1e-9));
}

/** Lines one paragraph takes in a box `widthEm` wide (at least one, even when empty). */
export function paragraphLines(p: Paragraph, widthEm: number): number {
  const widths = paragraphWidths(p);
  if (widths.length === 0) return 1;
  const limit = Math.max(1, widthEm * WIDTH_SLACK);
  let lines = 1;
  let x = 0;
  for (const w of widths) {
    if (x + w > limit && x > 0) {
      lines++;
      x = 0;
    }
    x += w;
  }
  return lines;
}

/** The height in mm a cell's text needs at `fontPt` in a box `widthMm` wide (the cell's inner height plus padding). */
export function textHeightMm(paragraphs: Paragraph[], widthMm: number, fontPt: number, vertical = false, metrics: LineMetrics = PRINT_METRICS, linesOf = paragraphLines): number {
  const emMm = fontPt * POINT_MM;
  const innerWidth = Math.max(emMm, widthMm - 2 * CELL_PADDING_X_MM);
  if (vertical) {
    // 縦書き: one column per paragraph, each character 1 em tall.
    const longest = Math.max(0, ...paragraphs.map((p) => paragraphWidths(p).length));
    return longest * emMm * metrics.verticalAdvance + 2 * CELL_PADDING_Y_MM + BORDER_MM;
  }
  const widthEm = innerWidth / emMm;
  const lines = paragraphs.length === 0 ? 1 : paragraphs.reduce((n, p) => n + linesOf(p, widthEm), 0);
  return lines * emMm * metrics.lineHeight + 2 * CELL_PADDING_Y_MM + BORDER_MM;
}

export function cellWidthMm(cell: Pick<LayoutCell, 'col' | 'colSpan'>, columnsMm: number[]): number {
  let w = 0;
  for (let i = cell.col; i < cell.col + cell.colSpan; i++) w += columnsMm[i] ?? 0;
  return w;
}

export function cellHeightMm(cell: LayoutCell, columnsMm: number[], basePt: number, metrics: LineMetrics = PRINT_METRICS): number {
  return textHeightMm(cell.paragraphs, cellWidthMm(cell, columnsMm), basePt * cell.scale, cell.vertical, metrics);
}

const mmToPt = (mm: number) => mm / POINT_MM;

/**
 * A lower bound of the height (mm) sizeRows gives these rows at `basePt`: each row at least its
 * tallest one-row cell, lines counted by paragraphLinesAtLeast. Costs a pass over the cells, not
 * over every character; fit.ts skips a font size whose bound does not fit already.
 */
export function rowsHeightAtLeastMm(rows: LayoutRow[], columnsMm: number[], basePt: number, metrics: LineMetrics = PRINT_METRICS): number {
  let sum = 0;
  for (const row of rows) {
    let h = basePt * metrics.lineHeight * POINT_MM + 2 * CELL_PADDING_Y_MM;
    for (const c of row.cells)
      if (c.rowSpan === 1) h = Math.max(h, textHeightMm(c.paragraphs, cellWidthMm(c, columnsMm), basePt * c.scale, c.vertical, metrics, paragraphLinesAtLeast));
    sum += h;
  }
  return sum;
}

/**
 * Gives each row the height its cells need: first the cells within one row, then each cell that
 * spans rows adds what it still lacks to the rows it spans, in equal parts. Rows are built without
 * heights; this fills `heightPt` in place and returns the rows.
 */
export function sizeRows(rows: LayoutRow[], columnsMm: number[], basePt: number, metrics: LineMetrics = PRINT_METRICS): LayoutRow[] {
  const heights = rows.map((row) =>
    Math.max(basePt * metrics.lineHeight * POINT_MM + 2 * CELL_PADDING_Y_MM, ...row.cells.filter((c) => c.rowSpan === 1).map((c) => cellHeightMm(c, columnsMm, basePt, metrics))),
  );
  const spanning = rows
    .flatMap((row, r) => row.cells.filter((c) => c.rowSpan > 1).map((c) => ({ c, r })))
    .sort((a, b) => a.c.rowSpan - b.c.rowSpan);
  for (const { c, r } of spanning) {
    const need = cellHeightMm(c, columnsMm, basePt, metrics);
    const have = heights.slice(r, r + c.rowSpan).reduce((a, b) => a + b, 0);
    if (need > have) for (let y = r; y < r + c.rowSpan; y++) heights[y]! += (need - have) / c.rowSpan;
  }
  rows.forEach((row, i) => (row.heightPt = Math.ceil(mmToPt(heights[i]!) * 4) / 4));
  return rows;
}

/**
 * Splits every row taller than Excel allows into several rows: the cells starting in it span the
 * new rows, the cells spanning into it from above span them too. The grid stays sound and prints
 * the same; Excel just gets rows it can hold.
 */
export function splitTallRows(rows: LayoutRow[], maxPt = EXCEL_MAX_ROW_PT): LayoutRow[] {
  const out: LayoutRow[] = [];
  // Cells that may span into the current row (pruned at each tall row): looking back over every
  // row above each tall row made a long sheet quadratic.
  let open: { y: number; c: LayoutCell }[] = [];
  for (const source of rows) {
    const row: LayoutRow = { ...source, cells: source.cells.map((c) => ({ ...c })) };
    const r = out.length;
    out.push(row);
    for (const c of row.cells) open.push({ y: r, c });
    if (row.heightPt <= maxPt) continue;
    const parts = Math.ceil(row.heightPt / maxPt);
    const extra = parts - 1;
    open = open.filter(({ y, c }) => y + c.rowSpan > r);
    for (const { c } of open) c.rowSpan += extra;
    const each = Math.ceil((row.heightPt / parts) * 4) / 4;
    row.heightPt = each;
    for (let i = 0; i < extra; i++) out.push({ heightPt: each, cells: [] });
  }
  return out;
}

/** The height in mm of rows sized by `sizeRows`. */
export function rowsHeightMm(rows: LayoutRow[]): number {
  return rows.reduce((h, r) => h + r.heightPt * POINT_MM, 0);
}
