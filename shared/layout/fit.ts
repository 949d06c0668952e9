import { type LayoutGroup, type LayoutRow, type LayoutSheet, type PaperSize, printableHeightMm } from './model';
import { rowsHeightMm, sizeRows, splitTallRows } from './text-measure';

/** Font sizes tried, largest first: the documents shrink text to keep each page on one sheet. */
export const FONT_SIZES_PT = [10, 9.5, 9, 8.5, 8, 7.5, 7, 6.5, 6];
/** Below this a page rather continues on a second sheet (with its header repeated) than shrinks further. */
export const MIN_FONT_PT = 6;
/** What the estimate may be off by: a page is filled to this share of its height at most. */
const FILL_LIMIT = 0.96;

export interface SheetParts {
  header: LayoutRow[];
  body: LayoutGroup[];
  footer: LayoutRow[];
}

export type SheetFrame = Omit<LayoutSheet, 'fontSizePt' | 'header' | 'body' | 'footer'>;

function sized(parts: SheetParts, columnsMm: number[], fontPt: number): SheetParts {
  return {
    header: splitTallRows(sizeRows(parts.header, columnsMm, fontPt)),
    body: parts.body.map((g) => ({ rows: splitTallRows(sizeRows(g.rows, columnsMm, fontPt)) })),
    footer: splitTallRows(sizeRows(parts.footer, columnsMm, fontPt)),
  };
}

export function partsHeightMm(parts: SheetParts): number {
  return rowsHeightMm(parts.header) + parts.body.reduce((h, g) => h + rowsHeightMm(g.rows), 0) + rowsHeightMm(parts.footer);
}

/** The sheet at the largest of `sizes` at which it fits on one page (estimated), or null. */
function tryFit(frame: SheetFrame, build: () => SheetParts, sizes: number[]): LayoutSheet | null {
  const available = printableHeightMm(frame) * FILL_LIMIT;
  for (const size of sizes) {
    const parts = sized(build(), frame.columnsMm, size);
    if (partsHeightMm(parts) <= available) return { ...frame, fontSizePt: size, ...parts };
  }
  return null;
}

/**
 * Builds the sheet at the largest font size at which it fits on one page (estimated), down to
 * `minPt`; a sheet that still does not fit is set at `flowPt` and continues on further pages.
 * `build` makes fresh rows (heights are filled in here).
 */
export function fitSheet(frame: SheetFrame, build: () => SheetParts, maxPt = FONT_SIZES_PT[0]!, minPt = MIN_FONT_PT, flowPt = minPt): LayoutSheet {
  const sizes = FONT_SIZES_PT.filter((s) => s <= maxPt && s >= minPt);
  return tryFit(frame, build, sizes) ?? { ...frame, fontSizePt: flowPt, ...sized(build(), frame.columnsMm, flowPt) };
}

export interface PaperChoice {
  paper: PaperSize;
  /** The smallest font size acceptable on this paper before trying the next. */
  minPt: number;
}

/** Like fitSheet, trying each paper in turn (A4 where it fits, A3 where A4 does not). */
export function fitSheetOnPaper(choices: PaperChoice[], frameOf: (paper: PaperSize) => SheetFrame, build: () => SheetParts, maxPt = FONT_SIZES_PT[0]!): LayoutSheet {
  for (const choice of choices) {
    const fitted = tryFit(frameOf(choice.paper), build, FONT_SIZES_PT.filter((s) => s <= maxPt && s >= choice.minPt));
    if (fitted) return fitted;
  }
  const last = choices[choices.length - 1]!;
  return fitSheet(frameOf(last.paper), build, maxPt);
}
