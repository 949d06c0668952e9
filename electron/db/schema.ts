import type { Generated } from 'kysely';
import type { PlanTableName, RowOf } from '../../shared/model/registry';

/**
 * The typed tables of a plan database (Kysely). The plan tables' row types are the registry's
 * (shared/model/registry.ts: `RowOf`, derived from each table's columns), so they cannot drift from
 * the columns the schema is built from; tests/unit/registry.test.ts checks those against the
 * migrations. Column names are snake_case as in SQL; every plan table has a UUID `id` so that the
 * change log, imports and merges can name any row. Only the change log's tables are written here.
 */

/** One user action: an edit, a paste, an import, an undo. */
export interface ChangeSetTable {
  id: Generated<number>;
  at: string;
  user: string;
  label: string;
  source: string | null;
  /** For an undo: the change set it reverses; for a redo: the undo it reverses. */
  reverts_id: number | null;
}

/** One logged change as the undo and the screens' follow-up read it back (the columns but the log's own ids). */
export type LoggedChange = Omit<ChangeTable, 'id' | 'set_id'>;

export interface ChangeTable {
  id: Generated<number>;
  set_id: number;
  table_name: string;
  row_id: string;
  op: 'insert' | 'update' | 'delete';
  column_name: string | null;
  old_value: string | null;
  new_value: string | null;
}

/** The plan tables by name, each its registry row type. */
export type PlanTables = { [T in PlanTableName]: RowOf<T> };

export interface DB extends PlanTables {
  change_set: ChangeSetTable;
  change: ChangeTable;
}

/** Tables whose rows are plan data (logged in the change log, exported, dumped). */
export type DataTable = Exclude<keyof DB, 'change_set' | 'change'>;
