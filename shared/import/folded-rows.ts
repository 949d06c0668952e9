import { type PlanTableName, planTables } from '../model/registry';
import { byId, matches, type RowSource, type RowWriter, type StoredValue, type Where } from '../model/store';
import { UNITS_COLUMN } from './plan-schema';
import { type PlanState, rowOf, type StateRow, type StateSchema } from './state';

/**
 * The merge's in-memory plan (shared/import/state.ts) seen as the physical tables the shared
 * delete reads (shared/model/row-delete.ts), so that a row removed from it goes by the very rules
 * a delete in the grid follows. In that plan a link table is a list column of its parent (主な担当
 * is `units` of a table row) and a per-year cell a column of its parent: a link is shown as a row
 * of its own (id: parent id and unit id), a per-year cell not at all (it goes with its parent).
 * Its methods are async to fit the store's interface (shared/model/store.ts) and answer at once;
 * `find` orders rows by id, as every store does.
 */

/** Who points at a row: a row of a table (held in the state) that names it in a reference or a list. */
export interface Referrer {
  table: string;
  row: StateRow;
}

interface LinkShape {
  parentTable: PlanTableName;
  parentColumn: string;
  unitTable: PlanTableName;
  unitColumn: string;
}

/** A link table's parent and the table it lists (from the registry), or null for other tables. */
export function linkShapeOf(table: PlanTableName): LinkShape | null {
  const e = planTables[table];
  const links = e.links;
  if (!links) return null;
  const parent = e.references.find((r) => r.column === links.parentColumn);
  const unit = e.references.find((r) => r.column === links.unitColumn);
  return parent && unit ? { parentTable: parent.table, parentColumn: links.parentColumn, unitTable: unit.table, unitColumn: links.unitColumn } : null;
}

const SEP = '\u0000';
const listOf = (row: StateRow): readonly string[] => (Array.isArray(row[UNITS_COLUMN]) ? (row[UNITS_COLUMN] as readonly string[]) : []);

export class FoldedRows implements RowSource<StateRow>, RowWriter {
  constructor(
    private readonly state: PlanState,
    /** The tables the state holds rows of; the registry's other tables are folded into them. */
    private readonly schema: StateSchema,
    /** The rows that point at a row, when an index is kept (RowRemover); otherwise tables are scanned. */
    private readonly referrers?: (table: string, id: string) => readonly Referrer[],
  ) {}

  private holds(table: string): boolean {
    return Object.hasOwn(this.schema, table);
  }

  private linkRow(shape: LinkShape, parent: StateRow, unitId: string): StateRow {
    return { id: `${parent.id}${SEP}${unitId}`, [shape.parentColumn]: parent.id, [shape.unitColumn]: unitId };
  }

  /** Live rows of `table` that may point at `id` (from the index, or every row). */
  private candidates(table: string, refTable: string | null, id: StoredValue | undefined): StateRow[] {
    if (this.referrers && refTable && typeof id === 'string') {
      const rows = this.state[table];
      return [...new Set(this.referrers(refTable, id).filter((r) => r.table === table && rows?.[r.row.id] === r.row).map((r) => r.row))];
    }
    return Object.values(this.state[table] ?? {});
  }

  async get(table: PlanTableName, id: string): Promise<StateRow | undefined> {
    const shape = linkShapeOf(table);
    if (!shape) return this.holds(table) ? rowOf(this.state, table, id) : undefined;
    const [parentId = '', unitId = ''] = id.split(SEP);
    const parent = this.holds(shape.parentTable) ? rowOf(this.state, shape.parentTable, parentId) : undefined;
    return parent && listOf(parent).includes(unitId) ? this.linkRow(shape, parent, unitId) : undefined;
  }

  async find(table: PlanTableName, where: Where): Promise<StateRow[]> {
    const shape = linkShapeOf(table);
    if (!shape) {
      if (!this.holds(table)) return [];
      const [column, value] = Object.entries(where).length === 1 ? Object.entries(where)[0]! : [null, undefined];
      const ref = planTables[table].references.find((r) => r.column === column);
      return this.candidates(table, ref?.table ?? null, value)
        .filter((r) => matches(r, where))
        .sort(byId);
    }
    if (!this.holds(shape.parentTable)) return [];
    const parentId = where[shape.parentColumn];
    const parents =
      typeof parentId === 'string'
        ? [rowOf(this.state, shape.parentTable, parentId)].filter((p) => p !== undefined)
        : this.candidates(shape.parentTable, shape.unitTable, where[shape.unitColumn]);
    const out: StateRow[] = [];
    for (const parent of parents) for (const unitId of new Set(listOf(parent))) out.push(this.linkRow(shape, parent, unitId));
    return out.filter((r) => matches(r, where)).sort(byId);
  }

  async update(table: PlanTableName, id: string, patch: Readonly<Record<string, StoredValue>>): Promise<void> {
    const row = this.holds(table) ? rowOf(this.state, table, id) : undefined;
    if (!row) throw new Error(`update of missing ${table} ${id}`);
    Object.assign(row, patch);
  }

  async delete(table: PlanTableName, id: string): Promise<void> {
    const shape = linkShapeOf(table);
    if (!shape) {
      if (this.holds(table)) delete this.state[table]?.[id];
      return;
    }
    const [parentId = '', unitId = ''] = id.split(SEP);
    const parent = rowOf(this.state, shape.parentTable, parentId);
    if (parent) parent[UNITS_COLUMN] = listOf(parent).filter((u) => u !== unitId);
  }
}
