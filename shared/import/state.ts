/**
 * The neutral model the merge works on: the plan as rows by table and id, each row a map of
 * column → value. It is the database's rows with the small per-cell tables folded into their
 * parents as "virtual columns" (a year's plan text is a column of its action row, a target's plan
 * value for a year a column of the target, 主な担当 a list column), so that one Excel cell is one
 * column of one row and rows that only exist to hold a cell need no matching by id.
 */

export type CellValue = string | number | null | readonly string[];

export interface StateRow {
  id: string;
  [column: string]: CellValue;
}

/** Rows of one table by id. */
export type TableState = Record<string, StateRow>;

/** Tables by name. */
export type PlanState = Record<string, TableState>;

/** A reference from a row to another row (a foreign key). */
export interface RefSpec {
  column: string;
  table: string;
  /** What deleting the referenced row does to this row: delete it too, or clear the reference. */
  onDelete(row: StateRow): 'cascade' | 'nullify';
}

/** A list column holding ids of another table (主な担当: unit ids in order). */
export interface ListRefSpec {
  column: string;
  table: string;
}

export interface TableSpec {
  /** The row this row belongs to: it is added and removed together with it. */
  owner(row: StateRow): { table: string; id: string } | null;
  refs: RefSpec[];
  lists: ListRefSpec[];
  /** Columns that only order rows among their siblings (position, page): shown as one 並び順 change. */
  orderColumns: string[];
}

/** The tables the merge looks at, parents before children. */
export type StateSchema = Record<string, TableSpec>;

export function rowOf(state: PlanState, table: string, id: string): StateRow | undefined {
  const rows = state[table];
  return rows && Object.hasOwn(rows, id) ? rows[id] : undefined;
}

export function cloneState(state: PlanState): PlanState {
  const out: PlanState = {};
  for (const [table, rows] of Object.entries(state)) {
    const copy: TableState = {};
    for (const [id, row] of Object.entries(rows)) copy[id] = { ...row };
    out[table] = copy;
  }
  return out;
}

/** The tables of a schema in an order where every referenced table comes before the tables referring to it. */
export function tableOrder(schema: StateSchema): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (t: string) => {
    if (order.includes(t) || visiting.has(t)) return;
    visiting.add(t);
    for (const r of schema[t]?.refs ?? []) if (r.table !== t && schema[r.table]) visit(r.table);
    for (const l of schema[t]?.lists ?? []) if (l.table !== t && schema[l.table]) visit(l.table);
    visiting.delete(t);
    order.push(t);
  };
  for (const t of Object.keys(schema)) visit(t);
  return order;
}
