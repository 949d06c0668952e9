import { excelNumberFormat, formatCell, type RollupTable } from '../rollup/table';
import { HEADER_FILL, HEADING_FILL } from './action-plan-layout';
import { fitSheetOnPaper, type PaperChoice, READABLE_PT, shareShortSheets, type SheetFrame, type SheetParts } from './fit';
import { JA_SPACE, safeFileName, safeSheetName } from './labels';
import { cell, type LayoutCell, type LayoutDocument, type LayoutRow, type Margins, type PaperSize, printableWidthMm, textParagraphs } from './model';

/**
 * The rollup (進捗・集計) as sheets: one per table of shared/rollup (目標別, 組織別, 柱・指針別, 年度別),
 * with its two header rows (column groups merged above their columns), one row per line, and the
 * table's notes under it. Figures stay numbers in Excel (with the table's number formats).
 */

const MARGINS: Margins = { top: 10, right: 10, bottom: 11, left: 10 };
const PAPERS: PaperChoice[] = [
  { paper: 'A4', minPt: READABLE_PT },
  { paper: 'A3', minPt: READABLE_PT },
];
/** Roughly the mm one character of the table's width hint takes at 8 pt. */
const MM_PER_WIDTH_CHAR = 1.9;

const row = (cells: LayoutCell[]): LayoutRow => ({ heightPt: 0, cells });

function headerRows(table: RollupTable): LayoutRow[] {
  const n = table.columns.length;
  const title = row([cell(0, [[{ text: table.title, bold: true }, { text: `${JA_SPACE}${table.subtitle}` }]], { colSpan: n, role: 'title', scale: 1.35, border: false, valign: 'bottom' })]);
  const hasGroups = table.columns.some((c) => c.group);
  if (!hasGroups) return [title, row(table.columns.map((c, i) => header(i, c.header)))];
  const top: LayoutCell[] = [];
  const bottom: LayoutCell[] = [];
  for (let i = 0; i < n; ) {
    const group = table.columns[i]!.group;
    if (!group) {
      top.push(header(i, table.columns[i]!.header, { rowSpan: 2 }));
      i++;
      continue;
    }
    let j = i;
    while (j < n && table.columns[j]!.group === group) {
      bottom.push(header(j, table.columns[j]!.header));
      j++;
    }
    top.push(header(i, group, { colSpan: j - i }));
    i = j;
  }
  return [title, row(top), row(bottom)];
}

const header = (col: number, text: string, options: Partial<LayoutCell> = {}) =>
  cell(col, textParagraphs(text), { role: 'columnHeader', bold: true, align: 'center', valign: 'middle', fill: HEADER_FILL, ...options });

function tableSheet(table: RollupTable, only?: PaperSize) {
  const totalChars = table.columns.reduce((a, c) => a + c.width, 0);
  const frameOf = (paper: PaperSize): SheetFrame => {
    const width = printableWidthMm({ paper, orientation: 'landscape', marginsMm: MARGINS });
    const mm = table.columns.map((c) => Math.floor(((c.width / totalChars) * width) * 100) / 100);
    mm[mm.length - 1]! += Math.round((width - mm.reduce((a, b) => a + b, 0)) * 100) / 100;
    return { name: safeSheetName(table.title.replace(/^進捗・集計\s*/, '集計 ')), paper, orientation: 'landscape', marginsMm: MARGINS, columnsMm: mm, pageMark: null };
  };
  // A table too wide for A4 at a readable size goes on A3.
  const papers = only ? PAPERS.filter((p) => p.paper === only) : totalChars * MM_PER_WIDTH_CHAR > printableWidthMm({ paper: 'A4', orientation: 'landscape', marginsMm: MARGINS }) ? PAPERS.slice(1) : PAPERS;
  const build = (): SheetParts => ({
    header: headerRows(table),
    body: table.rows.map((r) => ({
      rows: [
        row(
          table.columns.map((c, i) => {
            const v = r.cells[c.key];
            const format = typeof v === 'number' ? excelNumberFormat(c, r) : null;
            const numeric = c.type !== 'text' && c.type !== 'badge';
            return cell(i, textParagraphs(formatCell(c, r)), {
              align: numeric ? 'right' : 'left',
              valign: 'middle',
              ...(c.type === 'badge' ? { align: 'center' as const, fill: HEADING_FILL } : {}),
              ...(format !== null && typeof v === 'number' ? { excelNumber: { value: v, format } } : {}),
            });
          }),
        ),
      ],
    })),
    footer: table.notes.map((note) => row([cell(0, textParagraphs(`※ ${note}`), { colSpan: table.columns.length, role: 'footer', border: false, scale: 0.9 })])),
  });
  return fitSheetOnPaper(papers, frameOf, build, 9);
}

export function buildRollupLayout(tables: RollupTable[], scope: string): LayoutDocument {
  const title = `進捗・集計（${scope}）`;
  return { kind: 'rollup', title, fileBaseName: safeFileName(`進捗集計_${scope}`), sheets: shareShortSheets(tables.map((t) => tableSheet(t)), (i, paper) => tableSheet(tables[i]!, paper)), pageNumbers: true };
}
