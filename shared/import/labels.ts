import { formatQuantity } from '../numbers/parse';
import { planTableNames, planTables, type TableEntry } from '../model/registry';
import { perYearColumn, UNITS_COLUMN } from './plan-schema';
import { type CellValue, type PlanState, rowOf, type StateRow } from './state';
import { excerpt } from '../text/excerpt';

/** How the review names tables, columns, rows and values, in the planning staff's words. */

/** The part of the plan a table belongs to, as the review groups changes from a database file (the registry's sections). */
export const tableSections: Record<string, string> = Object.fromEntries(planTableNames.map((t) => [t, planTables[t].section]));

/** What one row of a table is called: 「テーマ」「目標」 (the registry's nouns). */
export const tableNouns: Record<string, string> = Object.fromEntries(planTableNames.map((t) => [t, planTables[t].noun]));

/** Column names by `table.column`: the registry's labels, and a parent's list column (`units`) named by its link table. */
const columnNames: Record<string, string> = Object.fromEntries(
  planTableNames.flatMap((t) => {
    const e: TableEntry = planTables[t];
    const own = Object.entries(e.labels).map(([column, label]) => [`${t}.${column}`, label]);
    const parent = e.links ? e.references.find((r) => r.column === e.links!.parentColumn)?.table : undefined;
    return parent && e.links ? [...own, [`${parent}.${UNITS_COLUMN}`, e.links.label]] : own;
  }),
);

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

/** The table a reference column points at, by `table.column` (the registry's references): its value is shown as that row. */
const refTables: Record<string, string> = Object.fromEntries(
  planTableNames.flatMap((t) => planTables[t].references.map((r): [string, string] => [`${t}.${r.column}`, r.table])),
);

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
