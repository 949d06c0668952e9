import type { Columns } from './field-kinds';

/**
 * What the registry says about one plan table (the shape of an entry of shared/model/registry.ts),
 * the list of the plan tables, and the small helpers the table modules (tables-*.ts) write their
 * entries with. A column named anywhere in an entry (a reference, the order, a link, a new row's
 * values) is checked against the entry's own columns by the compiler.
 */

/** Every plan table, parents before children (the order rows are inserted in, and the schema's). */
export const planTableNames = [
  'plan',
  'plan_list_item',
  'challenge_group',
  'challenge',
  'pillar',
  'unit',
  'action_row',
  'theme',
  'year_plan',
  'assignment',
  'target',
  'target_value',
  'unit_focus',
  'unit_focus_unit',
  'joint_project',
  'joint_project_unit',
  'overview_section',
  'overview_group',
  'overview_item',
  'financial_year',
] as const;

export type PlanTableName = (typeof planTableNames)[number];

/** What deleting the referenced row does to a row that points at it. */
export type OnDelete = 'cascade' | 'nullify';

export interface Reference<K extends string = string> {
  column: K;
  table: PlanTableName;
  /** A fixed answer, or one that depends on the row (a target with a table row only loses its branch). */
  onDelete: OnDelete | { ifSet: K; then: OnDelete; otherwise: OnDelete };
}

/**
 * How rows of a table are ordered. `siblingsBy`: the columns whose equal values make rows siblings
 * (a new row makes room among them); `moveWithin`: the columns a move stays inside (defaults to
 * siblingsBy); `columns`: the order columns, outermost first (a table row's page, then position).
 */
export interface Ordering<K extends string = string> {
  columns: readonly K[];
  siblingsBy: readonly K[];
  moveWithin?: readonly K[];
}

/**
 * Which units a row belongs to: itself (a unit), a column naming one, the units a link table lists
 * for it (主な担当), those of the row it belongs to, or none (the plan as a whole: the planning staff's).
 */
export type UnitsOf<K extends string = string> =
  | { via: 'self' }
  | { via: 'column'; column: K; unlessSet?: K }
  | { via: 'links'; table: PlanTableName }
  | { via: 'parent' }
  | { via: 'plan' };

/**
 * A link table: one row per unit of a parent row, in order (主な担当 of a table row, the units of a
 * focus text or of a joint project). The merge folds it into its parent as one list column.
 */
export interface Links<K extends string = string> {
  parentColumn: K;
  unitColumn: K;
  /** What the parent's list column is called in Japanese: 「主な担当」. */
  label: string;
}

/** The Japanese names of a table's columns, as the review shows them (a column without one shows its name). */
export type ColumnLabels<K extends string = string> = { readonly [column in K]?: string };

/** Everything an entry says besides its name and columns; `K`: the names its columns may be referred by. */
export interface EntryFields<K extends string = string> {
  /** What one row is called: 「テーマ」. */
  noun: string;
  /** The part of the plan it belongs to, as the review groups changes. */
  section: string;
  labels: ColumnLabels<K>;
  /** The row this row belongs to (added and removed with it): a column of this table, or none (a root). */
  parent: { column: K; table: PlanTableName } | { either: readonly { column: K; table: PlanTableName }[] } | null;
  references: readonly Reference<K>[];
  ordering: Ordering<K> | null;
  links?: Links<K>;
  /** A cell of its parent per fiscal year (a year's plan text, a target's values): `yearColumn` and the value columns. */
  perYear?: { yearColumn: K; values: readonly K[] };
  /**
   * What a new row put after `anchor` takes from it (columns listed) and which columns start with a
   * fixed value (an inherited column's value is used when there is no anchor: a colleague's first new
   * target); every other column starts empty (null, '' for text that cannot be null, 0 for yes/no).
   */
  newRow?: { inherit: readonly K[]; values?: Readonly<Partial<Record<K, string | number | null>>> };
  /** Deleted with the last row of this table that belongs to it (a table row is its themes). */
  goesWithLastChild?: { child: PlanTableName; column: string };
  /** Deleted when the last link to a unit goes (a focus text no unit holds any longer). */
  goesWithLastLink?: PlanTableName;
  units: UnitsOf<K>;
}

/**
 * A plan table as the registry describes it. Column names in its fields are plain strings here (an
 * entry of any table is a `TableEntry`); `table()` checked them against `columns` when it was written.
 */
export interface TableEntry<T extends PlanTableName = PlanTableName, C extends Columns = Columns> extends EntryFields {
  name: T;
  /** Every column with its field kind (field-kinds.ts), in the table's column order. A test checks them against a fresh database. */
  columns: C;
}

/** An entry as a table module writes it (the registry adds the name). */
export type TableDraft<C extends Columns = Columns> = Omit<TableEntry<PlanTableName, C>, 'name'>;

/** Writes an entry: the columns are inferred, every other column name is checked against them. */
export const table = <C extends Columns>(draft: EntryFields<NoInfer<keyof C & string>> & { columns: C }): TableDraft<C> => draft;

export const ofPlan = { column: 'plan_id', table: 'plan' } as const;
export const cascade = <K extends string>(column: K, table: PlanTableName): Reference<K> => ({ column, table, onDelete: 'cascade' });
export const nullify = <K extends string>(column: K, table: PlanTableName): Reference<K> => ({ column, table, onDelete: 'nullify' });
export const byPosition = <K extends string>(...siblingsBy: K[]): Ordering<K | 'position'> => ({ columns: ['position'], siblingsBy });
