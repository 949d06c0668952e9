import { type FieldRule, ruleOf } from './field-rules';
import { type Ordering, type PlanTableName, planTables } from './registry';
import { byId, type RowWriter, type StoredValue, type Where } from './store';

/**
 * Which rows are siblings, read from the registry's `ordering`: the rows a new row makes room
 * among, the rows a move swaps with, and the groups the import's SiblingPlacer numbers. Used by the
 * row operations over a store and by the import's in-memory plan alike.
 *
 * One reading of the registry needs saying: when a table's parent is one of several columns (a
 * target belongs to its table row, or without one to its branch), the siblings share the parent
 * that is set: the first of those columns that holds a value, the ones before it being empty.
 */

type Row = Readonly<Record<string, unknown>>;

export function orderingOf(table: PlanTableName): Ordering {
  const o = planTables[table].ordering;
  if (!o) throw new Error(`${table} has no order`);
  return o;
}

/** The column that numbers rows among their siblings (a table row's position within its page). */
export const positionColumn = (table: PlanTableName): string => orderingOf(table).columns.at(-1)!;

const parentColumns = (table: PlanTableName): readonly string[] => {
  const p = planTables[table].parent;
  return p && 'either' in p ? p.either.map((e) => e.column) : [];
};

/** The columns of `columns` that tie `row` to others: of several parent columns only the one that is set. */
function groupColumns(table: PlanTableName, columns: readonly string[], row: Row): string[] {
  const either = parentColumns(table);
  let parentChosen = false;
  const out: string[] = [];
  for (const c of columns) {
    if (either.includes(c)) {
      if (parentChosen) continue;
      if ((row[c] ?? null) !== null) parentChosen = true;
    }
    out.push(c);
  }
  return out;
}

const whereOf = (columns: readonly string[], row: Row): Where => Object.fromEntries(columns.map((c) => [c, (row[c] ?? null) as StoredValue]));

/** The rows a new row next to `row` makes room among. */
export const siblingWhere = (table: PlanTableName, row: Row): Where => whereOf(groupColumns(table, orderingOf(table).siblingsBy, row), row);

/** The rows a move of `row` passes through: an order column (a page) is crossed, not kept. */
export function moveWhere(table: PlanTableName, row: Row): Where {
  const o = orderingOf(table);
  return whereOf(
    groupColumns(
      table,
      (o.moveWithin ?? o.siblingsBy).filter((c) => !o.columns.includes(c)),
      row,
    ),
    row,
  );
}

/**
 * Rows sorted by the order columns, outermost first; rows equal in them (possible in hand-made
 * data) by id, so that the order never depends on the order a store read them in. A column that
 * holds no number in one of the two rows does not decide between them.
 */
export function inOrder<R extends Row & { readonly id: string }>(table: PlanTableName, rows: readonly R[]): R[] {
  const columns = orderingOf(table).columns;
  return [...rows].sort((a, b) => {
    for (const c of columns) {
      const d = Number(a[c]) - Number(b[c]);
      if (d !== 0 && !Number.isNaN(d)) return d;
    }
    return byId(a, b);
  });
}

/**
 * The moves that make room at `at` among `siblings`: every sibling at or after it moves down one.
 * Bottom first (equal positions by id), so that no two rows share a position on the way when they
 * are written one by one (each move is one logged write).
 */
export function roomAt(table: PlanTableName, siblings: readonly (Row & { id: string })[], at: number): { id: string; patch: Record<string, number> }[] {
  const column = positionColumn(table);
  const moving = siblings.filter((s) => typeof s[column] === 'number' && (s[column] as number) >= at);
  return moving.sort((a, b) => (b[column] as number) - (a[column] as number) || byId(a, b)).map((s) => ({ id: s.id, patch: { [column]: (s[column] as number) + 1 } }));
}

/** Makes room at `at` among `siblings` through a store (roomAt's moves, in order). */
export async function makeRoom(store: Pick<RowWriter, 'update'>, table: PlanTableName, siblings: readonly (Row & { id: string })[], at: number): Promise<void> {
  for (const { id, patch } of roomAt(table, siblings, at)) await store.update(table, id, patch);
}

/** Whether a value can tie rows in a column of this rule (a reference is an id or empty; a page is a number). */
function groupable(rule: FieldRule | undefined, v: unknown): boolean {
  if (v === undefined || Array.isArray(v) || (typeof v === 'number' && Number.isNaN(v))) return false;
  if (rule?.kind === 'ref') return v === null || (typeof v === 'string' && v !== '');
  if (rule?.kind === 'int' || rule?.kind === 'year') return typeof v === 'number';
  return true;
}

/**
 * The sibling group of a row as a key (null: the row is in no group, its values cannot tie it to
 * any): for the import's SiblingPlacer, which numbers rows of the in-memory plan group by group.
 */
export function siblingKeyOf(table: PlanTableName): (row: Partial<Row>) => string | null {
  const o = orderingOf(table);
  return (row) => {
    const parts: string[] = [];
    for (const c of groupColumns(table, o.siblingsBy, row)) {
      const v = row[c];
      if (!groupable(ruleOf(table, c), v)) return null;
      parts.push(`${c}=${typeof v}:${String(v)}`);
    }
    return parts.join('\u0001');
  };
}
