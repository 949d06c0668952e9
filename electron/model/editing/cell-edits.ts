import { AppError } from '../../../shared/errors/app-error';
import { type CellEdit, fieldSpec } from '../../../shared/domain/editable-fields';
import { checkStored, ruleOf, storedForm } from '../../../shared/model/field-rules';
import { storedAt, tableOf } from '../../../shared/model/grid-columns';
import { parseCellInput } from '../../../shared/model/input/parse-field';
import type { ChangeWriter } from '../../db/change-writer';
import type { PlanDb } from '../../db/plan-db';
import { setTargetValue, setYearPlan, type TargetValueColumn } from '../../../shared/model/cell-writes';
import { SqlStore } from '../sql-store';

type Parsed = string | number | null;

function where(edit: CellEdit): string {
  return `${edit.entity}/${edit.id}/${edit.field}${edit.fiscalYear ? `/${edit.fiscalYear}` : ''}`;
}

function refuse(edit: CellEdit, messageJa: string, log: string): never {
  throw new AppError('invalid_value', messageJa, log, where(edit));
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
function checkedValue(edit: CellEdit, at: { table: string; column: string }, value: Parsed): Parsed {
  const rule = ruleOf(at.table, at.column);
  if (!rule) return value;
  const stored = value === null && rule.kind === 'text' && !rule.nullable && !(at.table === 'year_plan') ? '' : storedForm(rule, value);
  if (stored === null) return null;
  const reason = checkStored(rule, stored);
  if (reason) refuse(edit, reason, `${at.table}.${at.column}: ${reason}`);
  return stored;
}

async function targetUnit(db: PlanDb, targetId: string): Promise<string> {
  return (await db.q.selectFrom('target').select('unit').where('id', '=', targetId).executeTakeFirst())?.unit ?? '';
}

/** Applies one cell edit inside the caller's change (used by batches that mix cell edits with other edits); `tx`: its transaction. */
export async function applyOne(tx: PlanDb, w: ChangeWriter, edit: CellEdit): Promise<void> {
  const spec = fieldSpec(edit.entity, edit.field);
  if (!spec) refuse(edit, `この欄（${edit.field}）は編集できません。`, `field not editable: ${edit.entity}.${edit.field}`);
  const table = tableOf(edit.entity);
  if (!(await w.read(table, edit.id))) throw new AppError('not_found', '編集しようとした行が見つかりません（削除された可能性があります）。', `no ${table} ${edit.id}`, where(edit));
  if (spec.perYear && edit.fiscalYear === undefined) refuse(edit, '年度が指定されていません。', 'per-year field without fiscalYear');

  // Where the field is stored: the registry's columns as the grids write them (shared/model/grid-columns.ts).
  const at = storedAt(edit.entity, edit.field);
  if (!at) refuse(edit, 'この欄は編集できません。', `no column for ${edit.entity}.${edit.field}`);
  const unit = edit.entity === 'target' ? await targetUnit(tx, edit.id) : '';
  const value = checkedValue(edit, at, parseValue(edit, unit));

  // A per-year field is a cell of its own table, written (or removed when empty) by the shared cell writes.
  if (at.table === 'year_plan') return setYearPlan(new SqlStore(tx, w), edit.id, edit.fiscalYear!, value as string | null);
  if (at.table === 'target_value') return setTargetValue(new SqlStore(tx, w), edit.id, edit.fiscalYear!, at.column as TargetValueColumn, value as number | null);
  await w.update(table, edit.id, { [at.column]: value } as never);
}
