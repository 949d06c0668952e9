import { type LayoutGroup, type LayoutRow, type LayoutSheet, type PaperSize, printableHeightMm } from './model';
import { rowsHeightAtLeastMm, rowsHeightMm, sizeRows, splitTallRows } from './text-measure';

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

function heightAtLeastMm(parts: SheetParts, columnsMm: number[], fontPt: number): number {
  return rowsHeightAtLeastMm(parts.header, columnsMm, fontPt) + parts.body.reduce((h, g) => h + rowsHeightAtLeastMm(g.rows, columnsMm, fontPt), 0) + rowsHeightAtLeastMm(parts.footer, columnsMm, fontPt);
}

export function partsHeightMm(parts: SheetParts): number {
  return rowsHeightMm(parts.header) + parts.body.reduce((h, g) => h + rowsHeightMm(g.rows), 0) + rowsHeightMm(parts.footer);
}

/**
 * The sheet at the largest of `sizes` at which it fits on one page (estimated), or null. The rows
 * are built once and sized at each size (sizing fills heights in place and copies the rows it
 * returns), so that each text is measured once (text-measure.ts) however many sizes are tried.
 */
function tryFit(frame: SheetFrame, parts0: SheetParts, sizes: number[]): LayoutSheet | null {
  const available = printableHeightMm(frame) * FILL_LIMIT;
  for (const size of sizes) {
    // A size that cannot fit even by the lower bound is passed over without laying out every line (a 100× plan tries them all).
    if (heightAtLeastMm(parts0, frame.columnsMm, size) * (1 - 1e-9) > available) continue;
    const parts = sized(parts0, frame.columnsMm, size);
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
  return fitBuilt(frame, build(), maxPt, minPt, flowPt);
}

function fitBuilt(frame: SheetFrame, parts: SheetParts, maxPt: number, minPt = MIN_FONT_PT, flowPt = minPt): LayoutSheet {
  const sizes = FONT_SIZES_PT.filter((s) => s <= maxPt && s >= minPt);
  return tryFit(frame, parts, sizes) ?? { ...frame, fontSizePt: flowPt, ...sized(parts, frame.columnsMm, flowPt) };
}

export interface PaperChoice {
  paper: PaperSize;
  /** The smallest font size acceptable on this paper before trying the next. */
  minPt: number;
}

/** Like fitSheet, trying each paper in turn (A4 where it fits, A3 where A4 does not). */
export function fitSheetOnPaper(choices: PaperChoice[], frameOf: (paper: PaperSize) => SheetFrame, build: () => SheetParts, maxPt = FONT_SIZES_PT[0]!): LayoutSheet {
  const parts = build();
  for (const choice of choices) {
    const fitted = tryFit(frameOf(choice.paper), parts, FONT_SIZES_PT.filter((s) => s <= maxPt && s >= choice.minPt));
    if (fitted) return fitted;
  }
  const last = choices[choices.length - 1]!;
  return fitBuilt(frameOf(last.paper), parts, maxPt);
}
