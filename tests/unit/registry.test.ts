import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { Selectable } from 'kysely';
import { openPlanDatabase, type OpenedDatabase } from '../../electron/db/open';
import type { DB } from '../../electron/db/schema';
import { editableFields, fieldSpec } from '../../shared/domain/editable-fields';
import { gridColumns, gridTables, storedAt, tableOf } from '../../shared/model/grid-columns';
import { planSchema, UNITS_COLUMN } from '../../shared/import/plan-schema';
import type { FieldRule } from '../../shared/model/field-kinds';
import { type ColumnOf, planTableNames, planTables, type RowOf, type TableEntry } from '../../shared/model/registry';
import { newRowFrom } from '../../shared/model/row-insert';
import { sqliteOf } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * The registry (shared/model/registry.ts) against the schema the real migrations build: every
 * table, every column by name and order, NOT NULL, type affinity and primary key, and every
 * foreign key. The Kysely row types are derived from the same entries; their shape is checked at
 * the type level below. The schema is read from the SQLite file itself (pragmas, sqlite_master).
 */

let db: OpenedDatabase;
let cleanup: () => void;
beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  db = openPlanDatabase(join(t.dir, 'fresh.plandb'));
});
afterAll(async () => {
  await db.db.close();
  cleanup();
});

interface ColumnInfo {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: unknown;
  pk: number;
}
interface ForeignKey {
  table: string;
  from: string;
  to: string;
}

const columnInfo = (table: string) => sqliteOf(db).prepare('select * from pragma_table_info(?) order by cid').all(table) as ColumnInfo[];
const foreignKeys = (table: string) => sqliteOf(db).prepare('select "table", "from", "to" from pragma_foreign_key_list(?)').all(table) as ForeignKey[];

/** SQLite's column affinity of a declared type (https://sqlite.org/datatype3.html#determination_of_column_affinity). */
function affinity(declared: string): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t === '' || t.includes('BLOB')) return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

/** The affinity a column of each kind needs so that a value is stored as the kind's checks expect it. */
const expectedAffinity: Record<FieldRule['kind'], ReturnType<typeof affinity>> = {
  id: 'TEXT',
  ref: 'TEXT',
  text: 'TEXT',
  key: 'TEXT',
  choice: 'TEXT',
  period: 'TEXT',
  int: 'INTEGER',
  year: 'INTEGER',
  bool: 'INTEGER',
  number: 'REAL',
};

const nullable = (rule: FieldRule) => ('nullable' in rule ? rule.nullable : false);
const entry = (t: (typeof planTableNames)[number]): TableEntry => planTables[t];

describe('the registry matches the schema the migrations build', () => {
  it('names exactly the plan tables of a fresh database (besides the change log)', () => {
    const tables = (sqliteOf(db).prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
    expect(tables.filter((t) => t !== 'change_set' && t !== 'change').sort()).toEqual([...planTableNames].sort());
  });

  it.each(planTableNames)('%s: every column in order, with its NOT NULL, affinity, primary key and no default', (table) => {
    const info = columnInfo(table);
    const columns = Object.entries(entry(table).columns);
    expect(info.map((c) => c.name)).toEqual(columns.map(([name]) => name));
    for (const [i, [name, rule]] of columns.entries()) {
      const c = info[i]!;
      expect({ column: name, notNull: c.notnull === 1, affinity: affinity(c.type), primaryKey: c.pk === 1, default: c.dflt_value }).toEqual({
        column: name,
        notNull: !nullable(rule),
        affinity: expectedAffinity[rule.kind],
        primaryKey: rule.kind === 'id',
        default: null,
      });
    }
  });

  it.each(planTableNames)('%s: its foreign keys are exactly its references, and exactly its ref columns', (table) => {
    const e = entry(table);
    const key = (column: string, target: string) => `${column} → ${target}.id`;
    const fromSchema = foreignKeys(table).map((f) => key(f.from, f.table));
    const fromReferences = e.references.map((r) => key(r.column, r.table));
    const fromColumns = Object.entries(e.columns).flatMap(([column, rule]) => (rule.kind === 'ref' ? [key(column, rule.table)] : []));
    expect(foreignKeys(table).every((f) => f.to === 'id')).toBe(true);
    expect(fromSchema.sort()).toEqual(fromReferences.sort());
    expect(fromColumns.sort()).toEqual(fromReferences.sort());
  });
});

describe('every column an entry names is a column of its table', () => {
  it.each(planTableNames)('%s', (table) => {
    const e = entry(table);
    const own = new Set(Object.keys(e.columns));
    const parents = e.parent === null ? [] : 'either' in e.parent ? e.parent.either : [e.parent];
    const named = [
      ...parents.map((p) => p.column),
      ...e.references.flatMap((r) => [r.column, ...(typeof r.onDelete === 'string' ? [] : [r.onDelete.ifSet])]),
      ...(e.ordering ? [...e.ordering.columns, ...e.ordering.siblingsBy, ...(e.ordering.moveWithin ?? [])] : []),
      ...(e.links ? [e.links.parentColumn, e.links.unitColumn] : []),
      ...(e.perYear ? [e.perYear.yearColumn, ...e.perYear.values] : []),
      ...(e.newRow ? [...e.newRow.inherit, ...Object.keys(e.newRow.values ?? {})] : []),
      ...(e.units.via === 'column' ? [e.units.column, ...(e.units.unlessSet ? [e.units.unlessSet] : [])] : []),
      ...Object.keys(e.labels),
    ];
    expect(named.filter((c) => !own.has(c))).toEqual([]);
    // A parent is a reference to the parent's table; a child named by goesWithLastChild has the column.
    for (const p of parents) expect(e.references.some((r) => r.column === p.column && r.table === p.table), `${table}.${p.column}`).toBe(true);
    if (e.goesWithLastChild) expect(Object.keys(entry(e.goesWithLastChild.child).columns)).toContain(e.goesWithLastChild.column);
    // Parents come before their children in the table order (rows are inserted in it).
    for (const r of e.references) expect(planTableNames.indexOf(r.table), `${table}.${r.column}`).toBeLessThan(planTableNames.indexOf(table));
  });
});

describe("the merge's view is the registry's", () => {
  it('folds the per-year and link tables into their parents; each link is a list of units of its parent', () => {
    const folded = planTableNames.filter((t) => entry(t).perYear !== undefined || entry(t).links !== undefined);
    expect(Object.keys(planSchema).sort()).toEqual(planTableNames.filter((t) => !folded.includes(t)).sort());
    expect(planSchema.action_row!.lists).toEqual([{ column: UNITS_COLUMN, table: 'unit' }]);
    expect(planSchema.theme!.lists).toEqual([]);
    expect(planSchema.action_row!.orderColumns).toEqual(['page', 'position']);
    // A target with a table row only loses its branch when the branch goes; a branch's own target goes with it.
    const unitRef = planSchema.target!.refs.find((r) => r.column === 'unit_id')!;
    expect([unitRef.onDelete({ id: 't', row_id: 'r', unit_id: 'u' }), unitRef.onDelete({ id: 't', row_id: null, unit_id: 'u' })]).toEqual(['nullify', 'cascade']);
    expect(planSchema.target!.owner({ id: 't', row_id: null, unit_id: 'u' })).toEqual({ table: 'unit', id: 'u' });
  });
});

describe("a new row's values are the registry's", () => {
  const ids = { newId: () => '00000000-0000-4000-8000-000000000009' };
  it('a new target takes its theme, unit, kind and direction from the one it is put after', () => {
    const above = { id: 'a', row_id: 'r', theme_id: 't', unit_id: null, unit: '件', kind: 'rate', direction: 'at_most', label: '前の目標', note: '備考' };
    expect(newRowFrom(ids, 'target', above)).toMatchObject({ row_id: 'r', theme_id: 't', unit_id: null, unit: '件', kind: 'rate', direction: 'at_most', label: '', note: null });
  });
  it('a new target with none above it (a colleague\'s first one) is cumulative and at least, as the import always made it', () => {
    expect(newRowFrom(ids, 'target', undefined)).toEqual({
      id: ids.newId(),
      row_id: null,
      theme_id: null,
      unit_id: null,
      key: null,
      position: null,
      label: '',
      unit: '',
      kind: 'cumulative',
      direction: 'at_least',
      baseline_value: null,
      baseline_year: null,
      baseline_text: null,
      term_goal_value: null,
      term_goal_text: null,
      note: null,
    });
  });
});

describe("the grids' fields write the registry's columns", () => {
  const fieldType = { text: 'text', number: 'number', year: 'year', bool: 'bool', choice: 'enum' } as const;
  it('each editable field writes exactly one column, of the kind its input is parsed to', () => {
    const written: string[] = [];
    for (const [table, columns] of Object.entries(gridColumns) as [keyof typeof gridColumns, Record<string, string | null>][]) {
      const entity = gridTables[table];
      for (const [column, field] of Object.entries(columns)) {
        if (field === null) continue;
        written.push(`${entity}.${field}`);
        const spec = fieldSpec(entity, field)!;
        const rule = entry(table).columns[column]!;
        expect({ field: `${entity}.${field}`, type: spec.type, perYear: spec.perYear ?? false }).toEqual({
          field: `${entity}.${field}`,
          type: fieldType[rule.kind as keyof typeof fieldType],
          perYear: entry(table).perYear !== undefined,
        });
        if (rule.kind === 'choice') expect(spec.options).toEqual(rule.options);
        expect(storedAt(entity, field)).toEqual({ table, column });
      }
    }
    const fields = Object.entries(editableFields).flatMap(([entity, fs]) => Object.keys(fs).map((f) => `${entity}.${f}`));
    expect(written.sort()).toEqual(fields.sort());
    expect(storedAt('target', 'planValue')).toEqual({ table: 'target_value', column: 'plan_value' });
    expect(storedAt('theme', 'nothing')).toBeUndefined();
    // The table whose row ids a grid's cells carry (a year's cells are stored beside it).
    expect(Object.fromEntries(Object.keys(editableFields).map((e) => [e, tableOf(e as keyof typeof editableFields)]))).toEqual({
      actionRow: 'action_row',
      theme: 'theme',
      target: 'target',
      unitFocus: 'unit_focus',
      overviewItem: 'overview_item',
    });
  });
});

describe('the row types are derived from the registry', () => {
  it('keeps literal kinds: choices as unions, nullable columns with null', () => {
    expectTypeOf<RowOf<'target'>['kind']>().toEqualTypeOf<'cumulative' | 'level' | 'final_volume' | 'rate' | 'maintain' | 'money'>();
    expectTypeOf<RowOf<'target'>['note']>().toEqualTypeOf<string | null>();
    expectTypeOf<RowOf<'target'>['label']>().toEqualTypeOf<string>();
    expectTypeOf<RowOf<'target'>['baseline_year']>().toEqualTypeOf<number | null>();
    expectTypeOf<RowOf<'overview_item'>['is_new']>().toEqualTypeOf<number>();
    expectTypeOf<RowOf<'pillar'>['kind']>().toEqualTypeOf<'pillar' | 'principle'>();
    expectTypeOf<ColumnOf<'year_plan'>>().toEqualTypeOf<'id' | 'row_id' | 'fiscal_year' | 'text'>();
    expectTypeOf<Selectable<DB['target']>>().toEqualTypeOf<RowOf<'target'>>();
    // The type checker checks the lines above; at run time, the rules they come from say the same.
    expect(planTables.target.columns.kind.options).toEqual(['cumulative', 'level', 'final_volume', 'rate', 'maintain', 'money']);
    expect([planTables.target.columns.note.nullable, planTables.target.columns.label.nullable]).toEqual([true, false]);
  });
});
