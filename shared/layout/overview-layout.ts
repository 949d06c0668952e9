import { HEADER_FILL, HEADING_FILL } from './action-plan-layout';
import { branchFocusByUnit, type DocumentOverviewSection, type PlanDocumentData } from './document-data';
import { fitSheetOnPaper, type PaperChoice, type SheetFrame, type SheetParts } from './fit';
import { circledNumber, JA_SPACE, overviewLabels, safeFileName, safeSheetName } from './labels';
import { cell, emphasisParagraphs, type LayoutCell, type LayoutDocument, type LayoutGroup, type LayoutRow, type LayoutSheet, type Margins, type PaperSize, printableWidthMm, type Run, textParagraphs } from './model';
import { withoutEmphasis } from '../text/emphasis';

/**
 * Layout B: YYYY年度 事業活動計画 (the overview): slogan, missions, vision and the 10 challenges;
 * the year's sections (its special response, the initiatives under 【政策要望・地域振興】【経営支援】
 * 【事業・会員サービス】 with 新 marked, the pillars and principles); the financial plan; the table of
 * 部会・委員会・女性会・青年部; the blocks of the 23 branches and the joint projects. Each part is a
 * sheet, on A4 landscape where it fits at a readable size and on A3 landscape where it does not.
 */

const MARGINS: Margins = { top: 10, right: 10, bottom: 11, left: 10 };
const PAPERS: PaperChoice[] = [
  { paper: 'A4', minPt: 8 },
  { paper: 'A3', minPt: 6 },
];

/** Column widths in proportion to the printable width of the paper. */
function columnsFor(weights: number[], paper: PaperSize): number[] {
  const width = printableWidthMm({ paper, orientation: 'landscape', marginsMm: MARGINS });
  const sum = weights.reduce((a, b) => a + b, 0);
  const mm = weights.map((w) => Math.floor((w / sum) * width * 100) / 100);
  mm[mm.length - 1]! += Math.round((width - mm.reduce((a, b) => a + b, 0)) * 100) / 100;
  return mm;
}

const frameFor = (name: string, weights: number[]) => (paper: PaperSize): SheetFrame => ({
  name: safeSheetName(name),
  paper,
  orientation: 'landscape',
  marginsMm: MARGINS,
  columnsMm: columnsFor(weights, paper),
  pageMark: null,
});

/** 新 as the document prints it: bold, where the text has it, or in front. */
export function newMarkedRuns(text: string, isNew: boolean): Run[] {
  if (!isNew) return [{ text }];
  const at = text.indexOf('新');
  if (at < 0) return [{ text: '新', bold: true }, { text: ` ${text}` }];
  return [...(at > 0 ? [{ text: text.slice(0, at) }] : []), { text: '新', bold: true }, ...(at + 1 < text.length ? [{ text: text.slice(at + 1) }] : [])];
}

/** Splits `total` columns into `n` nearly equal spans. */
function spans(total: number, n: number): number[] {
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total % n ? 1 : 0));
}

const row = (cells: LayoutCell[]): LayoutRow => ({ heightPt: 0, cells });
const labelCell = (text: string) => cell(0, textParagraphs(text), { role: 'label', bold: true, fill: HEADING_FILL, valign: 'middle', align: 'center' });
const blank = (col: number, colSpan = 1) => cell(col, [], { colSpan, role: 'blank', border: false });

/** Cells side by side from column `start`, filling `total` columns. */
function sideBySide(start: number, total: number, contents: Omit<LayoutCell, 'col' | 'colSpan'>[]): LayoutCell[] {
  let col = start;
  return spans(total, contents.length).map((span, i) => {
    const c = { ...contents[i]!, col, colSpan: span };
    col += span;
    return c;
  });
}

const MAIN_WEIGHTS = [40, ...new Array<number>(12).fill(30)];

function sectionRows(section: DocumentOverviewSection, pillarNames: Set<string>): LayoutGroup[] {
  const groups: LayoutGroup[] = [];
  const title: Run[] = [{ text: section.title, bold: true }, ...(section.subtitle ? [{ text: `${JA_SPACE}${section.subtitle}` }] : [])];
  groups.push({ rows: [row([cell(0, [title], { colSpan: 13, role: 'sectionTitle', fill: HEADER_FILL, scale: 1.3, valign: 'middle' })])] });
  let categories: DocumentOverviewSection['groups'] = [];
  const flushCategories = () => {
    if (categories.length === 0) return;
    const contents = categories.map((g) =>
      cell(0, [[{ text: g.category ?? '', bold: true }], ...g.items.map((i) => [{ text: '・' }, ...newMarkedRuns(i.text, i.isNew)])], { hangingBullets: true }),
    );
    groups.push({ rows: [row(sideBySide(0, 13, contents))] });
    categories = [];
  };
  for (const g of section.groups) {
    if (!g.heading) {
      categories.push(g);
      continue;
    }
    flushCategories();
    const numbered = g.items.filter((i) => i.no !== null);
    const bullets = g.items.filter((i) => i.no === null);
    const numberLabel = (i: { no: number | null; text: string }) => (pillarNames.has(i.text) ? `(${i.no})` : circledNumber(i.no!));
    const paragraphs: Run[][] = [
      ...(g.category ? [[{ text: g.category, bold: true }]] : []),
      ...(numbered.length ? [numbered.flatMap((i, k): Run[] => [{ text: `${k > 0 ? JA_SPACE + JA_SPACE : ''}${numberLabel(i)} ` }, ...newMarkedRuns(i.text, i.isNew)])] : []),
      ...bullets.map((i) => [{ text: '・' }, ...newMarkedRuns(i.text, i.isNew)]),
    ];
    groups.push({ rows: [row([labelCell(g.heading), cell(1, paragraphs, { colSpan: 12, hangingBullets: true, valign: 'middle' })])] });
  }
  flushCategories();
  return groups;
}

function mainSheet(data: PlanDocumentData, fiscalYear: number): LayoutSheet {
  const labels = overviewLabels(fiscalYear, data.plan.periodLabel);
  const pillarNames = new Set(data.pillars.map((p) => p.name));
  const build = (): SheetParts => {
    const body: LayoutGroup[] = [
      {
        rows: [
          row([
            labelCell(labels.sloganLabel),
            cell(1, [[{ text: data.plan.slogan, bold: true }, { text: `${JA_SPACE}${data.plan.sloganSubtitle}` }]], { colSpan: 12, scale: 1.35, valign: 'middle', align: 'center' }),
          ]),
        ],
      },
      {
        rows: [
          row([
            labelCell(data.plan.missionsTitle),
            ...sideBySide(
              1,
              12,
              data.missions.map((m) => cell(0, textParagraphs(m), { bold: true, align: 'center', valign: 'middle', scale: 1.15 })),
            ),
          ]),
        ],
      },
      {
        rows: [
          row([
            labelCell(`${data.plan.visionTitle}\n${data.plan.challengesTitle}`),
            ...sideBySide(
              1,
              12,
              data.challengeGroups.map((g) => cell(0, [[{ text: g.heading, bold: true }], ...g.challenges.map((c) => [{ text: `《挑戦${c.no}》 ${c.text}` }])])),
            ),
          ]),
        ],
      },
      ...data.overviewSections.filter((s) => s.fiscalYear === fiscalYear).flatMap((s) => sectionRows(s, pillarNames)),
    ];
    const years = data.financialYears;
    if (years.length > 0)
      body.push({
        rows: [
          row([
            labelCell(data.plan.financialTitle),
            ...sideBySide(
              1,
              12,
              years.map((y) => cell(0, [[{ text: `${y.fiscalYear}年度`, bold: true }, { text: `${JA_SPACE}${y.text}` }]], { valign: 'middle', align: 'center' })),
            ),
          ]),
        ],
      });
    return {
      header: [row([cell(0, [[{ text: labels.title }]], { colSpan: 13, role: 'title', scale: 1.6, bold: true, border: false, valign: 'bottom' })])],
      body,
      footer: [],
    };
  };
  return fitSheetOnPaper(PAPERS, frameFor(labels.title, MAIN_WEIGHTS), build);
}

/** One line of the 部会・委員会 table: a group heading, or a unit (or units sharing a row) with its focus. */
type FocusEntry = { heading: string } | { names: string; text: string };

/**
 * The 部会・委員会・女性会・青年部 table in two columns side by side (name | focus, twice), the list
 * running down the left column and on down the right one: one column across the whole page ran 125–130
 * characters a line; half of it reads at 40–60. Each row of the grid holds one entry of each column
 * (a group heading, or a unit with its focus); a column that starts inside a group repeats its heading.
 */
function unitFocusSheet(data: PlanDocumentData, fiscalYear: number): LayoutSheet | null {
  const rows = data.unitFocus.filter((f) => f.period === String(fiscalYear) && f.groupHeading !== null);
  if (rows.length === 0) return null;
  const headings = [...new Set(rows.map((r) => r.groupHeading!))];
  const unitLabel = new Map(data.units.map((u) => [u.id, u.shortName ?? u.name]));
  const title = overviewLabels(fiscalYear, data.plan.periodLabel).unitFocusTitle(headings);
  const names = (r: (typeof rows)[number]) => r.unitIds.map((id) => unitLabel.get(id) ?? '').join('\n');
  const entries: { entry: FocusEntry; group: string }[] = [];
  for (const heading of headings) {
    const inGroup = rows.filter((r) => r.groupHeading === heading);
    // A group of one unit named as the group (女性会, 青年部) is that unit's row alone.
    if (!(inGroup.length === 1 && names(inGroup[0]!) === heading)) entries.push({ entry: { heading }, group: heading });
    for (const r of inGroup) entries.push({ entry: { names: names(r), text: r.text }, group: heading });
  }
  // Split where the two columns come out most nearly even (by the length of their texts).
  const weight = (e: FocusEntry) => ('heading' in e ? 4 : [...withoutEmphasis(e.text)].length + 12);
  const total = entries.reduce((n, e) => n + weight(e.entry), 0);
  let split = 0;
  let best = Infinity;
  for (let k = 1, left = 0; k < entries.length; k++) {
    left += weight(entries[k - 1]!.entry);
    const right = total - left + ('heading' in entries[k]!.entry ? 0 : 4);
    if (Math.max(left, right) < best) [best, split] = [Math.max(left, right), k];
  }
  const leftColumn = entries.slice(0, split).map((e) => e.entry);
  const first = entries[split];
  const rightColumn = [...(first && !('heading' in first.entry) ? [{ heading: first.group }] : []), ...entries.slice(split).map((e) => e.entry)];
  const entryCells = (e: FocusEntry | undefined, col: number): LayoutCell[] => {
    if (!e) return [blank(col, 2)];
    if ('heading' in e) return [cell(col, textParagraphs(e.heading), { colSpan: 2, role: 'label', bold: true, fill: HEADER_FILL, valign: 'middle' })];
    return [cell(col, textParagraphs(e.names), { role: 'label', bold: true, fill: HEADING_FILL, valign: 'middle' }), cell(col + 1, emphasisParagraphs(e.text), { valign: 'middle' })];
  };
  const build = (): SheetParts => ({
    header: [row([cell(0, [[{ text: title }]], { colSpan: 5, role: 'title', scale: 1.45, bold: true, border: false, valign: 'bottom' })])],
    body: Array.from({ length: Math.max(leftColumn.length, rightColumn.length) }, (_, i): LayoutGroup => ({
      rows: [row([...entryCells(leftColumn[i], 0), blank(2), ...entryCells(rightColumn[i], 3)])],
    })),
    footer: [],
  });
  return fitSheetOnPaper(PAPERS, frameFor(title, UNIT_FOCUS_WEIGHTS), build);
}

/** name | focus | gutter | name | focus */
const UNIT_FOCUS_WEIGHTS = [36, 160, 8, 36, 160];

function branchesSheet(data: PlanDocumentData, fiscalYear: number): LayoutSheet | null {
  const focus = branchFocusByUnit(data, String(fiscalYear));
  const branches = data.units
    .filter((u) => u.kind === 'branch')
    .map((u) => ({ name: u.shortName ?? u.name, text: focus.get(u.id) }))
    .filter((b): b is { name: string; text: string } => b.text !== undefined);
  const joints = data.jointProjects.filter((j) => j.fiscalYear === fiscalYear);
  if (branches.length === 0 && joints.length === 0) return null;
  const title = overviewLabels(fiscalYear, data.plan.periodLabel).branchesTitle(data.units.filter((u) => u.kind === 'branch').length);
  const blockRows = (blocks: LayoutCell[][], perRow: number): LayoutGroup[] => {
    const out: LayoutGroup[] = [];
    for (let i = 0; i < blocks.length; i += perRow) {
      const slice = blocks.slice(i, i + perRow);
      const span = 12 / perRow;
      out.push({ rows: [row([...slice.map((b, k) => ({ ...b[0]!, col: k * span, colSpan: span })), ...(slice.length < perRow ? [blank(slice.length * span, (perRow - slice.length) * span)] : [])])] });
    }
    return out;
  };
  const build = (): SheetParts => ({
    header: [row([cell(0, [[{ text: title }]], { colSpan: 12, role: 'title', scale: 1.45, bold: true, border: false, valign: 'bottom' })])],
    body: [
      ...blockRows(
        branches.map((b) => [cell(0, [[{ text: `<${b.name}>`, bold: true }], ...emphasisParagraphs(b.text)])]),
        3,
      ),
      ...blockRows(
        joints.map((j) => [cell(0, [[{ text: `<${j.title}>`, bold: true }], ...j.projectNames.map((p) => [{ text: p, bold: true }]), ...emphasisParagraphs(j.text)], { fill: HEADING_FILL })]),
        2,
      ),
    ],
    footer: [],
  });
  return fitSheetOnPaper(PAPERS, frameFor(title, new Array<number>(12).fill(1)), build);
}

export function overviewYears(data: PlanDocumentData): number[] {
  return [...new Set(data.overviewSections.map((s) => s.fiscalYear))].sort((a, b) => a - b);
}

export function buildOverviewLayout(data: PlanDocumentData, fiscalYear: number): LayoutDocument {
  const title = overviewLabels(fiscalYear, data.plan.periodLabel).title;
  const sheets = [mainSheet(data, fiscalYear), unitFocusSheet(data, fiscalYear), branchesSheet(data, fiscalYear)].filter((s): s is LayoutSheet => s !== null);
  return { kind: 'overview', title, fileBaseName: safeFileName(`${data.plan.title}_${title.replace(/\s+/g, '')}`), sheets, pageNumbers: true };
}
