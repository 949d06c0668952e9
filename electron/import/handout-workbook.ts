import ExcelJS from 'exceljs';
import { AppError } from '../../shared/errors/app-error';
import { unitKindLabels } from '../../shared/domain/units';
import { actualValueKey, fieldKeys, focusKey, HANDOUT_FORMAT, HANDOUT_FORMAT_VERSION, HEADER_MARK, type HandoutMeta, type HandoutSheetKind, INSTRUCTIONS_SHEET, META_SHEET, planValueKey, sheetMarks, sheetNames, yearPlanKey } from './handout-format';
import { HEADER_FILL } from '../../shared/layout/action-plan-layout';
import { actionPlanLabels, fullWidthDigits, safeFileName } from '../../shared/layout/labels';
import { POINT_MM } from '../../shared/layout/model';
import { EXCEL_MAX_ROW_PT, type LineMetrics, textHeightMm } from '../../shared/layout/text-measure';
import { targetValueColumn, yearPlanColumn } from '../../shared/import/plan-schema';
import type { PlanState, StateRow } from '../../shared/import/state';
import type { PlanDb } from '../db/plan-db';
import { latestSchemaVersion } from '../db/migrations/index';
import { EXCEL_FONT } from '../export/xlsx-writer';
import { EXCEL_LINE_EM, excelColumnWidth } from '../export/excel-metrics';
import { setNormalFont } from '../export/normal-font';
import { planDocumentData } from '../model/queries/document-queries';
import { handoutScope } from './handout-scope';
import { latestRevision, readPlanState } from '../model/plan-state';
import { emphasisRuns, hasEmphasis } from '../../shared/text/emphasis';
import { carriesEmphasis } from '../../shared/model/registry';

/**
 * 記入用ブック: a unit's part of the plan as an Excel workbook for the unit to fill in and send
 * back. It looks like the unit layout (the action plan restricted to the unit's rows) with the
 * cells the unit writes (its year's action plan, its targets' plan and actual values, its focus)
 * unlocked and yellow, the rest protected; each row keeps its id in a hidden column and the file
 * keeps the base revision in a hidden sheet, so the return merges cell by cell (import-session.ts).
 */

const FONT_PT = 10;
/**
 * Rows people type into: lines 1.5 times the font's own line (Excel and LibreOffice set a cell's
 * lines at the font's height, excel-metrics.ts), broken anywhere as Excel does. The workbook's
 * Normal font is the body font at FONT_PT (normal-font.ts), so column widths, in its digits, print
 * alike with or without Calibri.
 */
const HANDOUT_LINES: LineMetrics = { lineHeight: 1.5 * EXCEL_LINE_EM, verticalAdvance: 1.5 * EXCEL_LINE_EM, breaks: 'characters', hangingIndent: false };
/** Column width in digits of the Normal font. */
const widthOf = (mm: number) => excelColumnWidth(mm, FONT_PT);
const EDIT_FILL = 'FFFFF4C2';
const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF666666' } };
const border: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const argb = (hex: string) => `FF${hex.slice(1).toUpperCase()}`;
/** Focus texts carry emphasis (the registry's rule): their bold phrases are bold in the workbook too. */
const FOCUS_EMPHASIS = carriesEmphasis('unit_focus', 'text');
const font = (bold = false, scale = 1): Partial<ExcelJS.Font> => ({ name: EXCEL_FONT, size: FONT_PT * scale, bold, charset: 128 });

export interface HandoutFile {
  fileName: string;
  bytes: Uint8Array;
  meta: HandoutMeta;
}

interface Column {
  key: string;
  header: string;
  widthMm: number;
  editable: boolean;
  number?: boolean;
  /** The text carries emphasised phrases (`**…**`, shared/text/emphasis.ts): written as bold runs, read back as marks (handout-read.ts). */
  emphasis?: boolean;
}

const bullets = (texts: string[]) => texts.map((t) => `・${t}`).join('\n');

/** The height (pt) a row needs for its texts in Excel, with an empty line more in cells to write in. */
function rowHeight(columns: Column[], values: (string | number | null)[]): number {
  let mm = 0;
  columns.forEach((c, i) => {
    const text = values[i] === null || values[i] === undefined ? '' : String(values[i]);
    const lines = text === '' ? [] : text.split('\n').map((l) => [{ text: l }]);
    if (c.editable) lines.push([{ text: '' }]);
    mm = Math.max(mm, textHeightMm(lines, c.widthMm, FONT_PT, false, HANDOUT_LINES));
  });
  return Math.min(EXCEL_MAX_ROW_PT, Math.max(18, Math.ceil((mm / POINT_MM) * 4) / 4));
}

/** One data sheet: hidden key row, title, note, header (marked), data rows; protected with the editable cells unlocked. */
async function dataSheet(
  wb: ExcelJS.Workbook,
  kind: HandoutSheetKind,
  title: string,
  note: string,
  columns: Column[],
  rows: { id: string; values: (string | number | null)[] }[],
  allowRowChanges: boolean,
): Promise<void> {
  const ws = wb.addWorksheet(sheetNames[kind], {
    views: [{ state: 'frozen', ySplit: 4, xSplit: 1, showGridLines: false }],
    pageSetup: {
      paperSize: 9 as unknown as ExcelJS.PaperSize, // A4 (the typings' enum does not compile under isolatedModules)
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '2:4',
      margins: { top: 0.4, bottom: 0.45, left: 0.4, right: 0.4, header: 0.2, footer: 0.2 },
    },
    headerFooter: { oddFooter: `&R&"${EXCEL_FONT},標準"&8&P / &N` },
  });
  ws.columns = [{ width: widthOf(100) }, ...columns.map((c) => ({ width: widthOf(c.widthMm) }))];
  ws.getColumn(1).hidden = true;
  const last = columns.length + 1;

  const keys = ws.getRow(1);
  keys.getCell(1).value = sheetMarks[kind];
  columns.forEach((c, i) => (keys.getCell(i + 2).value = c.key));
  keys.hidden = true;

  ws.mergeCells(2, 2, 2, last);
  const t = ws.getCell(2, 2);
  t.value = title;
  t.font = font(true, 1.3);
  t.alignment = { vertical: 'bottom' };
  ws.getRow(2).height = 24;
  ws.mergeCells(3, 2, 3, last);
  const n = ws.getCell(3, 2);
  n.value = note;
  n.font = font(false, 0.9);
  n.alignment = { wrapText: true, vertical: 'middle' };
  ws.getRow(3).height = 30;

  const header = ws.getRow(4);
  header.getCell(1).value = HEADER_MARK;
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 2);
    cell.value = c.header;
    cell.font = font(true);
    cell.alignment = { wrapText: true, horizontal: 'center', vertical: 'middle' };
    cell.border = border;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(HEADER_FILL) } };
  });
  header.height = rowHeight(columns.map((c) => ({ ...c, editable: false })), columns.map((c) => c.header));

  rows.forEach((r, k) => {
    const row = ws.getRow(5 + k);
    row.getCell(1).value = r.id;
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 2);
      const v = r.values[i];
      if (v !== null && v !== undefined && v !== '')
        cell.value = c.emphasis && typeof v === 'string' && hasEmphasis(v) ? { richText: emphasisRuns(v).map((r) => ({ text: r.text, font: font(r.bold) })) } : v;
      // Whole numbers with thousands separators; others as typed (a fixed number of decimals would round 55.7).
      if (c.number) cell.numFmt = typeof v === 'number' && Number.isInteger(v) ? '#,##0' : 'General';
      cell.font = font();
      cell.alignment = { wrapText: true, vertical: 'top', ...(c.number ? { horizontal: 'right' } : {}) };
      cell.border = border;
      if (c.editable) {
        cell.protection = { locked: false };
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: EDIT_FILL } };
      }
    });
    row.height = rowHeight(columns, r.values);
  });
  // Empty rows below the table keep the look of the editable columns, for new targets typed below.
  if (allowRowChanges)
    for (let k = 0; k < 20; k++) {
      const row = ws.getRow(5 + rows.length + k);
      columns.forEach((c, i) => {
        if (!c.editable) return;
        const cell = row.getCell(i + 2);
        cell.protection = { locked: false };
      });
    }

  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatCells: false,
    formatColumns: true,
    formatRows: true,
    insertRows: allowRowChanges,
    deleteRows: allowRowChanges,
    insertColumns: false,
    deleteColumns: false,
    sort: false,
    autoFilter: false,
  });
}

export interface HandoutRequest {
  unitId: string;
  fiscalYear: number;
  appVersion: string;
}

/** The rows a unit fills in, from the open plan. */
export async function handoutContent(db: PlanDb, unitId: string, fiscalYear: number) {
  const data = await planDocumentData(db);
  const unit = data.units.find((u) => u.id === unitId);
  if (!unit) throw new AppError('not_found', '指定された組織は見つかりません。', `unknown unit ${unitId}`);
  if (fiscalYear < data.plan.startYear || fiscalYear > data.plan.endYear)
    throw new AppError('not_found', `${fiscalYear}年度は計画期間（${data.plan.startYear}〜${data.plan.endYear}年度）の外です。`, `fiscal year ${fiscalYear} outside the plan`);
  const state = await readPlanState(db);
  // The reader accepts the workbook back only with exactly these ids (handout-scope.ts).
  const scope = handoutScope(state, unitId);
  const rows = data.actionRows.filter((r) => scope.actionRows.has(r.id));
  const rowOrder = new Map(data.actionRows.map((r, i) => [r.id, i]));
  const targets = [...scope.targets]
    .map((id) => state.target![id]!)
    .sort((a, b) => {
      const ra = typeof a.row_id === 'string' ? (rowOrder.get(a.row_id) ?? 0) : Number.MAX_SAFE_INTEGER;
      const rb = typeof b.row_id === 'string' ? (rowOrder.get(b.row_id) ?? 0) : Number.MAX_SAFE_INTEGER;
      return ra - rb || Number(a.position) - Number(b.position);
    });
  const focusOf = (period: string) =>
    Object.values(state.unit_focus ?? {})
      .filter((f) => f.period === period && Array.isArray(f.units) && (f.units as string[]).includes(unitId))
      .sort((a, b) => Number(a.position) - Number(b.position))[0];
  return { data, state, unit, rows, targets, focus: scope.focus.size > 0 ? { term: focusOf('term'), year: focusOf(String(fiscalYear)) } : null };
}

/** The 中期事業計画（テーマ） cell of a target's row in the workbook: its theme, its table row's first theme, or the unit. */
export function ownerText(state: PlanState, t: StateRow, unitName: string): string {
  if (typeof t.theme_id === 'string') return String(state.theme?.[t.theme_id]?.text ?? '');
  if (typeof t.row_id === 'string') {
    const first = Object.values(state.theme ?? {})
      .filter((th) => th.row_id === t.row_id)
      .sort((a, b) => Number(a.position) - Number(b.position))[0];
    return String(first?.text ?? '');
  }
  return unitName;
}

function instructions(wb: ExcelJS.Workbook, meta: HandoutMeta, kinds: HandoutSheetKind[], endYear: number): void {
  const ws = wb.addWorksheet(INSTRUCTIONS_SHEET, { views: [{ showGridLines: false }], pageSetup: { paperSize: 9 as unknown as ExcelJS.PaperSize, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = [{ width: widthOf(7.4) }, { width: widthOf(185) }];
  type Line = readonly [string, 'title' | 'head' | 'text' | 'small'];
  const lines: Line[] = [
    [`記入のしかた — ${meta.unitName}（${meta.fiscalYear}年度）`, 'title'],
    [`${meta.planTitle}のうち、${meta.unitName}が担当する部分です。黄色のセルに記入して、このファイルのまま計画担当に返送してください。`, 'text'],
    ['', 'text'],
    ['記入するところ', 'head'],
    ...(kinds.includes('actionRows')
      ? ([[`「${sheetNames.actionRows}」シート: ${meta.fiscalYear}年度の事業活動計画。1項目ごとに「・」で始め、セルの中の改行は Alt+Enter（Mac は Option+Return）です。`, 'text']] as Line[])
      : []),
    ...(kinds.includes('targets')
      ? ([
          [`「${sheetNames.targets}」シート: 目標ごとの各年度の計画値と実績値（${endYear}年度まで）。数値で入力します（例: 25000、2.5万、80%）。単位は「単位」列のとおりです。`, 'text'],
          ['新しい目標は、表の下の空いた行（または行を挿入して）に目標名・単位・値を書きます。すぐ上の行と同じテーマの目標として追加されます。', 'text'],
        ] as Line[])
      : []),
    ...(kinds.includes('focus') ? ([[`「${sheetNames.focus}」シート: ${meta.fiscalYear}年度の重点取組内容。`, 'text']] as Line[]) : []),
    ['', 'text'],
    ['お願い', 'head'],
    ['・数式は使わないでください（値だけを入力します。コピーした値は「値として貼り付け」）。', 'text'],
    ['・シートの名前や列の順番を変えないでください。非表示の列・行・シートは取り込みに使います。', 'text'],
    ['・白いセルは計画担当が管理する欄です。直したいところがあれば、黄色のセルに書くか計画担当にご連絡ください。', 'text'],
    ['・Excel のほか LibreOffice なども使えます。「Excel ブック（.xlsx）」形式で保存してください。', 'text'],
    ['', 'text'],
    [`作成: ${new Date(meta.createdAt).toLocaleString('ja-JP')}（計画ワークベンチ、計画の版 ${meta.baseRevision}）`, 'small'],
    ['取り込むと、書き出したあとに計画担当が同じセルを変えていた場合は「競合」として表示され、どちらを残すか選べます。', 'small'],
  ];
  lines.forEach(([text, kind], i) => {
    const cell = ws.getCell(i + 1, 2);
    cell.value = text;
    cell.font = font(kind !== 'text' && kind !== 'small', kind === 'title' ? 1.4 : kind === 'head' ? 1.1 : kind === 'small' ? 0.9 : 1);
    cell.alignment = { wrapText: true, vertical: 'top' };
    const scale = kind === 'title' ? 1.4 : 1;
    ws.getRow(i + 1).height = Math.max(16, Math.ceil(textHeightMm([[{ text }]], 180, FONT_PT * scale, false, HANDOUT_LINES) / POINT_MM));
  });
}

/** Makes the fill-in workbook of a unit for a fiscal year. */
export async function writeHandoutWorkbook(db: PlanDb, request: HandoutRequest): Promise<HandoutFile> {
  const { unitId, fiscalYear } = request;
  // The rows handed out and the revision the workbook records, as one view of the plan.
  const { data, state, unit, rows, targets, focus, revision, at } = await db.snapshot(async (tx) => {
    const content = await handoutContent(tx, unitId, fiscalYear);
    const revision = await latestRevision(tx);
    const at = (await tx.q.selectFrom('change_set').select('at').where('id', '=', revision).executeTakeFirst())?.at ?? '';
    return { ...content, revision, at };
  });
  if (rows.length === 0 && targets.length === 0 && !focus)
    throw new AppError('not_found', `「${unit.name}」が記入する欄はありません（担当する行・目標・重点取組内容がありません）。`, `unit ${unit.name} has nothing to fill in`);
  const plan = Object.values(state.plan ?? {})[0]!;
  const years = Array.from({ length: data.plan.endYear - data.plan.startYear + 1 }, (_, i) => data.plan.startYear + i);
  const labels = actionPlanLabels({ fiscalYear, startYear: data.plan.startYear, endYear: data.plan.endYear, planTitle: data.plan.title });
  const unitNames = new Map(data.units.map((u) => [u.id, u.name]));

  const kinds: HandoutSheetKind[] = [];
  if (rows.length > 0) kinds.push('actionRows');
  if (targets.length > 0 || rows.length > 0) kinds.push('targets');
  if (focus) kinds.push('focus');
  const meta: HandoutMeta = {
    format: HANDOUT_FORMAT,
    formatVersion: HANDOUT_FORMAT_VERSION,
    appVersion: request.appVersion,
    schemaVersion: latestSchemaVersion,
    planId: plan.id,
    planTitle: data.plan.title,
    unitId,
    unitName: unit.name,
    fiscalYear,
    baseRevision: revision,
    baseRevisionAt: at,
    createdAt: new Date().toISOString(),
    ids: { actionRows: rows.map((r) => r.id), targets: targets.map((t) => t.id), focus: focus ? [unitId] : [] },
  };

  const wb = new ExcelJS.Workbook();
  wb.creator = '計画ワークベンチ';
  wb.title = `記入用 ${unit.name} ${fiscalYear}年度`;
  wb.created = new Date(meta.createdAt);
  instructions(wb, meta, kinds, data.plan.endYear);

  if (kinds.includes('actionRows'))
    await dataSheet(
      wb,
      'actionRows',
      `${labels.title}（${unit.name}）記入用`,
      `黄色のセル（${fiscalYear}年度の事業活動計画）に記入してください。白いセルは計画担当が管理します。`,
      [
        { key: fieldKeys.themes, header: labels.themeHeader, widthMm: 62, editable: false },
        { key: fieldKeys.termPlan, header: labels.termHeader, widthMm: 80, editable: false },
        { key: yearPlanKey(fiscalYear), header: labels.yearHeader, widthMm: 100, editable: true },
        { key: fieldKeys.units, header: labels.unitsHeader, widthMm: 34, editable: false },
      ],
      rows.map((r) => ({
        id: r.id,
        values: [bullets(r.themes.map((t) => t.text)), r.termPlan, state.action_row?.[r.id]?.[yearPlanColumn(fiscalYear)] as string | null ?? null, r.unitIds.map((u) => unitNames.get(u) ?? '').join('\n')],
      })),
      false,
    );

  if (kinds.includes('targets')) {
    const columns: Column[] = [
      { key: fieldKeys.owner, header: `${data.plan.title}（テーマ）`, widthMm: 60, editable: false },
      { key: fieldKeys.label, header: '目標', widthMm: 48, editable: true },
      { key: fieldKeys.unit, header: '単位', widthMm: 14, editable: true },
      { key: fieldKeys.termGoal, header: `${fullWidthDigits(years.length)}年間の目標`, widthMm: 20, editable: false, number: true },
      ...years.flatMap((y): Column[] => [
        { key: planValueKey(y), header: `${y}年度\n計画`, widthMm: 20, editable: true, number: true },
        { key: actualValueKey(y), header: `${y}年度\n実績`, widthMm: 20, editable: true, number: true },
      ]),
    ];
    await dataSheet(
      wb,
      'targets',
      `目標（KPI）の計画値・実績値（${unit.name}）記入用`,
      '黄色のセルに数値で記入してください（例: 25000、2.5万、80%）。新しい目標は表の下の行に書けます（すぐ上の目標と同じテーマになります）。',
      columns,
      targets.map((t) => ({
        id: t.id,
        values: [
          ownerText(state, t, unit.name),
          String(t.label ?? ''),
          String(t.unit ?? ''),
          typeof t.term_goal_value === 'number' ? t.term_goal_value : null,
          ...years.flatMap((y) => [t[targetValueColumn('planValue', y)] ?? null, t[targetValueColumn('actualValue', y)] ?? null] as (number | null)[]),
        ],
      })),
      true,
    );
  }

  if (focus)
    await dataSheet(
      wb,
      'focus',
      `重点取組内容（${unit.name}）記入用`,
      `黄色のセル（${fiscalYear}年度の重点取組内容）に記入してください。`,
      [
        { key: fieldKeys.unitName, header: unitKindLabels[unit.kind] ?? '組織', widthMm: 30, editable: false },
        { key: focusKey('term'), header: `${fullWidthDigits(years.length)}年間の重点取組内容`, widthMm: 110, editable: false, emphasis: FOCUS_EMPHASIS },
        { key: focusKey(String(fiscalYear)), header: `${fiscalYear}年度の重点取組内容`, widthMm: 140, editable: true, emphasis: FOCUS_EMPHASIS },
      ],
      [{ id: unitId, values: [unit.shortName ?? unit.name, (focus.term?.text as string | undefined) ?? null, (focus.year?.text as string | undefined) ?? null] }],
      false,
    );

  const m = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  const scalar = Object.entries(meta).filter(([k]) => k !== 'ids') as [string, string | number][];
  scalar.forEach(([k, v], i) => m.getRow(i + 1).values = [k, v]);
  let r = scalar.length + 1;
  for (const kind of Object.keys(meta.ids) as HandoutSheetKind[]) for (const id of meta.ids[kind]) m.getRow(r++).values = ['id', kind, id];
  await m.protect('', {});

  const buffer = await wb.xlsx.writeBuffer();
  const bytes = await setNormalFont(new Uint8Array(buffer as ArrayBuffer), { name: EXCEL_FONT, sizePt: FONT_PT, charset: 128, family: 3 });
  return { fileName: `${safeFileName(`記入用_${unit.name}_${fiscalYear}年度`)}.xlsx`, bytes, meta };
}
