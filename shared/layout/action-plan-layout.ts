import { branchFocusByUnit, type DocumentActionRow, type PlanDocumentData } from './document-data';
import { type ColumnRange, fitSheet, READABLE_PT, type SheetFrame, type SheetParts } from './fit';
import { actionPlanLabels, circledNumber, EMPTY_YEAR_MARK, safeFileName, safeSheetName, type YearContext } from './labels';
import { cell, emphasisParagraphs, type LayoutCell, type LayoutDocument, type LayoutGroup, type LayoutRow, type LayoutSheet, type Margins, textParagraphs } from './model';

/**
 * Layout A: 中期事業計画・YYYY年度事業活動計画 アクションプラン. Pages ①–⑥ are the action-plan table
 * (band | 中期事業計画 | 到達目標・３年間 | YYYY年度 | 主な担当) in the database's page and row order;
 * page ⑦ is the table of the 23 branches. The unit layout is the same restricted to one unit.
 *
 * Every page's table starts at the left margin: the band column (7 mm) is drawn on every page, as
 * an empty bordered cell beside rows without a band label and above the band labels in the header.
 * (Pages without a band label left that column blank and borderless, so their table started 7 mm
 * further right than the pages with one.) An empty year cell prints 「（未記入）」.
 */

export const HEADER_FILL = '#e4e9f0';
export const HEADING_FILL = '#f3f5f8';

const A4_MARGINS: Margins = { top: 10, right: 10, bottom: 11, left: 10 };
/** band | theme | 到達目標 | 年度 | 主な担当 — 277 mm, the printable width of A4 landscape. */
const PLAN_COLUMNS_MM = [7, 57, 80, 99, 34];
/**
 * How far the widths may follow the content (fit.ts columnsForContent): a column of short texts
 * gives room to one of long texts, within these bounds (mm), so no column runs mostly blank while
 * another wraps every line. The band column keeps its width (the label is set vertically).
 */
const PLAN_COLUMN_RANGES: ColumnRange[] = [
  { min: 7, max: 7 },
  { min: 36, max: 75 },
  { min: 50, max: 120 },
  { min: 65, max: 160 },
  { min: 26, max: 50 },
];
/** 支部名 | ３年間の重点取組内容 | 年度のアクションプラン */
const BRANCH_COLUMNS_MM = [22, 110, 145];
const BRANCH_COLUMN_RANGES: ColumnRange[] = [
  { min: 18, max: 26 },
  { min: 60, max: 160 },
  { min: 90, max: 195 },
];

export interface ActionPlanOptions {
  fiscalYear: number;
  /** Restrict to one unit (the unit layout). */
  unitId?: string;
}

const frame = (name: string, columnsMm: number[], pageMark: string | null): SheetFrame => ({
  name: safeSheetName(name),
  paper: 'A4',
  orientation: 'landscape',
  marginsMm: A4_MARGINS,
  columnsMm,
  pageMark,
});

function titleRow(title: string, mark: string | null, columns: number): LayoutRow {
  return {
    heightPt: 0,
    cells: [
      cell(0, title ? [[{ text: title }]] : [], { colSpan: columns - 1, role: 'title', scale: 1.45, bold: true, border: false, valign: 'bottom' }),
      cell(columns - 1, mark ? [[{ text: mark }]] : [], { role: 'pageMark', scale: 2, align: 'right', valign: 'bottom', border: false }),
    ],
  };
}

const header = (col: number, text: string, options: Partial<LayoutCell> = {}) =>
  cell(col, textParagraphs(text), { role: 'columnHeader', bold: true, align: 'center', valign: 'middle', fill: HEADER_FILL, ...options });

function planHeaderRows(labels: ReturnType<typeof actionPlanLabels>, title: string, mark: string | null): LayoutRow[] {
  return [
    titleRow(title, mark, PLAN_COLUMNS_MM.length),
    {
      heightPt: 0,
      cells: [
        // The band column's header: empty, drawn like the others so that the table's edge runs straight.
        cell(0, [], { rowSpan: 2, role: 'blank', fill: HEADER_FILL }),
        header(1, labels.themeHeader, { rowSpan: 2 }),
        header(2, labels.actionPlanHeader, { colSpan: 2 }),
        header(4, labels.unitsHeader, { rowSpan: 2 }),
      ],
    },
    { heightPt: 0, cells: [header(2, labels.termHeader, { scale: 0.95 }), header(3, labels.yearHeader, { scale: 0.95 })] },
  ];
}

/** The grid rows of one action row, without the band column: one row per theme; the other cells span them. */
function actionRowRows(row: DocumentActionRow, fiscalYear: number, unitNames: Map<string, string>, heading: string | null): LayoutRow[] {
  const themes = row.themes.length > 0 ? row.themes : [{ id: '', text: '' }];
  const n = themes.length;
  return themes.map((t, i) => {
    const paragraphs = [...(i === 0 && heading ? [[{ text: heading, bold: true }]] : []), ...(t.text ? [[{ text: `・${t.text}` }]] : [])];
    const themeCell = cell(1, paragraphs, { role: i === 0 && heading ? 'groupHeading' : 'theme', hangingBullets: true });
    if (i > 0) return { heightPt: 0, cells: [themeCell] };
    return {
      heightPt: 0,
      cells: [
        themeCell,
        cell(2, textParagraphs(row.termPlan), { rowSpan: n, hangingBullets: true }),
        cell(3, textParagraphs(yearText(row.yearPlans[String(fiscalYear)])), { rowSpan: n, hangingBullets: true }),
        cell(4, textParagraphs(row.unitIds.map((id) => unitNames.get(id) ?? '').join('\n')), { rowSpan: n, role: 'units' }),
      ],
    };
  });
}

/** A year's plan text as printed: an empty one is marked, so that the reader sees it is not written yet. */
const yearText = (text: string | null | undefined) => (text?.trim() ? text : EMPTY_YEAR_MARK);

/** Whether a year's plan text is empty (printed as 「（未記入）」). */
export const isEmptyYear = (text: string | null | undefined) => !text?.trim();

interface PlacedRow {
  row: DocumentActionRow;
  /** The group heading printed above the row's themes. */
  heading: string | null;
}

/**
 * Body groups of one page: rows side by side under the same band label (a principle) form one
 * group with one vertical label cell; every other row is a group of its own.
 */
function pageGroups(placed: PlacedRow[], fiscalYear: number, unitNames: Map<string, string>, bandNames: Map<string, string>): LayoutGroup[] {
  const clusters: PlacedRow[][] = [];
  for (const p of placed) {
    const last = clusters[clusters.length - 1];
    if (last && p.row.bandPillarId && last[0]!.row.bandPillarId === p.row.bandPillarId) last.push(p);
    else clusters.push([p]);
  }
  return clusters.map((cluster) => {
    const rows = cluster.flatMap((p) => actionRowRows(p.row, fiscalYear, unitNames, p.heading));
    const band = cluster[0]!.row.bandPillarId;
    const label = band ? (bandNames.get(band) ?? '') : '';
    rows[0]!.cells.unshift(
      band
        ? cell(0, textParagraphs(label), { rowSpan: rows.length, role: 'band', vertical: true, align: 'center', valign: 'middle', bold: true, fill: HEADING_FILL, scale: 0.95 })
        : // Bordered though empty: the table keeps one left edge on every page (see the top of this file).
          cell(0, [], { rowSpan: rows.length, role: 'blank' }),
    );
    return { rows };
  });
}

/** The rows a unit is responsible for; a branch also answers for the rows of 「23支部」 (every branch). */
export function rowsOfUnit(data: PlanDocumentData, unitId: string): DocumentActionRow[] {
  const unit = data.units.find((u) => u.id === unitId);
  const collective = unit?.kind === 'branch' ? data.units.filter((u) => u.kind === 'group' && /^\d+支部$|^[０-９]+支部$/.test(u.name)).map((u) => u.id) : [];
  const ids = new Set([unitId, ...collective]);
  return data.actionRows.filter((r) => r.unitIds.some((id) => ids.has(id)));
}

/** Branch rows of page ⑦: every branch (or one) with its 3-year focus and the year's focus. */
function branchRows(data: PlanDocumentData, fiscalYear: number, unitId: string | undefined) {
  const branches = data.units.filter((u) => u.kind === 'branch');
  const term = branchFocusByUnit(data, 'term');
  const year = branchFocusByUnit(data, String(fiscalYear));
  const focusOf = (id: string, period: string) => (period === 'term' ? term : year).get(id) ?? null;
  const unit = unitId ? data.units.find((u) => u.id === unitId) : undefined;
  const showAll = !unitId || (unit?.kind === 'group' && /支部$/.test(unit.name));
  return branches
    .filter((b) => showAll || b.id === unitId)
    .map((b) => ({ name: b.shortName ?? b.name, term: focusOf(b.id, 'term'), year: focusOf(b.id, String(fiscalYear)) }))
    .filter((b) => b.term !== null || b.year !== null);
}

export function buildActionPlanLayout(data: PlanDocumentData, options: ActionPlanOptions): LayoutDocument {
  const { fiscalYear, unitId } = options;
  const y: YearContext = { fiscalYear, startYear: data.plan.startYear, endYear: data.plan.endYear, planTitle: data.plan.title };
  const labels = actionPlanLabels(y);
  const unit = unitId ? data.units.find((u) => u.id === unitId) : undefined;
  const title = unit ? `${labels.title}（${unit.name}）` : labels.title;
  const unitNames = new Map(data.units.map((u) => [u.id, u.name]));
  const bandNames = new Map(data.pillars.map((p) => [p.id, p.name]));

  const rows = unitId ? rowsOfUnit(data, unitId) : data.actionRows;
  // A group heading stands above the first row of its group; a unit's excerpt repeats it above the
  // first row it shows of that group, so that every row keeps its heading.
  const headingOf = new Map<string, string | null>();
  let current: string | null = null;
  for (const r of data.actionRows) {
    if (r.heading) current = r.heading;
    headingOf.set(r.id, current);
  }
  const pages = [...new Set(rows.map((r) => r.page))].sort((a, b) => a - b);
  const sheets: LayoutSheet[] = [];
  let lastGroup: string | null = null;
  const placedOn = pages.map((page) =>
    rows
      .filter((r) => r.page === page)
      .map((r): PlacedRow => {
        const group = headingOf.get(r.id) ?? null;
        const heading = r.heading ?? (unitId && group !== lastGroup ? group : null);
        lastGroup = group;
        return { row: r, heading };
      }),
  );
  if (!unitId)
    pages.forEach((page, i) => {
      const mark = circledNumber(page);
      const build = (): SheetParts => ({
        header: planHeaderRows(labels, i === 0 ? title : '', mark),
        body: pageGroups(placedOn[i]!, fiscalYear, unitNames, bandNames),
        footer: [],
      });
      sheets.push(fitSheet(frame(`アクションプラン${mark}`, PLAN_COLUMNS_MM, mark), build, { maxPt: 9, minPt: READABLE_PT, columns: PLAN_COLUMN_RANGES }));
    });
  else if (rows.length > 0) {
    // A unit's excerpt runs its rows on one after the other (the document's pages would leave most
    // sheets nearly empty), at a readable size, over as many pages as it needs.
    const build = (): SheetParts => ({
      header: planHeaderRows(labels, title, null),
      body: placedOn.flatMap((placed) => pageGroups(placed, fiscalYear, unitNames, bandNames)),
      footer: [],
    });
    sheets.push(fitSheet(frame('アクションプラン', PLAN_COLUMNS_MM, null), build, { maxPt: 9, minPt: READABLE_PT, columns: PLAN_COLUMN_RANGES }));
  }

  const branches = branchRows(data, fiscalYear, unitId);
  if (branches.length > 0) {
    const branchPage = Math.max(0, ...data.actionRows.map((r) => r.page)) + 1;
    const mark = unitId ? null : circledNumber(branchPage);
    const allBranches = data.units.filter((u) => u.kind === 'branch').length;
    const build = (): SheetParts => ({
      header: [
        titleRow(labels.branchesTitle(allBranches), mark, BRANCH_COLUMNS_MM.length),
        {
          heightPt: 0,
          cells: [
            cell(0, [[{ text: data.plan.commonGoalTitle, bold: true }, { text: ` ${data.commonGoals.join(' ／ ')}` }]], {
              colSpan: 3,
              role: 'note',
              border: false,
              scale: 1.1,
              valign: 'middle',
            }),
          ],
        },
        {
          heightPt: 0,
          cells: [header(0, labels.branchNameHeader), header(1, labels.branchTermHeader), header(2, labels.branchYearHeader)],
        },
      ],
      body: branches.map((b) => ({
        rows: [
          {
            heightPt: 0,
            cells: [
              cell(0, textParagraphs(b.name), { role: 'label', align: 'center', valign: 'middle', bold: true, fill: HEADING_FILL }),
              cell(1, emphasisParagraphs(b.term ?? ''), { valign: 'middle' }),
              cell(2, emphasisParagraphs(yearText(b.year)), { valign: 'middle' }),
            ],
          },
        ],
      })),
      footer: [{ heightPt: 0, cells: [cell(0, textParagraphs(data.plan.periodLabel), { colSpan: 3, role: 'footer', align: 'right', valign: 'bottom', border: false, scale: 1.1 })] }],
    });
    sheets.push(fitSheet(frame(`23支部${mark ?? ''}`, BRANCH_COLUMNS_MM, mark), build, { maxPt: 10, minPt: READABLE_PT, columns: BRANCH_COLUMN_RANGES }));
  }

  const base = `${data.plan.title}_${fiscalYear}年度事業活動計画_アクションプラン${unit ? `_${unit.name}` : ''}`;
  // One page counter: the document numbers its pages ①…⑦ at the top; 「1 / 7」 in the bottom margin
  // would be a second. A unit's excerpt has no marks and keeps the counter.
  return { kind: unitId ? 'unit' : 'action-plan', title, fileBaseName: safeFileName(base), sheets, pageNumbers: !!unitId };
}

/** How many table rows (and branch rows of page ⑦) the layout prints with an empty year cell: the export dialog warns of them. */
export function emptyYearCounts(data: PlanDocumentData, options: ActionPlanOptions): { rows: number; branches: number } {
  const rows = options.unitId ? rowsOfUnit(data, options.unitId) : data.actionRows;
  return {
    rows: rows.filter((r) => isEmptyYear(r.yearPlans[String(options.fiscalYear)])).length,
    branches: branchRows(data, options.fiscalYear, options.unitId).filter((b) => isEmptyYear(b.year)).length,
  };
}
