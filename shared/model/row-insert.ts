import { unitKindLabels, type UnitKind } from '../domain/units';
import { columnsOf, type FieldRule, ruleOf } from './field-rules';
import { type PlanTableName, planTables } from './registry';
import { inOrder, makeRoom, positionColumn, siblingWhere } from './row-order';
import type { PlanStore, StoredRow, StoredValue } from './store';

/**
 * A new row put after another among its siblings, with the registry's new-row defaults: it takes
 * the listed columns from the row it is put after (`newRow.inherit`), starts the fixed ones with
 * their value and every other column empty. A row that is its children (a table row is its
 * themes) starts with one child; a unit starts with a name no unit has.
 */

/** What an empty column holds: null, or '' for text that cannot be null, 0 for yes/no. */
export function emptyValue(rule: FieldRule | undefined): StoredValue {
  if (rule?.kind === 'text' && !rule.nullable) return '';
  if (rule?.kind === 'bool') return 0;
  return null;
}

/**
 * A new row of `table` with the defaults, taking what it inherits from `from`; without `from`
 * (nothing to take after), an inherited column starts with its fixed value if it has one, else empty.
 * `V`: the values of the rows it is used on (the merge's rows also hold list columns, never inherited).
 */
export function newRowFrom<V = StoredValue>(
  store: Pick<PlanStore, 'newId'>,
  table: PlanTableName,
  from: Readonly<Record<string, V | StoredValue>> | undefined,
): { id: string; [column: string]: V | StoredValue } {
  const rule = planTables[table].newRow;
  const row: { id: string; [column: string]: V | StoredValue } = { id: store.newId() };
  for (const column of columnsOf(table)) {
    if (column === 'id') continue;
    if (from && rule?.inherit.includes(column)) row[column] = from[column] ?? null;
    else if (rule?.values && Object.hasOwn(rule.values, column)) row[column] = rule.values[column]!;
    else row[column] = emptyValue(ruleOf(table, column));
  }
  return row;
}

/** Names new rows must get so that they differ from every other: a unit is 「新しい支部」, then 「新しい支部2」… */
const namers: Partial<Record<PlanTableName, (store: PlanStore, row: StoredRow) => Promise<Record<string, StoredValue>>>> = {
  unit: async (store, row) => {
    const names = new Set((await store.find('unit', {})).map((u) => u.name));
    const base = `新しい${unitKindLabels[row.kind as UnitKind]}`;
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base}${n}`;
    return { name };
  },
};

/**
 * Puts a new row right after `anchor` among its siblings (those after it move down one). Returns
 * its id, and that of its first child when the row is its children.
 */
export async function insertAfter(store: PlanStore, table: PlanTableName, anchor: StoredRow): Promise<{ id: string; childId: string | null }> {
  const entry = planTables[table];
  const position = positionColumn(table);
  const at = Number(anchor[position]) + 1;
  await makeRoom(store, table, await store.find(table, siblingWhere(table, anchor)), at);
  const row = newRowFrom(store, table, anchor);
  row[position] = at;
  Object.assign(row, await namers[table]?.(store, row));
  await store.insert(table, row);
  const children = entry.goesWithLastChild;
  if (!children) return { id: row.id, childId: null };
  // The first child takes after the last child of the row it is put after.
  const last = inOrder(children.child, await store.find(children.child, { [children.column]: anchor.id })).at(-1);
  const child = newRowFrom(store, children.child, last);
  child[children.column] = row.id;
  child[positionColumn(children.child)] = 0;
  await store.insert(children.child, child);
  return { id: row.id, childId: child.id };
}
