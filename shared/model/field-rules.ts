import { canonicalEmphasis } from '../text/emphasis';
import { excerpt } from '../text/excerpt';
import { type FieldRule, fiscalYearRange, int, text } from './field-kinds';
import { type PlanTableName, planTableNames, planTables, type TableColumns } from './registry';

/**
 * The field rules: for every column of every plan table, what kind of value it holds. Every value
 * that reaches the database — a typed cell, a paste, a fill-in workbook, an export read back, a
 * colleague's database, a dump — is checked here (`checkStored`), and the schema's CHECK
 * constraints are generated from the same rules (electron/db/field-checks-sql.ts). One kind, one
 * validator, one Japanese message. The kinds and their constructors are in field-kinds.ts, each
 * table's columns in its registry entry (registry.ts); `tableRules` is read from there.
 */

export { type Columns, type FieldRule, fiscalYearRange, intRange, type StoredValue, textLimits } from './field-kinds';

/** Characters allowed in no text: the C0 controls except tab (9) and newline (10), DEL and the C1 controls. */
export const controlRanges: readonly (readonly [number, number])[] = [
  [0x00, 0x08],
  [0x0b, 0x1f],
  [0x7f, 0x9f],
];
// eslint-disable-next-line no-control-regex -- the very characters this rule refuses
const controlPattern = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const controlPatternAll = new RegExp(controlPattern.source, 'g');

export const keyPattern = /^[a-z0-9][a-z0-9-]*$/;
export const KEY_MAX = 100;
export const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Every column of every plan table, in the tables' column order: the registry's columns. A test checks them against a fresh database. */
export const tableRules: TableColumns = Object.fromEntries(planTableNames.map((t) => [t, planTables[t].columns])) as TableColumns;

export type RuledTable = PlanTableName;

/** The change log's list of change sets, as far as an import reads it from another file (time, user and label are shown). */
export const changeSetRules = {
  id: int(1),
  at: text('name', { nonEmpty: true }),
  user: text('name'),
  label: text('line'),
} as const satisfies Record<string, FieldRule>;

export function isRuledTable(table: string): table is RuledTable {
  return Object.hasOwn(tableRules, table);
}

/** The columns of a table, in order (the ones the model knows; a file may have more, which are never read). */
export function columnsOf(table: RuledTable): string[] {
  return Object.keys(tableRules[table]);
}

export function ruleOf(table: string, column: string): FieldRule | undefined {
  if (!isRuledTable(table)) return undefined;
  const rules: Record<string, FieldRule> = tableRules[table];
  return Object.hasOwn(rules, column) ? rules[column] : undefined;
}

export const isNullable = (r: FieldRule): boolean => r.kind !== 'id' && r.kind !== 'bool' && r.kind !== 'period' && r.nullable;

/** Code points, counted without copying a short string. */
function charCount(s: string, limit: number): number {
  if (s.length <= limit) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

const kindOf = (v: unknown): string =>
  v === null || v === undefined ? '空' : typeof v === 'string' ? '文字' : typeof v === 'number' || typeof v === 'bigint' ? '数値' : v instanceof Uint8Array ? 'バイナリ' : '不明な形式の値';

/**
 * The form a value is stored in: a text of a field that carries emphasis in its canonical form
 * (shared/text/emphasis.ts: the form a printed workbook reads back as); anything else as it is.
 * Every write path (a cell edit, an import) stores this form.
 */
export function storedForm<V>(rule: FieldRule, value: V): V | string {
  return rule.kind === 'text' && rule.emphasis && typeof value === 'string' ? canonicalEmphasis(value) : value;
}

/**
 * Checks a value as it is (or would be) stored. Returns null when it is allowed, else a short
 * Japanese reason that quotes at most a short excerpt of the value.
 */
export function checkStored(rule: FieldRule, value: unknown): string | null {
  if (value === null || value === undefined) return isNullable(rule) ? null : '値が空です（この欄は省略できません）。';
  if (value instanceof Uint8Array) return 'バイナリデータが入っています（文字か数値が必要です）。';
  switch (rule.kind) {
    case 'id':
    case 'ref':
      return typeof value === 'string' && uuidPattern.test(value) ? null : `「${excerpt(value)}」は ID（UUID）の形式ではありません。`;
    case 'text': {
      if (typeof value !== 'string') return `文字が入るべきところに${kindOf(value)}（${excerpt(value)}）が入っています。`;
      if (rule.nonEmpty && value === '') return '空の文字列です（この欄は空にできません）。';
      const n = charCount(value, rule.max);
      if (n > rule.max) return `文字数が多すぎます（${n.toLocaleString('ja-JP')} 文字、上限 ${rule.max.toLocaleString('ja-JP')} 文字）。`;
      if (unwantedCharacter(value)) return `制御文字（改行とタブ以外）か壊れた文字（${unwantedCharacter(value)}）が含まれています（「${excerpt(value)}」）。`;
      return null;
    }
    case 'key':
      return typeof value === 'string' && value.length <= KEY_MAX && (keyPattern.test(value) || uuidPattern.test(value))
        ? null
        : `「${excerpt(value)}」はキーとして使えません（英小文字・数字・ハイフンのみ）。`;
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max) return null;
      return `「${excerpt(value)}」は整数（${rule.min.toLocaleString('ja-JP')}〜${rule.max.toLocaleString('ja-JP')}）ではありません。`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `数値が入るべきところに${kindOf(value)}（${excerpt(value)}）が入っています。`;
    case 'year':
      return typeof value === 'number' && Number.isInteger(value) && value >= fiscalYearRange.min && value <= fiscalYearRange.max
        ? null
        : `「${excerpt(value)}」は年度として読めません（${fiscalYearRange.min}〜${fiscalYearRange.max} の整数、例: 2020）。`;
    case 'choice':
      return typeof value === 'string' && rule.options.includes(value) ? null : `「${excerpt(value)}」は選択肢（${rule.options.join('・')}）にありません。`;
    case 'bool':
      return value === 0 || value === 1 ? null : `「${excerpt(value)}」は 0 か 1 ではありません（はい・いいえの欄です）。`;
    case 'period': {
      if (value === 'term') return null;
      const y = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN;
      return y >= fiscalYearRange.min && y <= fiscalYearRange.max ? null : `「${excerpt(value)}」は期間（term か 2020 のような年度）ではありません。`;
    }
  }
}

/**
 * Line breaks other than a newline: Windows and old Mac line ends, and the vertical tab, form feed,
 * line and paragraph separators that PowerPoint, Word and some PDFs put in pasted text as a soft
 * line break. The rules refuse the controls among them, but the writer meant a line break.
 */
// eslint-disable-next-line no-control-regex -- the vertical tab and form feed are line breaks here
const lineBreakPattern = /\r\n?|[\u000b\u000c\u2028\u2029]/g;

/** Text as every source should hand it over (a typed cell stores this): every line break is a newline. */
export const normalizeText = (s: string): string => s.replace(lineBreakPattern, '\n');

/**
 * Text written by an earlier version, as the rules allow it now: line breaks as a typed cell stores
 * them (normalizeText), and the other control characters the rules refuse removed (schema 2's
 * migration; the backup taken before a migration keeps the original values).
 */
export const cleanedText = (s: string): string => normalizeText(s).replace(controlPatternAll, '');

/** A lone half of a surrogate pair: not a character at all (a database would store U+FFFD instead). */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The first character no text of the plan may hold, as U+XXXX, or null: the controls the rules
 * refuse and lone surrogates. The one test of characters, for typed cells, workbooks and databases.
 */
export function unwantedCharacter(text: string): string | null {
  const m = controlPattern.exec(text) ?? loneSurrogate.exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** Where a bad value sits, for the messages: 「表 target、行 3（id …）、列 note」. */
export function placeJa(table: string, column: string, row?: { index?: number; id?: unknown }): string {
  const at = row?.index !== undefined ? `、${row.index} 行目` : '';
  const id = row?.id !== undefined && row.id !== null ? `（id ${excerpt(row.id, 40)}）` : '';
  return `表「${table}」${at}${id}、列「${column}」`;
}
