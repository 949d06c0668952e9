import { AppError } from '../../shared/errors/app-error';
import type { MergeOp } from '../../shared/import/ops';
import { perYearColumn, targetValueFields, UNITS_COLUMN } from '../../shared/import/plan-schema';
import type { CellValue, StateRow } from '../../shared/import/state';
import { checkStored, columnsOf, type FieldRule, fiscalYearRange, isRuledTable, normalizeText, placeJa, ruleOf, storedForm, tableRules } from '../../shared/model/field-rules';

/**
 * Every value an import is about to write, checked with the field rules (the same as a typed
 * cell), whatever file it came from: called before the backup is taken and again by applyMergeOps.
 * Text is handed over with Windows line ends decoded (\r\n → \n). A value that breaks a rule
 * refuses the whole import with the table, row and column.
 */

const refuse = (table: string, id: string, column: string, reason: string) =>
  new AppError('invalid_value', `取り込む値が不正なため、取り込めません。${placeJa(table, column, { id })}: ${reason} 何も変更していません。`, `import value refused: ${table} ${id} ${column}: ${reason}`);

/** The rule of a column as a merge names it: a physical column, or a virtual one (a year's cell, a list of units). */
function virtualRule(table: string, column: string): FieldRule | 'units' | undefined {
  if (column === UNITS_COLUMN && (table === 'action_row' || table === 'unit_focus' || table === 'joint_project')) return 'units';
  const perYear = perYearColumn(column);
  if (!perYear || perYear.fiscalYear < fiscalYearRange.min || perYear.fiscalYear > fiscalYearRange.max) return undefined;
  if (perYear.field === 'yearPlan') return table === 'action_row' ? ({ ...tableRules.year_plan.text, nullable: true, nonEmpty: true } as FieldRule) : undefined;
  if (table !== 'target') return undefined;
  return ruleOf('target_value', targetValueFields[perYear.field]);
}

function checked(table: string, id: string, column: string, value: CellValue | undefined): CellValue {
  const rule = ruleOf(table, column) ?? virtualRule(table, column);
  if (!rule) throw new AppError('internal', '取り込みの内容が不正です。', `import op on unknown column ${table}.${column}`);
  if (rule === 'units') {
    const ids = value ?? [];
    if (!Array.isArray(ids)) throw refuse(table, id, column, '担当の一覧になっていません。');
    for (const u of ids as unknown[]) {
      const reason = checkStored(tableRules.assignment.unit_id, u);
      if (reason) throw refuse(table, id, column, reason);
    }
    return ids;
  }
  let v = typeof value === 'string' && rule.kind === 'text' ? storedForm(rule, normalizeText(value)) : (value ?? null);
  // An optional text that is '' is no text (a cleared cell): stored as NULL, a year's plan deleted.
  if (v === '' && rule.kind === 'text' && rule.nullable && rule.nonEmpty) v = null;
  const reason = checkStored(rule, v);
  if (reason) throw refuse(table, id, column, reason);
  return v;
}

function checkedRow(table: string, row: StateRow): StateRow {
  const out: StateRow = { id: row.id };
  if (isRuledTable(table)) for (const c of columnsOf(table)) out[c] = checked(table, row.id, c, row[c]);
  for (const [c, v] of Object.entries(row)) if (!(c in out)) out[c] = checked(table, row.id, c, v);
  return out;
}

/** The operations with every value checked (and text line ends decoded); throws on the first bad one. */
export function checkOpValues(ops: MergeOp[]): MergeOp[] {
  return ops.map((o) => {
    if (!isRuledTable(o.table)) throw new AppError('internal', '取り込みの内容が不正です。', `merge op on unknown table ${o.table}`);
    if (o.op === 'insert') return { ...o, row: checkedRow(o.table, o.row) };
    if (o.op === 'update') return { ...o, value: checked(o.table, o.id, o.column, o.value) };
    return o;
  });
}
