import { onDeleteOf, type PlanTableName, planTables, referencesTo } from './registry';
import type { RowSource, RowWriter } from './store';

/**
 * The delete of a row, written once from the registry's rules, for the grids, the import's writes
 * and the import's in-memory plan alike:
 * - rows that point at a deleted row go with it (`cascade`) or lose the link (`nullify`);
 * - the last child of a row that is its children takes the row with it (`goesWithLastChild`: the
 *   last theme of a table row deletes the table row);
 * - a row that lives by its links goes with its last link (`goesWithLastLink`: a focus text no
 *   unit holds any longer).
 *
 * It is planned first (`planDelete`: reads only) and then carried out (`runDelete`), so the
 * confirmation's "what this takes with it" is the plan of the very delete the user confirms.
 */

type Row = { id: string; readonly [column: string]: unknown };

export interface DeletePlan<R extends Row = Row> {
  /** The rows that go, each after the rows that point at it (the order they are deleted in). */
  deleted: { table: PlanTableName; row: R }[];
  /** References cleared: the row stays and loses its link to a deleted row. */
  unlinked: { table: PlanTableName; id: string; column: string }[];
}

const keyOf = (table: string, id: string) => `${table}\u0000${id}`;

/** The row `row` is one of the children of, when that row goes with its last child. */
function wholeOf(table: PlanTableName, row: Row): { table: PlanTableName; id: string; column: string } | null {
  const p = planTables[table].parent;
  if (!p || 'either' in p) return null;
  const rule = planTables[p.table].goesWithLastChild;
  const id = row[p.column];
  return rule?.child === table && rule.column === p.column && typeof id === 'string' ? { table: p.table, id, column: p.column } : null;
}

/** The row a link row links, when that row goes with its last link. */
function livesByLinks(table: PlanTableName, row: Row): { table: PlanTableName; id: string; column: string } | null {
  const links = planTables[table].links;
  if (!links) return null;
  const ref = planTables[table].references.find((r) => r.column === links.parentColumn);
  const id = row[links.parentColumn];
  return ref && planTables[ref.table].goesWithLastLink === table && typeof id === 'string' ? { table: ref.table, id, column: links.parentColumn } : null;
}

/**
 * What deleting a row would do, read from the store without writing. Nothing when the row is not
 * there. Each find is asked of the store once (placing the rows needs the very finds that visiting
 * them made), and a row a find gave is not read again.
 */
export async function planDelete<R extends Row>(store: RowSource<R>, table: PlanTableName, id: string): Promise<DeletePlan<R>> {
  const doomed = new Map<string, { table: PlanTableName; row: R }>();
  const isDoomed = (t: string, rowId: string) => doomed.has(keyOf(t, rowId));
  const finds = new Map<string, Promise<R[]>>();
  const find = (t: PlanTableName, column: string, value: string): Promise<R[]> => {
    const k = `${keyOf(t, column)}\u0000${value}`;
    let rows = finds.get(k);
    if (!rows) finds.set(k, (rows = store.find(t, { [column]: value })));
    return rows;
  };
  /** The rows pointing at a row of `t`, by reference (all asked at once). */
  const referrers = (t: PlanTableName, rowId: string) => Promise.all(referencesTo(t).map(async ({ from, ref }) => ({ from, ref, rows: await find(from, ref.column, rowId) })));

  const visit = async (t: PlanTableName, rowId: string, known?: R): Promise<void> => {
    if (isDoomed(t, rowId)) return;
    const row = known ?? (await store.get(t, rowId));
    if (!row) return;
    const whole = wholeOf(t, row);
    if (whole && !isDoomed(whole.table, whole.id) && (await store.get(whole.table, whole.id))) {
      const others = (await find(t, whole.column, whole.id)).filter((r) => r.id !== rowId && !isDoomed(t, r.id));
      if (others.length === 0) return visit(whole.table, whole.id);
    }
    doomed.set(keyOf(t, rowId), { table: t, row });
    for (const { from, ref, rows } of await referrers(t, rowId)) for (const r of rows) if (onDeleteOf(ref, r) === 'cascade') await visit(from, r.id, r);
    const owner = livesByLinks(t, row);
    if (owner && (await find(t, owner.column, owner.id)).every((r) => isDoomed(t, r.id))) await visit(owner.table, owner.id);
  };
  await visit(table, id);

  // Each row after every row that points at it (a doomed target still names its theme until it goes).
  const deleted: DeletePlan<R>['deleted'] = [];
  const unlinked: DeletePlan<R>['unlinked'] = [];
  const placed = new Set<string>();
  const cleared = new Set<string>();
  const place = async (d: { table: PlanTableName; row: R }): Promise<void> => {
    const k = keyOf(d.table, d.row.id);
    if (placed.has(k)) return;
    placed.add(k);
    for (const { from, ref, rows } of await referrers(d.table, d.row.id)) {
      for (const r of rows) {
        const other = doomed.get(keyOf(from, r.id));
        if (other) await place(other);
        else if (onDeleteOf(ref, r) === 'nullify' && !cleared.has(`${keyOf(from, r.id)}\u0000${ref.column}`)) {
          cleared.add(`${keyOf(from, r.id)}\u0000${ref.column}`);
          unlinked.push({ table: from, id: r.id, column: ref.column });
        }
      }
    }
    deleted.push(d);
  };
  for (const d of doomed.values()) await place(d);
  return { deleted, unlinked };
}

/** Carries out a plan: links cleared first, then the rows, each after those that point at it (as foreign keys require). */
export async function runDelete(store: RowWriter, plan: DeletePlan): Promise<void> {
  for (const u of plan.unlinked) await store.update(u.table, u.id, { [u.column]: null });
  for (const d of plan.deleted) await store.delete(d.table, d.row.id);
}

/** Deletes a row by the rules; returns what it did. */
export async function deleteByRules<R extends Row>(store: RowSource<R> & RowWriter, table: PlanTableName, id: string): Promise<DeletePlan<R>> {
  const plan = await planDelete(store, table, id);
  await runDelete(store, plan);
  return plan;
}

/** How many rows of each table a plan deletes, and how many references of `table.column` it clears. */
export function countsOf(plan: DeletePlan): { deleted: (table: PlanTableName) => number; unlinked: (table: PlanTableName, column: string) => number } {
  return {
    deleted: (table) => plan.deleted.filter((d) => d.table === table).length,
    unlinked: (table, column) => plan.unlinked.filter((u) => u.table === table && u.column === column).length,
  };
}
