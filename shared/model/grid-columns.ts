import type { EditableEntity, EditableFieldName } from '../domain/editable-fields';
import { type ColumnOf, type PlanTableName, planTables } from './registry';

/**
 * Which grid field writes each column of the tables the grids write: the exhaustive link between
 * the registry's columns and the editable fields of shared/domain/editable-fields.ts. A column the
 * registry gains is a compile error here until it is given a field or null.
 */

/** The tables a grid writes, with the entity whose fields write them (a year's cells are fields of their parent). */
export const gridTables = {
  action_row: 'actionRow',
  theme: 'theme',
  year_plan: 'actionRow',
  target: 'target',
  target_value: 'target',
  unit_focus: 'unitFocus',
  overview_item: 'overviewItem',
} as const satisfies Partial<Record<PlanTableName, EditableEntity>>;
export type GridTable = keyof typeof gridTables;

/**
 * Every column of every table a grid writes: the field a grid cell edits it with, or null (an id,
 * a reference or an order the row operations set, or a text no grid shows). A column the registry
 * gains is a compile error here until it is given a field (or null), and the field must be one of
 * `editableFields`.
 */
export const gridColumns = {
  action_row: { id: null, plan_id: null, key: null, page: null, position: null, heading: 'heading', band_pillar_id: null, term_plan: 'termPlan' },
  theme: { id: null, row_id: null, key: null, position: null, text: 'text', pillar_id: null },
  year_plan: { id: null, row_id: null, fiscal_year: null, text: 'yearPlan' },
  target: {
    id: null,
    row_id: null,
    theme_id: null,
    unit_id: null,
    key: null,
    position: null,
    label: 'label',
    unit: 'unit',
    kind: 'kind',
    direction: 'direction',
    baseline_value: 'baselineValue',
    baseline_year: 'baselineYear',
    baseline_text: null,
    term_goal_value: 'termGoalValue',
    term_goal_text: null,
    note: 'note',
  },
  target_value: { id: null, target_id: null, fiscal_year: null, plan_value: 'planValue', plan_text: null, actual_value: 'actualValue' },
  unit_focus: { id: null, plan_id: null, period: null, group_heading: null, position: null, text: 'text' },
  overview_item: { id: null, group_id: null, position: null, no: null, text: 'text', is_new: 'isNew', row_id: null },
} as const satisfies { readonly [T in GridTable]: { readonly [C in ColumnOf<T>]: EditableFieldName<(typeof gridTables)[T]> | null } };

/** Where a field of an entity is stored: its table and column (a per-year field in its per-year table). */
export function storedAt(entity: EditableEntity, field: string): { table: GridTable; column: string } | undefined {
  for (const [table, columns] of Object.entries(gridColumns) as [GridTable, Record<string, string | null>][]) {
    if (gridTables[table] !== entity) continue;
    const column = Object.keys(columns).find((c) => columns[c] === field);
    if (column) return { table, column };
  }
  return undefined;
}

/** The table an entity's rows are (the table whose row ids a grid's cells carry; its per-year fields are stored in another). */
export function tableOf(entity: EditableEntity): GridTable {
  const table = (Object.keys(gridTables) as GridTable[]).find((t) => gridTables[t] === entity && planTables[t].perYear === undefined);
  if (!table) throw new Error(`no table for the entity ${entity}`);
  return table;
}
