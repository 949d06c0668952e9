/**
 * How Excel and LibreOffice measure a workbook set in BIZ UDPGothic: the font's own line height
 * (what a cell's wrapped lines are set at, as neither program has line spacing for cells) and the
 * width of its digits (the unit of column widths, taken from the workbook's Normal font).
 *
 * Figures read from BIZUDPGothic-Regular.ttf (Morisawa 1.05, Debian fonts-morisawa-bizud-gothic;
 * the Bold face has the same vertical metrics and digit advances): unitsPerEm 2048; hhea ascender
 * 1802, descender -246, lineGap 0 (OS/2 typo and win figures are the same), so a line is exactly
 * 1.0 em; the digits 0 and 2–9 advance 1556 units (0.76 em, the proportional face's Latin is wide;
 * '1' is 1290), so the "maximum digit width" is 0.76 em. LibreOffice 7.4 sets wrapped lines in a
 * cell 1.0 em apart (measured: 7.09 pt apart at 7.05 pt); Excel on Windows sets them at the font's
 * height rounded to whole pixels.
 */

export const BIZ_UDP_GOTHIC = { unitsPerEm: 2048, ascender: 1802, descender: 246, lineGap: 0, maxDigitAdvance: 1556 } as const;

/** The height of one line of a wrapped cell, in em: the font's ascender + descender + line gap. */
export const EXCEL_LINE_EM = (BIZ_UDP_GOTHIC.ascender + BIZ_UDP_GOTHIC.descender + BIZ_UDP_GOTHIC.lineGap) / BIZ_UDP_GOTHIC.unitsPerEm;

/** The widest digit of the font, in em: what a column width of 1 means at the Normal font's size. */
export const DIGIT_EM = BIZ_UDP_GOTHIC.maxDigitAdvance / BIZ_UDP_GOTHIC.unitsPerEm;

/**
 * The Normal (default) font size of a workbook: its most common body size, in whole points. Whole
 * points keep Excel's digit width (rounded to whole pixels at 96 dpi) within 1.3 % of LibreOffice's
 * (not rounded): 0.76 em × n pt × 4/3 is n × 1.013 px.
 */
export function normalFontPt(bodySizesPt: number[]): number {
  const counts = new Map<number, number>();
  for (const s of bodySizesPt) counts.set(Math.round(s), (counts.get(Math.round(s)) ?? 0) + 1);
  let best = 11;
  let most = 0;
  for (const [size, n] of counts) if (n > most || (n === most && size < best)) [best, most] = [size, n];
  return Math.max(6, best);
}

/**
 * The width of the Normal font's widest digit in mm as LibreOffice takes it: in whole twips (at
 * 9 pt, 0.76 em is 136.8 twips; LibreOffice 7.4 stores columns of 137 twips a digit). Excel takes
 * it in whole pixels at 96 dpi (9 px at 9 pt), so its columns come out up to 1.5 % narrower: they
 * still fit the page, and the rows' spare 0.3 em a line takes the odd extra line.
 */
export function digitWidthMm(normalPt: number): number {
  return (Math.ceil(DIGIT_EM * normalPt * 20) * 25.4) / 1440;
}

/** Taken off every column so that rounding in the reading program cannot make the columns wider than the page. */
const COLUMN_SLACK_MM = 0.05;

/**
 * A column width in digits of the Normal font (what <col width> holds) for a width in mm. The width
 * is rounded down to Excel's 1/256 of a digit, less a little slack, so that the columns never add up
 * to more than the printable width: a sheet printed at 100 % would otherwise push its last column
 * onto a page of its own.
 */
export function columnWidthDigits(mm: number, normalPt: number): number {
  return Math.max(0, Math.floor(((mm - COLUMN_SLACK_MM) / digitWidthMm(normalPt)) * 256) / 256);
}

/** Calibri 11's digit width at 96 dpi: the unit of widths in a workbook left with exceljs's own Normal style. */
const CALIBRI_11_DIGIT_PX = 7;

/**
 * Excel column width (in widths of the digit 0 of the workbook's Normal font) for a width in mm:
 * in digits of BIZ UDPGothic at `normalPt` (the Normal font normal-font.ts writes; the export and
 * the hand-out workbook), or of Calibri 11 when no size is given (a workbook with exceljs's own
 * Normal style, as the benchmark's floor writes).
 */
export function excelColumnWidth(mm: number, normalPt?: number): number {
  if (normalPt !== undefined) return columnWidthDigits(mm, normalPt);
  return Math.round(((mm / 25.4) * 96 / CALIBRI_11_DIGIT_PX) * 100) / 100;
}
