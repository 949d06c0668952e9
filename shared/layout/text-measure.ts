import { breakLines, breakRanks } from '../text/phrases';
import { type LayoutCell, type LayoutRow, type Paragraph, paragraphText, POINT_MM } from './model';

/**
 * How much room text takes in the printed font (BIZ UDPGothic), estimated without a browser so that
 * the layout can choose font sizes and Excel row heights. Widths were measured in Chromium (see
 * charWidthEm: per class, rounded up). Lines break between phrases (shared/text/
 * phrases.ts: BudouX, with 禁則), greedily, with a little slack; print-html.ts sets the very breaks
 * computed here, so the printed lines are the estimated ones.
 */

/** Line height as a multiple of the font size; the print CSS uses the same value. */
export const LINE_HEIGHT = 1.2;

/** How lines are set: the height of a line, and the advance of a character in vertical text (both in em). */
export interface LineMetrics {
  lineHeight: number;
  verticalAdvance: number;
  /** Lines break between phrases (the print page), or between any two characters (Excel and LibreOffice do; the default). */
  breaks?: 'phrases' | 'characters';
  /** A paragraph starting with ・ in a cell with hanging bullets sets its further lines 1 em in (the print page; not by default). */
  hangingIndent?: boolean;
}
export const PRINT_METRICS: LineMetrics = { lineHeight: LINE_HEIGHT, verticalAdvance: 1.02, breaks: 'phrases', hangingIndent: true };
/**
 * The hand-out workbook's rows (electron/import/handout-workbook.ts), which people type into: 1.5 em
 * a line, roomier than the font's own 1.0 em that Excel and LibreOffice set lines at (BIZ UDPGothic's
 * ascender + descender, read from the font file: electron/export/excel-metrics.ts; the export's
 * workbooks use that and the PDF's row heights); breaks anywhere, as Excel does.
 */
export const EXCEL_METRICS: LineMetrics = { lineHeight: 1.5, verticalAdvance: 1.5, breaks: 'characters', hangingIndent: false };
/** Cell padding in mm (each side); the print CSS uses the same values. */
export const CELL_PADDING_X_MM = 1.2;
export const CELL_PADDING_Y_MM = 0.5;
/** Excel cannot make a row taller than this (points). */
export const EXCEL_MAX_ROW_PT = 409;

/**
 * The share of a line the estimate fills. Widths are rounded up and 禁則 is followed (phrases.ts),
 * and the print page breaks where the estimate does: what is left is rounding of mm and pt.
 */
const WIDTH_SLACK = 0.995;
/** A cell's collapsed borders (0.25 mm, half on each side) narrow its text box. */
const BORDER_WIDTH_MM = 0.25;
/** The width of the text box of a cell `widthMm` wide. */
const innerWidthMm = (widthMm: number, emMm: number) => Math.max(emMm, widthMm - 2 * CELL_PADDING_X_MM - BORDER_WIDTH_MM);
/** A printed cell's border adds to its height. */
const BORDER_MM = 0.3;

/**
 * Advances measured in Chromium with the bundled BIZ UDPGothic (tests/unit/print-fit-calibration.test.ts
 * checks the result against Chromium's layout): the proportional face sets digits at 0.76 em ('1'
 * 0.63), Latin capitals at 0.6–0.98 em, small letters at 0.3–0.94 em, and the brackets, middle dot
 * and 、。 of the CJK block at half or 0.6 of an em; kanji are 1 em, kana 0.76–1 em (taken as 1).
 * Each class is rounded up to its widest member, so that the estimate never sets more on a line than
 * Chromium can.
 */
const HALF_EM_MARKS = new Set([...'・「」『』（）【】《》〈〉〔〕“”‘’［］｛｝：；']);
export function charWidthEm(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) {
    if (c >= 0x30 && c <= 0x39) return 0.76;
    if (c >= 0x41 && c <= 0x5a) return ch === 'M' || ch === 'W' ? 0.98 : 0.86;
    if (c >= 0x61 && c <= 0x7a) return ch === 'm' || ch === 'w' ? 0.94 : 0.72;
    if (c === 0x20) return 0.34;
    if (c === 0x25) return 1; // %
    if ('<>+=&'.includes(ch)) return 0.9;
    return 0.5;
  }
  if (c >= 0xff10 && c <= 0xff19) return 0.76; // full-width digits (proportional in this face)
  if ((c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) return 0.98; // full-width Latin
  if (HALF_EM_MARKS.has(ch)) return 0.5;
  if (ch === '、' || ch === '。') return 0.6;
  if (ch === '\u3000') return 0.67; // ideographic space
  if (c >= 0xff61 && c <= 0xff9f) return 0.5; // half-width katakana
  if (c >= 0x2460 && c <= 0x24ff) return 1; // ①…
  if (c >= 0x0080 && c < 0x0300) return 0.86;
  return 1;
}

/**
 * The width of each character of a paragraph (em), measured once per text: the layout tries one
 * font size after another, and only the line breaks depend on the size.
 */
interface Measured {
  /** The runs' texts when measured (a paragraph changed since is measured again). */
  texts: string[];
  widths: Float64Array;
  total: number;
  /** How good a break before each character is (phrases.ts), found when first asked for. */
  ranks?: Uint8Array;
  /**
   * Lines at each box width and way of breaking asked for so far: fitting tries a sheet at several
   * sizes and column widths (fit.ts columnsForContent), each of which asks again for the same few widths.
   */
  lines?: Map<number, number>[];
}
/** How many widths a paragraph remembers its lines at (a bound on the memory the remembering takes). */
const LINES_REMEMBERED = 256;
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
  const m: Measured = { texts: p.map((r) => r.text), widths: Float64Array.from(widths), total };
  measured.set(p, m);
  return m;
}
const paragraphWidths = (p: Paragraph) => measure(p).widths;
function paragraphRanks(p: Paragraph): Uint8Array {
  const m = measure(p);
  m.ranks ??= breakRanks(paragraphText(p));
  return m.ranks;
}

/** Breaks anywhere (not before a character 禁則 keeps off a line's start): how Excel and LibreOffice set Japanese. */
const CHARACTER_RANKS = (n: number) => new Uint8Array(n).fill(1);

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

/** How a paragraph is broken: between phrases or anywhere, with or without a hanging indent under ・. */
export interface BreakOptions {
  /** Between phrases (the default), or anywhere. */
  breaks?: 'phrases' | 'characters';
  /** The paragraph hangs under its leading ・: lines after the first are 1 em narrower. */
  hanging?: boolean;
}

/**
 * Where the lines of a paragraph in a box `widthEm` wide start: the index (in characters, i.e. code
 * points, of the paragraph's text) of the first character of each line after the first. The print
 * page sets exactly these breaks; the workbook writer can use them to choose widths at which Excel's
 * own breaking does not split a word (see breaksInsideWords).
 */
export function paragraphLineStarts(p: Paragraph, widthEm: number, options: BreakOptions = {}): number[] {
  const { widths, total } = measure(p);
  const limit = Math.max(1, widthEm * WIDTH_SLACK);
  // A text that fits on its first line has no breaks: its phrases need not be found (they cost most).
  if (widths.length === 0 || total <= limit) return [];
  const rest = options.hanging ? Math.max(1, limit - 1) : limit;
  const ranks = options.breaks === 'characters' ? CHARACTER_RANKS(widths.length) : paragraphRanks(p);
  return breakLines(widths, ranks, limit, rest);
}

/** The line breaks of a plain text at `widthEm` (em of the font): code-point indices where lines 2… start. */
export function textLineStarts(text: string, widthEm: number, options: BreakOptions = {}): number[] {
  return paragraphLineStarts([{ text }], widthEm, options);
}

/**
 * The breaks a box `widthEm` wide gets from breaking anywhere (as Excel does) that fall inside a
 * phrase: empty when the text reads whole at that width. A phrase longer than a line cannot help
 * being broken and is not counted.
 */
export function breaksInsideWords(text: string, widthEm: number): number[] {
  const p = [{ text }];
  const ranks = paragraphRanks(p);
  const widths = paragraphWidths(p);
  const limit = Math.max(1, widthEm * WIDTH_SLACK);
  const phraseWidth = (i: number) => {
    let a = i;
    while (a > 0 && ranks[a]! < 3) a--;
    let w = 0;
    for (let j = a; j < widths.length && (j === a || ranks[j]! < 3); j++) w += widths[j]!;
    return w;
  };
  return paragraphLineStarts(p, widthEm, { breaks: 'characters' }).filter((i) => ranks[i]! < 3 && phraseWidth(i) <= limit);
}

/** Lines one paragraph takes in a box `widthEm` wide (at least one, even when empty). */
export function paragraphLines(p: Paragraph, widthEm: number, options: BreakOptions = {}): number {
  const m = measure(p);
  // One map per way of breaking, keyed by the width itself (a number key: no string made per call).
  const way = (options.breaks === 'characters' ? 1 : 0) + (options.hanging ? 2 : 0);
  m.lines ??= [];
  const known = (m.lines[way] ??= new Map());
  let n = known.get(widthEm);
  if (n === undefined) {
    n = 1 + paragraphLineStarts(p, widthEm, options).length;
    if (known.size >= LINES_REMEMBERED) known.clear();
    known.set(widthEm, n);
  }
  return n;
}

/** Whether a paragraph of this cell hangs under its leading ・ on the print page. */
export function hangsUnderBullet(c: Pick<LayoutCell, 'hangingBullets'>, p: Paragraph): boolean {
  return c.hangingBullets && p.length > 0 && p[0]!.text.startsWith('・');
}

/** How `metrics` breaks a paragraph of a cell with (or without) hanging bullets. */
export function breakOptions(metrics: LineMetrics, hangingBullets: boolean, p: Paragraph): BreakOptions {
  return { breaks: metrics.breaks ?? 'characters', hanging: (metrics.hangingIndent ?? false) && hangsUnderBullet({ hangingBullets }, p) };
}

/**
 * The height in mm a cell's text needs at `fontPt` in a box `widthMm` wide (the cell's inner height
 * plus padding). `hangingBullets`: the cell's paragraphs starting with ・ hang (when `metrics` says).
 */
export function textHeightMm(
  paragraphs: Paragraph[],
  widthMm: number,
  fontPt: number,
  vertical = false,
  metrics: LineMetrics = PRINT_METRICS,
  linesOf: (p: Paragraph, widthEm: number, options: BreakOptions) => number = paragraphLines,
  hangingBullets = false,
): number {
  const emMm = fontPt * POINT_MM;
  const innerWidth = innerWidthMm(widthMm, emMm);
  if (vertical) {
    // 縦書き: one column per paragraph, each character 1 em tall.
    const longest = Math.max(0, ...paragraphs.map((p) => paragraphWidths(p).length));
    return longest * emMm * metrics.verticalAdvance + 2 * CELL_PADDING_Y_MM + BORDER_MM;
  }
  const widthEm = innerWidth / emMm;
  const lines = paragraphs.length === 0 ? 1 : paragraphs.reduce((n, p) => n + linesOf(p, widthEm, breakOptions(metrics, hangingBullets, p)), 0);
  return lines * emMm * metrics.lineHeight + 2 * CELL_PADDING_Y_MM + BORDER_MM;
}

export function cellWidthMm(cell: Pick<LayoutCell, 'col' | 'colSpan'>, columnsMm: number[]): number {
  let w = 0;
  for (let i = cell.col; i < cell.col + cell.colSpan; i++) w += columnsMm[i] ?? 0;
  return w;
}

export function cellHeightMm(cell: LayoutCell, columnsMm: number[], basePt: number, metrics: LineMetrics = PRINT_METRICS): number {
  return textHeightMm(cell.paragraphs, cellWidthMm(cell, columnsMm), basePt * cell.scale, cell.vertical, metrics, paragraphLines, cell.hangingBullets);
}

/** The width (em of the cell's font) that a cell's text is set in: the cell less its padding, as textHeightMm takes it. */
export function cellTextWidthEm(cell: Pick<LayoutCell, 'col' | 'colSpan' | 'scale'>, columnsMm: number[], basePt: number): number {
  const emMm = basePt * cell.scale * POINT_MM;
  return innerWidthMm(cellWidthMm(cell, columnsMm), emMm) / emMm;
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
      if (c.rowSpan === 1) h = Math.max(h, textHeightMm(c.paragraphs, cellWidthMm(c, columnsMm), basePt * c.scale, c.vertical, metrics, paragraphLinesAtLeast, c.hangingBullets));
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
