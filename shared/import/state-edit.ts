import { type PlanState, type StateSchema } from './state';

/**
 * Removes a row from a state the way the app deletes it: rows that belong to it go with it, rows
 * that only point at it lose the link, lists drop it. Readers use it to build "the file's plan".
 */
export function removeRow(state: PlanState, schema: StateSchema, table: string, id: string): void {
  const rows = state[table];
  if (!rows || !Object.hasOwn(rows, id)) return;
  delete rows[id];
  for (const [t, spec] of Object.entries(schema)) {
    for (const row of Object.values(state[t] ?? {})) {
      for (const ref of spec.refs) {
        if (ref.table !== table || row[ref.column] !== id) continue;
        if (ref.onDelete(row) === 'cascade') removeRow(state, schema, t, row.id);
        else row[ref.column] = null;
      }
      for (const list of spec.lists) {
        const v = row[list.column];
        if (list.table === table && Array.isArray(v) && v.includes(id)) row[list.column] = v.filter((x) => x !== id);
      }
    }
  }
}

/** Makes room at `position` among siblings (rows of `table` for which `sibling` holds): later ones move down one. */
export function makeRoom(state: PlanState, table: string, sibling: (row: PlanState[string][string]) => boolean, position: number): void {
  for (const row of Object.values(state[table] ?? {})) if (sibling(row) && typeof row.position === 'number' && row.position >= position) row.position = row.position + 1;
}
