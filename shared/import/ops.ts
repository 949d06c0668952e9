import { type CellValue, type PlanState, type StateRow, type StateSchema, tableOrder } from './state';

/** One write of a merge, on the neutral model. */
export type MergeOp =
  | { op: 'insert'; table: string; row: StateRow }
  | { op: 'update'; table: string; id: string; column: string; value: CellValue }
  /** Takes ids out of a list column (a removed unit out of 主な担当): several such writes add up. */
  | { op: 'removeFromList'; table: string; id: string; column: string; values: string[] }
  | { op: 'delete'; table: string; id: string };

/**
 * Puts writes in an order the database accepts with its foreign keys checked at every statement:
 * inserts parents first, then updates, then deletes children first. Every intermediate state is
 * then valid, so the reverse order (an undo) is valid too. Duplicates are dropped (two items may
 * both clear the same reference).
 */
export function orderOps(ops: MergeOp[], schema: StateSchema): MergeOp[] {
  const rank = new Map(tableOrder(schema).map((t, i) => [t, i]));
  const r = (t: string) => rank.get(t) ?? 0;
  const seen = new Set<string>();
  const unique = ops.filter((o) => {
    const key =
      o.op === 'insert'
        ? `i|${o.table}|${o.row.id}`
        : o.op === 'delete'
          ? `d|${o.table}|${o.id}`
          : o.op === 'update'
            ? `u|${o.table}|${o.id}|${o.column}`
            : `r|${o.table}|${o.id}|${o.column}|${o.values.join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const deleted = new Set(unique.filter((o) => o.op === 'delete').map((o) => `${o.table}|${(o as { id: string }).id}`));
  const inserts = unique.filter((o) => o.op === 'insert').sort((a, b) => r(a.table) - r(b.table));
  // An update of a row that is deleted anyway would only be logged twice.
  const updates = unique.filter((o) => o.op === 'update' && !deleted.has(`${o.table}|${o.id}`));
  const removals = unique.filter((o) => o.op === 'removeFromList' && !deleted.has(`${o.table}|${o.id}`));
  const deletes = unique.filter((o) => o.op === 'delete').sort((a, b) => r(b.table) - r(a.table));
  return [...inserts, ...updates, ...removals, ...deletes];
}

/** Applies writes to a copy of a state (the model of what the database writer does; used by tests and previews). */
export function applyOps(state: PlanState, ops: MergeOp[], schema: StateSchema): PlanState {
  const out: PlanState = {};
  for (const [t, rows] of Object.entries(state)) out[t] = { ...rows };
  for (const o of orderOps(ops, schema)) {
    const rows = (out[o.table] ??= {});
    if (o.op === 'insert') {
      if (Object.hasOwn(rows, o.row.id)) throw new Error(`insert of existing ${o.table} ${o.row.id}`);
      rows[o.row.id] = { ...o.row };
    } else if (o.op === 'update') {
      const row = rows[o.id];
      if (!row) throw new Error(`update of missing ${o.table} ${o.id}`);
      rows[o.id] = { ...row, [o.column]: o.value };
    } else if (o.op === 'removeFromList') {
      const row = rows[o.id];
      if (!row) throw new Error(`update of missing ${o.table} ${o.id}`);
      const list = Array.isArray(row[o.column]) ? (row[o.column] as string[]) : [];
      rows[o.id] = { ...row, [o.column]: list.filter((v) => !o.values.includes(v)) };
    } else {
      if (!Object.hasOwn(rows, o.id)) throw new Error(`delete of missing ${o.table} ${o.id}`);
      delete rows[o.id];
    }
  }
  return out;
}

/** References that point at no row (what the database's foreign keys would refuse). */
export function danglingReferences(state: PlanState, schema: StateSchema): string[] {
  const problems: string[] = [];
  for (const [table, spec] of Object.entries(schema)) {
    for (const row of Object.values(state[table] ?? {})) {
      for (const ref of spec.refs) {
        const v = row[ref.column];
        if (typeof v === 'string' && !state[ref.table]?.[v]) problems.push(`${table} ${row.id}.${ref.column} → missing ${ref.table} ${v}`);
      }
      for (const list of spec.lists) {
        const v = row[list.column];
        if (Array.isArray(v)) for (const id of v as string[]) if (!state[list.table]?.[id]) problems.push(`${table} ${row.id}.${list.column} → missing ${list.table} ${id}`);
      }
    }
  }
  return problems;
}
