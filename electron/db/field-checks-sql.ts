import { type Columns, controlRanges, fiscalYearRange, KEY_MAX, type FieldRule } from '../../shared/model/field-rules';

/**
 * The field rules (shared/model/field-rules.ts) as SQL: column types, NOT NULL, references and
 * CHECK constraints, so the schema refuses what the rules refuse. Only the primitives differ
 * between engines (`Dialect`): SQLite stores any value in any column, so its checks ask typeof()
 * and match with glob; PostgreSQL's columns are typed (the type itself refuses a text in a number
 * column), so it checks only what the type lets through: lengths, patterns (regular expressions),
 * NaN and infinities. The SQLite text of these constraints is what schema 2 wrote into every file:
 * it must not change (a primitive returns exactly what it always did).
 */

export interface Dialect {
  /**
   * The column's stored value is of this kind (SQLite stores any type in any column, so it is
   * checked); '' when the column's type already guarantees it (PostgreSQL).
   */
  isText(c: string): string;
  isInteger(c: string): string;
  /** A finite number (an integer or a real; no NaN, no infinity). */
  isNumber(c: string): string;
  chars(c: string): string;
  /** The text holds a character of the refused control ranges (including NUL). */
  hasControl(c: string): string;
  isUuid(c: string): string;
  isKeyText(c: string): string;
  /** A text of four digits naming a fiscal year of the allowed range. */
  isYearText(c: string): string;
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
  isYearText: (c) => `(length(${c}) = 4 and ${c} glob '[0-9][0-9][0-9][0-9]' and cast(${c} as integer) between ${fiscalYearRange.min} and ${fiscalYearRange.max})`,
  columnType: (kind) => kind,
};

/** A code point as a regular expression escape of PostgreSQL (\uXXXX: exactly four hex digits). */
const pgEscape = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
// PostgreSQL's text cannot hold NUL at all (the server refuses it), so the ranges start at 1.
const pgControlClass = controlRanges.map(([from, to]) => `${pgEscape(Math.max(from, 1))}-${pgEscape(to)}`).join('');
const pgUuid = [8, 4, 4, 4, 12].map((n) => `[0-9a-fA-F]{${n}}`).join('-');

/**
 * PostgreSQL: texts are `text collate "C"` (compared and ordered by code point, as SQLite compares
 * them: an `order by` gives the same order on both engines, whatever the database's locale),
 * integers `bigint` (positions reach ±10^12; postgres-engine.ts reads int8 as a number), reals
 * `double precision`. The column type refuses a value of another kind, so isText/isInteger add
 * nothing. A `double precision` column takes 'NaN' and '±Infinity', which the rules refuse. Regular
 * expressions (`~`, anchored) replace glob; the database must be UTF8 (postgres-open.ts checks) so
 * that the control ranges above 127 are characters. PostgreSQL does not promise to evaluate `and`
 * from left to right, so the year's cast runs inside a CASE, only on four digits.
 */
export const postgresDialect: Dialect = {
  isText: () => '',
  isInteger: () => '',
  isNumber: (c) => `(${c} <> 'NaN'::float8 and abs(${c}) < 'Infinity'::float8)`,
  chars: (c) => `char_length(${c})`,
  hasControl: (c) => `(${c} ~ '[${pgControlClass}]')`,
  isUuid: (c) => `(${c} ~ '^${pgUuid}$')`,
  isKeyText: (c) => `(${c} ~ '^[a-z0-9][a-z0-9-]*$')`,
  isYearText: (c) =>
    `(case when ${c} ~ '^[0-9]{4}$' then cast(${c} as integer) between ${fiscalYearRange.min} and ${fiscalYearRange.max} else false end)`,
  columnType: (kind) => (kind === 'text' ? 'text collate "C"' : kind === 'integer' ? 'bigint' : 'double precision'),
};

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Conditions joined with `and`, leaving out those a dialect does not need (''). */
const all = (...conditions: string[]) => conditions.filter((c) => c !== '').join(' and ');

/** The condition a non-null value must meet. */
export function valueCheck(column: string, rule: FieldRule, d: Dialect = sqliteDialect): string {
  const c = q(column);
  switch (rule.kind) {
    case 'id':
    case 'ref':
      return all(d.isText(c), d.isUuid(c));
    case 'text':
      return all(d.isText(c), `${d.chars(c)} <= ${rule.max}`, rule.nonEmpty ? `${d.chars(c)} > 0` : '', `not ${d.hasControl(c)}`);
    case 'key':
      return all(d.isText(c), `${d.chars(c)} <= ${KEY_MAX}`, `(${d.isUuid(c)} or ${d.isKeyText(c)})`);
    case 'int':
      return all(d.isInteger(c), `${c} between ${rule.min} and ${rule.max}`);
    case 'number':
      return d.isNumber(c);
    case 'year':
      return all(d.isInteger(c), `${c} between ${fiscalYearRange.min} and ${fiscalYearRange.max}`);
    case 'choice':
      return all(d.isText(c), `${c} in (${rule.options.map(literal).join(', ')})`);
    case 'bool':
      return all(d.isInteger(c), `${c} in (0, 1)`);
    case 'period':
      return all(d.isText(c), `(${c} = 'term' or ${d.isYearText(c)})`);
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
