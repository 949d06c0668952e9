import { type LayoutGroup, type LayoutRow, type LayoutSheet, type PaperSize, printableHeightMm, type SheetPage } from './model';
import { rowsHeightAtLeastMm, rowsHeightMm, sizeRows, splitTallRows } from './text-measure';

/**
 * Choosing each sheet's font size (and, where allowed, its column widths) from the estimated height
 * of its text (text-measure.ts), and where a sheet must run over several pages, which groups go on
 * which page. The estimate is calibrated against Chromium's own layout of every sheet of the seed
 * plan (tests/unit/print-fit-calibration.test.ts): it is within ESTIMATE_TOLERANCE of the measured
 * height both ways, so a page is filled up to what that tolerance leaves.
 */

/** Font sizes tried, largest first: the documents shrink text to keep each page on one sheet. */
export const FONT_SIZES_PT = [10, 9.5, 9, 8.5, 8, 7.5, 7, 6.5, 6];
/** Body text is not set smaller than this on A4 where it can be avoided: below it a page flows onto a second sheet. */
export const READABLE_PT = 8;
/** The smallest size a layout may ask for. */
export const MIN_FONT_PT = 6;
/** How far the estimated height of a sheet may be from Chromium's (either way); the calibration test asserts it. */
export const ESTIMATE_TOLERANCE = 0.03;
/** A page is filled to this share of its height at most: an estimate that is short by the tolerance still fits. */
export const FILL_LIMIT = 1 / (1 + ESTIMATE_TOLERANCE);

/** The space between two sheets printed on one page (LayoutSheet.continuesPage). */
export const SHEET_GAP_MM = 6;

/**
 * Marks each sheet that fits below the last page of the sheet before it (same paper and margins) as
 * continuing that page. `refit` may offer the sheet again on another paper (a small table made for
 * A4 can go below an A3 one); it is used where it fits.
 */
export function shareShortSheets(sheets: LayoutSheet[], refit: (index: number, paper: PaperSize) => LayoutSheet | null = () => null): LayoutSheet[] {
  const out: LayoutSheet[] = [];
  let used = 0;
  for (let i = 0; i < sheets.length; i++) {
    const prev = out[out.length - 1];
    let sheet = sheets[i]!;
    if (prev) {
      const room = printableHeightMm(prev) * FILL_LIMIT - used - SHEET_GAP_MM;
      const samePage = (s: LayoutSheet) => s.paper === prev.paper && s.orientation === prev.orientation && JSON.stringify(s.marginsMm) === JSON.stringify(prev.marginsMm);
      const height = (s: LayoutSheet) => (s.pages?.length === 1 ? s.pages[0]!.heightMm : Infinity);
      if (!samePage(sheet)) {
        const other = refit(i, prev.paper);
        if (other && samePage(other) && height(other) <= room) sheet = other;
      }
      if (samePage(sheet) && height(sheet) <= room) {
        out.push({ ...sheet, continuesPage: true });
        used += SHEET_GAP_MM + height(sheet);
        continue;
      }
    }
    out.push(sheet);
    used = sheet.pages?.[sheet.pages.length - 1]?.heightMm ?? Infinity;
  }
  return out;
}

export interface SheetParts {
  header: LayoutRow[];
  body: LayoutGroup[];
  footer: LayoutRow[];
}

export type SheetFrame = Omit<LayoutSheet, 'fontSizePt' | 'header' | 'body' | 'footer' | 'pages'>;

/**
 * How far each column may move from the frame's width (mm) when the widths follow the content: a
 * column gives room to another where that lowers the sheet's height. Equal bounds fix a column.
 */
export interface ColumnRange {
  min: number;
  max: number;
}

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

/** The estimated height (mm) of the parts at a size and widths (sizes the rows in place). */
function heightMm(parts: SheetParts, columnsMm: number[], fontPt: number): number {
  const rows = (r: LayoutRow[]) => rowsHeightMm(sizeRows(r, columnsMm, fontPt));
  return rows(parts.header) + parts.body.reduce((h, g) => h + rows(g.rows), 0) + rows(parts.footer);
}

/**
 * Column widths that lower the sheet's height at `fontPt`: moves room from one column to another in
 * steps of 8, 4, 2 and 1 mm while that makes the sheet shorter, within each column's range. The
 * widths thus follow the text of each column (a column of short texts gives room to a column of
 * long ones) and stay sums of whole millimetres moved, so the result is the same on every run.
 */
/** The widths follow at most this many body groups (the first ones): a long sheet's widths are found on a sample of it, at a bounded cost. */
const WIDTH_SAMPLE_GROUPS = 40;
/** Widths that follow the content gain a sheet this share of its height at most; a size further off is not tried with them. */
const WIDTH_GAIN = 0.3;

export function columnsForContent(parts0: SheetParts, start: number[], ranges: ColumnRange[], fontPt: number): number[] {
  const parts = parts0.body.length > WIDTH_SAMPLE_GROUPS ? { ...parts0, body: parts0.body.slice(0, WIDTH_SAMPLE_GROUPS) } : parts0;
  // From the frame's widths and from widths in proportion to each column's text: the search only
  // moves downhill, so two starts find a lower sheet more often than one.
  const a = descend(parts, start, ranges, fontPt);
  const b = descend(parts, textShareWidths(parts, start, ranges), ranges, fontPt);
  return (b.height < a.height - 0.05 ? b : a).cols.map((w) => Math.round(w * 100) / 100);
}

/** Widths in proportion to the width of the text of each column (cells of one column), in whole mm within the ranges. */
function textShareWidths(parts: SheetParts, start: number[], ranges: ColumnRange[]): number[] {
  const total = start.reduce((x, y) => x + y, 0);
  const text = start.map(() => 0);
  for (const g of parts.body) for (const r of g.rows) for (const c of r.cells) if (c.colSpan === 1 && !c.vertical) text[c.col]! += c.paragraphs.reduce((n, p) => n + p.reduce((m, run) => m + run.text.length, 0) + 4, 0);
  const free = ranges.map((r) => r.min < r.max);
  const fixed = start.reduce((x, w, i) => x + (free[i] ? 0 : w), 0);
  const sum = text.reduce((x, t, i) => x + (free[i] ? t : 0), 0) || 1;
  const cols = start.map((w, i) => (free[i] ? Math.min(ranges[i]!.max, Math.max(ranges[i]!.min, Math.round(((total - fixed) * text[i]!) / sum))) : w));
  // Whatever rounding and clamping left over goes to (or comes from) the widest free column.
  const widest = cols.reduce((best, w, i) => (free[i] && w > cols[best]! ? i : best), free.indexOf(true));
  if (widest >= 0) cols[widest]! += total - cols.reduce((x, y) => x + y, 0);
  return cols;
}

function descend(parts: SheetParts, start: number[], ranges: ColumnRange[], fontPt: number): { cols: number[]; height: number } {
  const cols = [...start];
  let best = heightMm(parts, cols, fontPt);
  const n = cols.length;
  for (const step of [5, 1]) {
    for (let round = 0; round < 40; round++) {
      let moved = false;
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          if (a === b || cols[a]! - step < ranges[a]!.min - 1e-9 || cols[b]! + step > ranges[b]!.max + 1e-9) continue;
          cols[a]! -= step;
          cols[b]! += step;
          const h = heightMm(parts, cols, fontPt);
          if (h < best - 0.05) {
            best = h;
            moved = true;
          } else {
            cols[a]! += step;
            cols[b]! -= step;
          }
        }
      if (!moved) break;
    }
  }
  return { cols, height: best };
}

/**
 * Which body groups go on which physical page: as many as fit under the header (and the footer,
 * which Chromium repeats on every page as it does the header), a group that does not fit the rest of
 * a page starting the next. Pages of a sheet with a mark are marked ⑦-1, ⑦-2, … (one page keeps ⑦).
 */
export function paginate(frame: SheetFrame, parts: SheetParts): SheetPage[] {
  const available = printableHeightMm(frame) * FILL_LIMIT;
  const frameMm = rowsHeightMm(parts.header) + rowsHeightMm(parts.footer);
  const pages: { firstGroup: number; groupCount: number; heightMm: number }[] = [];
  parts.body.forEach((g, i) => {
    const h = rowsHeightMm(g.rows);
    const last = pages[pages.length - 1];
    if (last && last.heightMm + h <= available) {
      last.groupCount++;
      last.heightMm += h;
    } else pages.push({ firstGroup: i, groupCount: 1, heightMm: frameMm + h });
  });
  if (pages.length === 0) pages.push({ firstGroup: 0, groupCount: 0, heightMm: frameMm });
  return pages.map((p, i) => ({ ...p, heightMm: Math.round(p.heightMm * 100) / 100, mark: frame.pageMark && pages.length > 1 ? `${frame.pageMark}-${i + 1}` : frame.pageMark }));
}

function finish(frame: SheetFrame, fontSizePt: number, parts: SheetParts): LayoutSheet {
  return { ...frame, fontSizePt, ...parts, pages: paginate(frame, parts) };
}

/**
 * The sheet at the largest of `sizes` at which it fits on one page (estimated), or null: first at
 * the frame's widths, then (with `ranges`) at widths that follow the content. The rows are built
 * once and sized at each size (sizing fills heights in place and copies the rows it returns), so
 * that each text is measured once (text-measure.ts) however many sizes are tried.
 */
function tryFit(frame: SheetFrame, parts0: SheetParts, sizes: number[], ranges?: ColumnRange[]): LayoutSheet | null {
  const available = printableHeightMm(frame) * FILL_LIMIT;
  for (const size of sizes) {
    // A size that cannot fit even by the lower bound is passed over without laying out every line (a 100× plan tries them all).
    if (heightAtLeastMm(parts0, frame.columnsMm, size) * (1 - 1e-9) <= available) {
      const parts = sized(parts0, frame.columnsMm, size);
      if (partsHeightMm(parts) <= available) return finish(frame, size, parts);
    }
    if (ranges && heightAtLeastMm(parts0, frame.columnsMm, size) * (1 - WIDTH_GAIN) <= available) {
      const columnsMm = columnsForContent(parts0, frame.columnsMm, ranges, size);
      const parts = sized(parts0, columnsMm, size);
      if (partsHeightMm(parts) <= available) return finish({ ...frame, columnsMm }, size, parts);
    }
  }
  return null;
}

export interface FitOptions {
  /** The largest size tried. */
  maxPt?: number;
  /** The smallest size at which the sheet is kept on one page. */
  minPt?: number;
  /** The size a sheet that fits on no page at minPt is set at, running over several pages. */
  flowPt?: number;
  /** Lets the column widths follow the content, each within its range (see columnsForContent). */
  columns?: ColumnRange[];
}

/**
 * Builds the sheet at the largest font size at which it fits on one page (estimated), down to
 * `minPt`; a sheet that still does not fit is set at `flowPt` and continues on further pages (its
 * `pages`). `build` makes fresh rows (heights are filled in here).
 */
export function fitSheet(frame: SheetFrame, build: () => SheetParts, options: FitOptions = {}): LayoutSheet {
  return fitBuilt(frame, build(), options);
}

function fitBuilt(frame: SheetFrame, parts: SheetParts, options: FitOptions): LayoutSheet {
  const { maxPt = FONT_SIZES_PT[0]!, minPt = MIN_FONT_PT, flowPt = minPt, columns } = options;
  const sizes = FONT_SIZES_PT.filter((s) => s <= maxPt && s >= minPt);
  const fitted = tryFit(frame, parts, sizes, columns);
  if (fitted) return fitted;
  // Flowing: the widths that make the sheet shortest at the flowing size, so it takes the fewest pages.
  const columnsMm = columns ? columnsForContent(parts, frame.columnsMm, columns, flowPt) : frame.columnsMm;
  return finish({ ...frame, columnsMm }, flowPt, sized(parts, columnsMm, flowPt));
}

export interface PaperChoice {
  paper: PaperSize;
  /** The smallest font size acceptable on this paper before trying the next. */
  minPt: number;
}

/** Like fitSheet, trying each paper in turn (A4 where it fits, A3 where A4 does not); the last paper flows at `flowPt`. */
export function fitSheetOnPaper(choices: PaperChoice[], frameOf: (paper: PaperSize) => SheetFrame, build: () => SheetParts, maxPt = FONT_SIZES_PT[0]!, flowPt?: number): LayoutSheet {
  const parts = build();
  for (const choice of choices) {
    const fitted = tryFit(frameOf(choice.paper), parts, FONT_SIZES_PT.filter((s) => s <= maxPt && s >= choice.minPt));
    if (fitted) return fitted;
  }
  const last = choices[choices.length - 1]!;
  return fitBuilt(frameOf(last.paper), parts, { maxPt, minPt: last.minPt, flowPt: flowPt ?? last.minPt });
}
