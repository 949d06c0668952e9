import { AppError } from '../../../shared/errors/app-error';
import { type CellEdit, fieldSpec } from '../../../shared/domain/editable-fields';
import { checkStored, ruleOf } from '../../../shared/model/field-rules';
import { parseCellInput } from '../../../shared/model/input/parse-field';
import type { ChangeWriter } from '../../db/change-writer';
import type { Sqlite } from '../../db/open';
import { qb } from '../../db/query-builder';
import type { DataTable } from '../../db/schema';
import { first } from '../../db/sql';
import { setTargetValue, setYearPlan } from '../../../shared/model/cell-writes';
import { SqlStore } from '../sql-store';

type Parsed = string | number | null;

const entityTables = {
  actionRow: 'action_row',
  theme: 'theme',
  target: 'target',
  unitFocus: 'unit_focus',
  overviewItem: 'overview_item',
} as const satisfies Record<CellEdit['entity'], DataTable>;

/** Columns of plain (not per-year) fields. */
const columns: Record<string, string> = {
  'actionRow.heading': 'heading',
  'actionRow.termPlan': 'term_plan',
  'theme.text': 'text',
  'target.label': 'label',
  'target.unit': 'unit',
  'target.kind': 'kind',
  'target.direction': 'direction',
  'target.baselineValue': 'baseline_value',
  'target.baselineYear': 'baseline_year',
  'target.termGoalValue': 'term_goal_value',
  'target.note': 'note',
  'unitFocus.text': 'text',
  'overviewItem.text': 'text',
  'overviewItem.isNew': 'is_new',
};

function where(edit: CellEdit): string {
  return `${edit.entity}/${edit.id}/${edit.field}${edit.fiscalYear ? `/${edit.fiscalYear}` : ''}`;
}

function refuse(edit: CellEdit, messageJa: string, log: string): never {
  throw new AppError('invalid_value', messageJa, log, where(edit));
}

/** Where a field is stored: its table and column (per-year fields live in their own tables). */
function storedAt(edit: CellEdit): { table: string; column: string } | undefined {
  if (edit.entity === 'actionRow' && edit.field === 'yearPlan') return { table: 'year_plan', column: 'text' };
  if (edit.entity === 'target' && edit.field === 'planValue') return { table: 'target_value', column: 'plan_value' };
  if (edit.entity === 'target' && edit.field === 'actualValue') return { table: 'target_value', column: 'actual_value' };
  const column = columns[`${edit.entity}.${edit.field}`];
  return column ? { table: entityTables[edit.entity], column } : undefined;
}

/** Parses what the person typed with the field's input rules: the very parser the grid's editor calls (shared/model/input). */
function parseValue(edit: CellEdit, numberUnit: string): Parsed {
  const r = parseCellInput(edit.entity, edit.field, edit.value, { unit: numberUnit });
  if (!r.ok) refuse(edit, r.message, r.log);
  return typeof r.value === 'boolean' ? Number(r.value) : r.value;
}

/**
 * The parsed value checked with the column's field rule (shared/model/field-rules.ts), the same
 * check every import and the schema apply. A cleared text column that cannot be empty stores ''.
 */
function checkedValue(edit: CellEdit, value: Parsed): Parsed {
  const at = storedAt(edit);
  const rule = at ? ruleOf(at.table, at.column) : undefined;
  if (!at || !rule) return value;
  const stored = value === null && rule.kind === 'text' && !rule.nullable && !(at.table === 'year_plan') ? '' : value;
  if (stored === null) return null;
  const reason = checkStored(rule, stored);
  if (reason) refuse(edit, reason, `${at.table}.${at.column}: ${reason}`);
  return stored;
}

function targetUnit(sqlite: Sqlite, targetId: string): string {
  return first(sqlite, qb.selectFrom('target').select('unit').where('id', '=', targetId))?.unit ?? '';
}

/** Applies one cell edit inside the caller's change (used by batches that mix cell edits with other edits). */
export function applyOne(sqlite: Sqlite, w: ChangeWriter, edit: CellEdit): void {
  const spec = fieldSpec(edit.entity, edit.field);
  if (!spec) refuse(edit, `この欄（${edit.field}）は編集できません。`, `field not editable: ${edit.entity}.${edit.field}`);
  const table = entityTables[edit.entity];
  if (!w.read(table, edit.id)) throw new AppError('not_found', '編集しようとした行が見つかりません（削除された可能性があります）。', `no ${table} ${edit.id}`, where(edit));
  if (spec.perYear && edit.fiscalYear === undefined) refuse(edit, '年度が指定されていません。', 'per-year field without fiscalYear');

  const unit = edit.entity === 'target' ? targetUnit(sqlite, edit.id) : '';
  const value = checkedValue(edit, parseValue(edit, unit));

  if (edit.entity === 'actionRow' && edit.field === 'yearPlan') return setYearPlan(new SqlStore(sqlite, w), edit.id, edit.fiscalYear!, value as string | null);
  if (edit.entity === 'target' && (edit.field === 'planValue' || edit.field === 'actualValue'))
    return setTargetValue(new SqlStore(sqlite, w), edit.id, edit.fiscalYear!, edit.field === 'planValue' ? 'plan_value' : 'actual_value', value as number | null);

  const column = columns[`${edit.entity}.${edit.field}`];
  if (!column) refuse(edit, 'この欄は編集できません。', `no column for ${edit.entity}.${edit.field}`);
  w.update(table, edit.id, { [column]: value } as never);
}
