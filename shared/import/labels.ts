import { formatQuantity } from '../numbers/parse';
import { perYearColumn, UNITS_COLUMN } from './plan-schema';
import { type CellValue, type PlanState, rowOf, type StateRow } from './state';
import { excerpt } from '../contract/excerpt';

/** How the review names tables, columns, rows and values, in the planning staff's words. */

/** The part of the plan a table belongs to, as the review groups changes from a database file. */
export const tableSections: Record<string, string> = {
  plan: '計画',
  plan_list_item: '計画',
  challenge_group: '計画',
  challenge: '計画',
  pillar: '計画',
  financial_year: '計画',
  unit: '組織',
  action_row: 'アクションプラン',
  theme: 'アクションプラン',
  target: '目標・実績',
  unit_focus: '重点取組内容',
  joint_project: '支部連携事業',
  overview_section: '事業活動計画（概要）',
  overview_group: '事業活動計画（概要）',
  overview_item: '事業活動計画（概要）',
};

/** What one row of a table is called: 「テーマ」「目標」. */
export const tableNouns: Record<string, string> = {
  plan: '計画',
  plan_list_item: '項目',
  challenge_group: '挑戦のグループ',
  challenge: '挑戦',
  pillar: '柱・指針',
  financial_year: '財政計画の年度',
  unit: '組織',
  action_row: '表の行',
  theme: 'テーマ',
  target: '目標',
  unit_focus: '重点取組内容',
  joint_project: '支部連携事業',
  overview_section: '概要の章',
  overview_group: '概要のグループ',
  overview_item: '概要の項目',
};

const columnNames: Record<string, string> = {
  'plan.title': '計画名',
  'plan.period_label': '期間の名称',
  'plan.start_year': '開始年度',
  'plan.end_year': '終了年度',
  'plan.slogan': 'スローガン',
  'plan.slogan_subtitle': 'スローガンの副題',
  'plan.missions_title': 'ミッションの見出し',
  'plan.vision_title': 'ビジョンの見出し',
  'plan.challenges_title': '挑戦の見出し',
  'plan.common_goal_title': '共通目標の見出し',
  'plan.financial_title': '財政計画の見出し',
  'action_row.heading': '見出し',
  'action_row.term_plan': '到達目標・３年間のアクションプラン',
  'action_row.band_pillar_id': '帯の柱・指針',
  'action_row.units': '主な担当',
  'theme.text': '中期事業計画（テーマ）',
  'theme.pillar_id': '柱・指針',
  'theme.row_id': '表の行',
  'target.label': '目標',
  'target.unit': '単位',
  'target.kind': '集計の種類',
  'target.direction': '以上・以下',
  'target.baseline_value': '基準値',
  'target.baseline_year': '基準年度',
  'target.baseline_text': '基準の記述',
  'target.term_goal_value': '期間の目標値',
  'target.term_goal_text': '期間の目標の記述',
  'target.note': '備考',
  'target.theme_id': 'テーマ',
  'target.row_id': '表の行',
  'target.unit_id': '組織',
  'unit.name': '組織名',
  'unit.short_name': '略称',
  'unit.kind': '組織の種類',
  'unit_focus.text': '重点取組内容',
  'unit_focus.period': '期間',
  'unit_focus.units': '組織',
  'unit_focus.group_heading': 'グループ',
  'joint_project.title': '事業名',
  'joint_project.text': '内容',
  'joint_project.project_names': '事業',
  'joint_project.units': '支部',
  'overview_item.text': '本文',
  'overview_item.is_new': '新',
  'overview_item.no': '番号',
  'overview_item.row_id': 'つながる表の行',
  'overview_section.title': '章の題',
  'overview_section.subtitle': '副題',
  'overview_group.heading': '見出し',
  'overview_group.category': '分類',
  'financial_year.text': '財政計画',
  'financial_year.amount_yen': '金額（円）',
  'pillar.name': '名称',
  'challenge.text': '挑戦',
  'challenge_group.heading': '見出し',
  'plan_list_item.text': '項目',
};

const targetKindNames: Record<string, string> = {
  cumulative: '累計（延べ）',
  level: '年度末の水準',
  final_volume: '最終年度の量',
  rate: '率',
  maintain: '水準の維持',
  money: '金額',
};
const directionNames: Record<string, string> = { at_least: '以上', more_than: '超', at_most: '以下', less_than: '未満' };

export function columnLabel(table: string, column: string): string {
  const perYear = perYearColumn(column);
  if (perYear) {
    const y = perYear.fiscalYear;
    return { yearPlan: `${y}年度 事業活動計画`, planValue: `${y}年度 計画値`, actualValue: `${y}年度 実績値`, planText: `${y}年度 計画の記述` }[perYear.field];
  }
  if (column === 'position' || column === 'page') return '並び順';
  return columnNames[`${table}.${column}`] ?? column;
}

const short = (text: string, n = 60) => excerpt(text.trimStart(), n).trim();

function find(states: PlanState[], table: string, id: string): StateRow | undefined {
  for (const s of states) {
    const r = rowOf(s, table, id);
    if (r) return r;
  }
  return undefined;
}

const str = (v: CellValue | undefined) => (typeof v === 'string' ? v : '');

/** A row as a person recognises it: a theme's text, a target's name, a unit's name. `states` are searched in order. */
export function rowLabel(states: PlanState[], table: string, id: string): string {
  const row = find(states, table, id);
  if (!row) return '';
  switch (table) {
    case 'action_row': {
      const themes = states
        .map((s) => Object.values(s.theme ?? {}).filter((t) => t.row_id === id))
        .find((list) => list.length > 0)
        ?.sort((a, b) => Number(a.position) - Number(b.position));
      const first = themes?.[0] ? str(themes[0].text) : '';
      return first ? `・${short(first)}${themes!.length > 1 ? ` ほか${themes!.length - 1}件` : ''}` : '（テーマのない行）';
    }
    case 'theme':
      return `・${short(str(row.text)) || '（空欄）'}`;
    case 'target': {
      const owner = typeof row.theme_id === 'string' ? find(states, 'theme', row.theme_id) : undefined;
      return `${short(str(row.label), 40) || '（名称なし）'}${owner ? `（${short(str(owner.text), 30)}）` : ''}`;
    }
    case 'unit':
      return str(row.name);
    case 'unit_focus': {
      const units = (Array.isArray(row.units) ? (row.units as string[]) : []).map((u) => str(find(states, 'unit', u)?.name)).filter(Boolean);
      const period = str(row.period) === 'term' ? '３年間' : `${str(row.period)}年度`;
      return `${units.join('・') || '（組織なし）'} ${period}`;
    }
    case 'plan':
      return str(row.title);
    case 'pillar':
      return str(row.name);
    case 'overview_section':
      return str(row.title);
    case 'overview_group':
      return str(row.heading) || str(row.category) || '（グループ）';
    case 'financial_year':
      return `${String(row.fiscal_year)}年度`;
    case 'joint_project':
      return str(row.title);
    default:
      return short(str(row.text) || str(row.title) || str(row.heading) || str(row.name));
  }
}

const refTables: Record<string, string> = {
  'theme.pillar_id': 'pillar',
  'theme.row_id': 'action_row',
  'action_row.band_pillar_id': 'pillar',
  'target.theme_id': 'theme',
  'target.row_id': 'action_row',
  'target.unit_id': 'unit',
  'overview_item.row_id': 'action_row',
  'overview_item.group_id': 'overview_group',
  'overview_group.section_id': 'overview_section',
  'challenge.group_id': 'challenge_group',
};

/** A value as the review shows it (null: an empty cell). Numbers of targets carry the target's unit. */
export function valueText(states: PlanState[], table: string, rowId: string, column: string, value: CellValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (column === UNITS_COLUMN && Array.isArray(value)) {
    if (value.length === 0) return null;
    return (value as string[]).map((u) => str(find(states, 'unit', u)?.name) || '（不明な組織）').join('、');
  }
  const ref = refTables[`${table}.${column}`];
  if (ref && typeof value === 'string') return rowLabel(states, ref, value) || '（見つからない行）';
  if (typeof value === 'number') {
    const perYear = perYearColumn(column);
    if (table === 'target' && (perYear || column === 'baseline_value' || column === 'term_goal_value')) return formatQuantity(value, str(find(states, 'target', rowId)?.unit));
    if (column === 'is_new') return value ? '新' : '—';
    if (column === 'amount_yen') return formatQuantity(value, '円');
    return String(value);
  }
  if (table === 'target' && column === 'kind') return targetKindNames[value as string] ?? String(value);
  if (table === 'target' && column === 'direction') return directionNames[value as string] ?? String(value);
  return String(value);
}
