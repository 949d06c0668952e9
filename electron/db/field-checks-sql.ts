import { type Columns, controlRanges, fiscalYearRange, KEY_MAX, type FieldRule } from '../../shared/model/field-rules';

/**
 * The field rules (shared/model/field-rules.ts) as SQL: column types, NOT NULL, references and
 * CHECK constraints, so the schema refuses what the rules refuse. Only the primitives differ
 * between engines; SQLite is built now, PostgreSQL later gets its own `Dialect` (typeof → pg_typeof
 * or the column type itself, glob → SIMILAR TO / ~, char(n) → chr(n)).
 */

export interface Dialect {
  /** The column's stored value is of this kind (SQLite stores any type in any column, so it is checked). */
  isText(c: string): string;
  isInteger(c: string): string;
  isNumber(c: string): string;
  chars(c: string): string;
  /** The text holds a character of the refused control ranges (including NUL). */
  hasControl(c: string): string;
  isUuid(c: string): string;
  isKeyText(c: string): string;
  columnType(kind: 'text' | 'integer' | 'real'): string;
}

const hex = '[0-9a-fA-F]';
const uuidGlob = [8, 4, 4, 4, 12].map((n) => hex.repeat(n)).join('-');
// NUL cannot stand in a glob pattern: it is looked for with instr() instead.
const charClass = controlRanges
  .map(([from, to]) => `char(${Math.max(from, 1)}) || '-' || char(${to})`)
  .join(' || ');

export const sqliteDialect: Dialect = {
  isText: (c) => `typeof(${c}) = 'text'`,
  isInteger: (c) => `typeof(${c}) = 'integer'`,
  // abs(x) < 9e999: finite (9e999 is SQLite's infinity; NaN is stored as NULL).
  isNumber: (c) => `typeof(${c}) in ('integer', 'real') and abs(${c}) < 9e999`,
  // length() stops at a NUL, so NUL is looked for separately.
  chars: (c) => `length(${c})`,
  hasControl: (c) => `(instr(${c}, char(0)) > 0 or ${c} glob '*[' || ${charClass} || ']*')`,
  isUuid: (c) => `(length(${c}) = 36 and ${c} glob '${uuidGlob}')`,
  isKeyText: (c) => `(${c} glob '[a-z0-9]*' and ${c} not glob '*[^a-z0-9-]*')`,
  columnType: (kind) => kind,
};

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The condition a non-null value must meet. */
export function valueCheck(column: string, rule: FieldRule, d: Dialect = sqliteDialect): string {
  const c = q(column);
  switch (rule.kind) {
    case 'id':
    case 'ref':
      return `${d.isText(c)} and ${d.isUuid(c)}`;
    case 'text':
      return `${d.isText(c)} and ${d.chars(c)} <= ${rule.max}${rule.nonEmpty ? ` and ${d.chars(c)} > 0` : ''} and not ${d.hasControl(c)}`;
    case 'key':
      return `${d.isText(c)} and ${d.chars(c)} <= ${KEY_MAX} and (${d.isUuid(c)} or ${d.isKeyText(c)})`;
    case 'int':
      return `${d.isInteger(c)} and ${c} between ${rule.min} and ${rule.max}`;
    case 'number':
      return d.isNumber(c);
    case 'year':
      return `${d.isInteger(c)} and ${c} between ${fiscalYearRange.min} and ${fiscalYearRange.max}`;
    case 'choice':
      return `${d.isText(c)} and ${c} in (${rule.options.map(literal).join(', ')})`;
    case 'bool':
      return `${d.isInteger(c)} and ${c} in (0, 1)`;
    case 'period':
      return `${d.isText(c)} and (${c} = 'term' or (${d.chars(c)} = 4 and ${c} glob '[0-9][0-9][0-9][0-9]' and cast(${c} as integer) between ${fiscalYearRange.min} and ${fiscalYearRange.max}))`;
  }
}

function storageType(rule: FieldRule): 'text' | 'integer' | 'real' {
  if (rule.kind === 'number') return 'real';
  if (rule.kind === 'int' || rule.kind === 'year' || rule.kind === 'bool') return 'integer';
  return 'text';
}

/** One column's definition: type, primary key, NOT NULL, reference and CHECK. */
export function columnDefinition(column: string, rule: FieldRule, d: Dialect = sqliteDialect): string {
  const parts = [q(column), d.columnType(storageType(rule))];
  if (rule.kind === 'id') parts.push('primary key');
  const nullable = rule.kind === 'ref' || rule.kind === 'text' || rule.kind === 'key' || rule.kind === 'int' || rule.kind === 'number' || rule.kind === 'year' || rule.kind === 'choice' ? rule.nullable : false;
  if (!nullable) parts.push('not null');
  if (rule.kind === 'ref') parts.push(`references ${q(rule.table)} (${q('id')})`);
  // typeof(NULL) is 'null', not NULL: a nullable column's check lets NULL through explicitly.
  parts.push(nullable ? `check (${q(column)} is null or (${valueCheck(column, rule, d)}))` : `check (${valueCheck(column, rule, d)})`);
  return parts.join(' ');
}

/**
 * CREATE TABLE for a plan table, under `name` (the rebuild creates it beside the old one first).
 * `columns`: the table's columns as the calling migration knows them, always given (never the
 * registry's: a migration that has shipped must not pick up columns added later).
 */
export function createTableSql(table: string, columns: Columns, name: string = table, d: Dialect = sqliteDialect): string {
  const rules: Record<string, FieldRule> = columns;
  return `create table ${q(name)} (${Object.entries(rules)
    .map(([column, rule]) => columnDefinition(column, rule, d))
    .join(', ')})`;
}
