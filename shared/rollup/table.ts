import { unitKindLabels, type UnitKind } from '../domain/units';
import { formatFigure, formatFixed, formatPercent, MISSING } from './format';
import { commitmentLabels, commitmentOrder, directionLabels, kindShortLabels, planStateLabels, planStateOrder, statusLabels, statusOrder } from './labels';
import { pillarNameOf, planReason, statusReasonOf, unitNamesOf } from './reasons';
import type { Counts, RollupResult, TargetRollup } from './result';

/**
 * The rollup as tables with Japanese column headers: what the 進捗・集計 screen shows and what the
 * Excel and PDF exports print. Cells hold plain values (numbers stay numbers, a missing figure is
 * null and shows as —, never 0); formatCell and excelNumberFormat say how to show them.
 */

export type RollupColumnType = 'text' | 'number' | 'signed' | 'percent' | 'count' | 'badge';

export interface RollupColumn {
  key: string;
  /** The header, Japanese. */
  header: string;
  /** A header spanning several columns above this one (two header rows), or undefined. */
  group?: string;
  type: RollupColumnType;
  /** A suggested width in characters (for Excel, and a hint for the PDF). */
  width: number;
}

export type RollupCell = string | number | null;

export interface RollupTableRow {
  /** The target / unit / pillar id, or the fiscal year as text. */
  id: string;
  cells: Record<string, RollupCell>;
  /** For badge columns: the code behind the label (StatusCode or PlanState), for colours. */
  badges: Record<string, string>;
  /**
   * Why the cell of a column says what it says (status and plan reasons, a target's note), for
   * tooltips and notes; undefined for a cell without one. A function: the words are made only for
   * the cell shown, never for every row of a table of thousands.
   */
  notes(key: string): string | undefined;
  /** Decimals to show for this row's figures (0–2): 55.7% needs one, counts none. */
  decimals: number;
}

export interface RollupTable {
  title: string;
  /** E.g. 「2020年度時点・全組織」. */
  subtitle: string;
  columns: RollupColumn[];
  rows: RollupTableRow[];
  /** Lines to print under the table (how to read it). */
  notes: string[];
}

function decimalsOf(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  if (Number.isInteger(rounded)) return 0;
  return Math.round(rounded * 10) === rounded * 10 ? 1 : 2;
}

function rowDecimals(cells: Record<string, RollupCell>, columns: RollupColumn[]): number {
  let d = 0;
  for (const c of columns) {
    const v = cells[c.key];
    if ((c.type === 'number' || c.type === 'signed') && typeof v === 'number') d = Math.max(d, decimalsOf(v));
  }
  return d;
}

/** A cell as text for people: thousands separators, signs on differences, — for missing. */
export function formatCell(column: RollupColumn, row: RollupTableRow): string {
  const v = row.cells[column.key];
  if (v === null || v === undefined) return column.type === 'text' || column.type === 'badge' ? '' : MISSING;
  if (typeof v === 'string') return v;
  switch (column.type) {
    case 'number':
      return formatFixed(v, row.decimals);
    case 'signed': {
      const text = formatFixed(Math.abs(v), row.decimals);
      return Number(Math.abs(v).toFixed(row.decimals)) === 0 ? `±${text}` : `${v > 0 ? '+' : '−'}${text}`;
    }
    case 'percent':
      return formatPercent(v);
    case 'count':
      return formatFigure(v);
    default:
      return String(v);
  }
}

/** The Excel number format of a numeric cell ('#,##0', '#,##0.0', '+#,##0;-#,##0;0', '0.0"%"'); null for text. */
export function excelNumberFormat(column: RollupColumn, row: RollupTableRow): string | null {
  const frac = row.decimals > 0 ? `.${'0'.repeat(row.decimals)}` : '';
  switch (column.type) {
    case 'number':
      return `#,##0${frac}`;
    case 'signed':
      return `+#,##0${frac};-#,##0${frac};0`;
    case 'percent':
      return '0.0"%"';
    case 'count':
      return '#,##0';
    default:
      return null;
  }
}

const noNotes = (): undefined => undefined;

/** The notes of a target's row: the plan's and the status's reasons, its own note on the label. */
function targetNotes(t: TargetRollup, asOfYear: number): RollupTableRow['notes'] {
  return (key) => {
    if (key === 'planState') return planReason(t);
    if (key === 'status') return statusReasonOf(t, asOfYear);
    if (key === 'label') return t.note ? t.note : undefined;
    return undefined;
  };
}

const scopeText = (r: RollupResult) => `${r.asOfYear}年度時点・${r.unit ? r.unit.name : '全組織'}`;

/** THE rollup table: one row per target, with its years, whether the plans add up to the goal, and its status. */
export function rollupTable(r: RollupResult): RollupTable {
  const goalGroup = '目標';
  const planGroup = '計画の積み上げ';
  const progressGroup = `進捗 ${r.asOfYear}年度時点`;
  const columns: RollupColumn[] = [
    { key: 'label', header: '目標（KPI）', type: 'text', width: 34 },
    { key: 'unit', header: '単位', group: goalGroup, type: 'text', width: 6 },
    { key: 'kind', header: '集計', group: goalGroup, type: 'text', width: 8 },
    { key: 'direction', header: '方向', group: goalGroup, type: 'text', width: 5 },
    { key: 'baseline', header: '基準値', group: goalGroup, type: 'number', width: 10 },
    { key: 'termGoal', header: '期間目標', group: goalGroup, type: 'number', width: 11 },
    ...r.fiscalYears.flatMap((fy): RollupColumn[] => [
      { key: `plan:${fy}`, header: '計画', group: `${fy}年度`, type: 'number', width: 11 },
      { key: `actual:${fy}`, header: '実績', group: `${fy}年度`, type: 'number', width: 11 },
    ]),
    { key: 'planTerm', header: '計画の期間値', group: planGroup, type: 'number', width: 12 },
    { key: 'planGap', header: '目標との差', group: planGroup, type: 'signed', width: 11 },
    { key: 'planShare', header: '目標比', group: planGroup, type: 'percent', width: 8 },
    { key: 'planState', header: '判定', group: planGroup, type: 'badge', width: 14 },
    { key: 'actualTerm', header: '実績の期間値', group: progressGroup, type: 'number', width: 12 },
    { key: 'actualShare', header: '達成率', group: progressGroup, type: 'percent', width: 8 },
    { key: 'status', header: '状況', group: progressGroup, type: 'badge', width: 12 },
    { key: 'units', header: '主な担当', type: 'text', width: 28 },
    { key: 'pillar', header: '柱・指針', type: 'text', width: 24 },
  ];
  const rows = r.targets.map((t): RollupTableRow => {
    const cells: Record<string, RollupCell> = {
      label: t.label,
      unit: t.unit,
      kind: kindShortLabels[t.kind],
      direction: directionLabels[t.direction],
      baseline: t.baseline?.value ?? null,
      termGoal: t.termGoal,
      planTerm: t.plan.value,
      planGap: t.plan.gap,
      planShare: t.plan.share,
      planState: planStateLabels[t.plan.state],
      actualTerm: t.actual.value,
      actualShare: t.actual.share,
      status: statusLabels[t.status.code],
      units: unitNamesOf(t, r.names).join('、'),
      pillar: pillarNameOf(t, r.names) ?? '',
    };
    for (const y of t.years) {
      cells[`plan:${y.fiscalYear}`] = y.plan;
      cells[`actual:${y.fiscalYear}`] = y.actual;
    }
    return {
      id: t.id,
      cells,
      badges: { planState: t.plan.state, status: t.status.code },
      notes: targetNotes(t, r.asOfYear),
      decimals: rowDecimals(cells, columns),
    };
  });
  return {
    title: '進捗・集計 目標別',
    subtitle: scopeText(r),
    columns,
    rows,
    notes: [
      '計画の期間値: 累計・金額は各年度の合計、水準・最終年度の年間量・率は最後に値のある年度の値、水準の維持は最も厳しい年度の値。',
      '— は値が入力されていないことを示します（0 ではありません）。',
      `状況は${r.asOfYear}年度までの実績で判定します（累計は期間目標の按分と比較）。`,
    ],
  };
}

function countColumns(): RollupColumn[] {
  return [
    { key: 'themes', header: 'テーマ', type: 'count', width: 7 },
    { key: 'targets', header: '目標', type: 'count', width: 7 },
    ...statusOrder.map((s): RollupColumn => ({ key: `status:${s}`, header: statusLabels[s], group: '進捗の状況', type: 'count', width: 9 })),
    ...planStateOrder.map((s): RollupColumn => ({ key: `plan:${s}`, header: planStateLabels[s], group: '計画の判定', type: 'count', width: 11 })),
  ];
}

function countCells(c: Counts): Record<string, RollupCell> {
  const cells: Record<string, RollupCell> = { themes: c.themes, targets: c.targets };
  for (const s of statusOrder) cells[`status:${s}`] = c.status[s];
  for (const s of planStateOrder) cells[`plan:${s}`] = c.plan[s];
  return cells;
}

/** Per unit (department, committee, branch…): themes, targets, how many in each status and plan state. */
export function rollupUnitTable(r: RollupResult): RollupTable {
  const columns: RollupColumn[] = [{ key: 'name', header: '組織', type: 'text', width: 28 }, { key: 'kind', header: '種別', type: 'text', width: 6 }, ...countColumns()];
  return {
    title: '進捗・集計 組織別',
    subtitle: scopeText(r),
    columns,
    rows: r.units.map((u) => ({
      id: u.unitId,
      cells: { name: u.name, kind: unitKindLabels[u.kind as UnitKind] ?? u.kind, ...countCells(u) },
      badges: {},
      notes: noNotes,
      decimals: 0,
    })),
    notes: ['一つの目標を複数の組織が担当するため、組織別の目標数の合計は全体の目標数より多くなります。'],
  };
}

/** Per pillar / principle. */
export function rollupPillarTable(r: RollupResult): RollupTable {
  const columns: RollupColumn[] = [{ key: 'name', header: '柱・指針', type: 'text', width: 36 }, ...countColumns()];
  return {
    title: '進捗・集計 柱・指針別',
    subtitle: scopeText(r),
    columns,
    rows: r.pillars.map((p) => ({
      id: p.pillarId ?? 'none',
      cells: { name: p.no !== null ? `${p.kind === 'principle' ? '指針' : '柱'}${p.no} ${p.name}` : p.name, ...countCells(p) },
      badges: {},
      notes: noNotes,
      decimals: 0,
    })),
    notes: [],
  };
}

/** Per fiscal year: what that year's plan commits against the term goals. */
export function rollupYearTable(r: RollupResult): RollupTable {
  const columns: RollupColumn[] = [
    { key: 'year', header: '年度', type: 'text', width: 16 },
    { key: 'targets', header: '目標', type: 'count', width: 7 },
    { key: 'planned', header: '計画値あり', type: 'count', width: 9 },
    { key: 'actualsEntered', header: '実績入力済', type: 'count', width: 9 },
    ...commitmentOrder.map((c): RollupColumn => ({ key: `commitment:${c}`, header: commitmentLabels[c], group: 'その年度の計画と期間目標', type: 'count', width: 12 })),
  ];
  return {
    title: '進捗・集計 年度別',
    subtitle: scopeText(r),
    columns,
    rows: r.years.map((y) => {
      const cells: Record<string, RollupCell> = { year: `${y.fiscalYear}年度（${y.ordinal}年目）`, targets: y.targets, planned: y.planned, actualsEntered: y.actualsEntered };
      for (const c of commitmentOrder) cells[`commitment:${c}`] = y.commitment[c];
      return { id: String(y.fiscalYear), cells, badges: {}, notes: noNotes, decimals: 0 };
    }),
    notes: ['目標ペース: 累計・金額は期間目標を年度数で割った値、水準の維持は維持する水準、水準・率などは最終年度に期間目標と比べます（それまでは途上）。'],
  };
}

/** The four tables in the order the screen and the report show them. */
export function rollupTables(r: RollupResult): { targets: RollupTable; units: RollupTable; pillars: RollupTable; years: RollupTable } {
  return { targets: rollupTable(r), units: rollupUnitTable(r), pillars: rollupPillarTable(r), years: rollupYearTable(r) };
}
