import { targetDirections, targetKinds } from '../domain/editable-fields';
import { UnitKind } from '../domain/units';
import { excerpt } from '../contract/excerpt';

/**
 * The field rules: for every column of every plan table, what kind of value it holds. Every value
 * that reaches the database — a typed cell, a paste, a fill-in workbook, an export read back, a
 * colleague's database, a dump — is checked here (`checkStored`), and the schema's CHECK
 * constraints are generated from the same rules (electron/db/field-checks-sql.ts). One kind, one
 * validator, one Japanese message.
 */

/** Characters allowed in no text: the C0 controls except tab (9) and newline (10), DEL and the C1 controls. */
export const controlRanges: readonly (readonly [number, number])[] = [
  [0x00, 0x08],
  [0x0b, 0x1f],
  [0x7f, 0x9f],
];
// eslint-disable-next-line no-control-regex -- the very characters this rule refuses
const controlPattern = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const controlPatternAll = new RegExp(controlPattern.source, 'g');

/** Fiscal years a plan may name (the same range the grid accepts). */
export const fiscalYearRange = { min: 1900, max: 2200 } as const;
/** Positions, numbers, pages: whole numbers well inside what every engine and JavaScript hold exactly. */
export const intRange = { min: -1_000_000_000_000, max: 1_000_000_000_000 } as const;
/** Text lengths in characters: names, one-line texts, paragraphs. */
export const textLimits = { name: 200, line: 2_000, paragraph: 50_000 } as const;
export const keyPattern = /^[a-z0-9][a-z0-9-]*$/;
export const KEY_MAX = 100;
export const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export type FieldRule =
  /** The row's own id: a UUID. */
  | { kind: 'id' }
  /** The id of a row of another table. */
  | { kind: 'ref'; table: string; nullable: boolean }
  /** Text without control characters other than newline and tab, at most `max` characters; `nonEmpty`: '' is refused (null may still be allowed). */
  | { kind: 'text'; max: number; nullable: boolean; nonEmpty: boolean }
  /** A seed key: lower-case ASCII letters, digits and hyphens (or the row's UUID). */
  | { kind: 'key'; nullable: boolean }
  | { kind: 'int'; min: number; max: number; nullable: boolean }
  /** Any finite number. */
  | { kind: 'number'; nullable: boolean }
  | { kind: 'year'; nullable: boolean }
  | { kind: 'choice'; options: readonly string[]; nullable: boolean }
  /** 0 or 1. */
  | { kind: 'bool' }
  /** A focus period: 'term' or a fiscal year written as text ('2020'). */
  | { kind: 'period' };

const id = (): FieldRule => ({ kind: 'id' });
const ref = (table: string, nullable = false): FieldRule => ({ kind: 'ref', table, nullable });
const text = (size: keyof typeof textLimits, o: { nullable?: boolean; nonEmpty?: boolean } = {}): FieldRule => ({
  kind: 'text',
  max: textLimits[size],
  nullable: o.nullable ?? false,
  nonEmpty: o.nonEmpty ?? false,
});
/** Text that is either absent (null) or says something: the dump writes it only when present. */
const optional = (size: keyof typeof textLimits): FieldRule => text(size, { nullable: true, nonEmpty: true });
const key = (nullable = true): FieldRule => ({ kind: 'key', nullable });
const int = (min: number = intRange.min, nullable = false, max: number = intRange.max): FieldRule => ({ kind: 'int', min, max, nullable });
const position = (): FieldRule => int();
const number = (): FieldRule => ({ kind: 'number', nullable: true });
const year = (nullable = false): FieldRule => ({ kind: 'year', nullable });
const choice = (options: readonly string[]): FieldRule => ({ kind: 'choice', options, nullable: false });

/** Every column of every plan table, in the tables' column order. A test checks it against a fresh database. */
export const tableRules = {
  plan: {
    id: id(),
    title: text('line', { nonEmpty: true }),
    period_label: text('line', { nonEmpty: true }),
    start_year: year(),
    end_year: year(),
    slogan: text('line', { nonEmpty: true }),
    slogan_subtitle: text('line'),
    missions_title: text('line'),
    vision_title: text('line'),
    challenges_title: text('line'),
    common_goal_title: text('line'),
    financial_title: text('line'),
  },
  plan_list_item: { id: id(), plan_id: ref('plan'), list: choice(['mission', 'common_goal']), position: position(), text: text('paragraph', { nonEmpty: true }) },
  challenge_group: { id: id(), plan_id: ref('plan'), position: position(), heading: text('line', { nonEmpty: true }) },
  challenge: { id: id(), group_id: ref('challenge_group'), position: position(), no: int(), text: text('paragraph', { nonEmpty: true }) },
  pillar: { id: id(), plan_id: ref('plan'), key: key(false), kind: choice(['pillar', 'principle']), no: int(), name: text('line', { nonEmpty: true }), position: position() },
  unit: { id: id(), kind: choice(UnitKind.options), name: text('name', { nonEmpty: true }), short_name: optional('name'), position: position() },
  action_row: {
    id: id(),
    plan_id: ref('plan'),
    key: key(),
    page: int(1, false, 1000),
    position: position(),
    heading: optional('line'),
    band_pillar_id: ref('pillar', true),
    term_plan: text('paragraph'),
  },
  theme: { id: id(), row_id: ref('action_row'), key: key(), position: position(), text: text('paragraph'), pillar_id: ref('pillar', true) },
  // '' is allowed: earlier versions could store it from an import (a cleared cell is no row at all now).
  year_plan: { id: id(), row_id: ref('action_row'), fiscal_year: year(), text: text('paragraph') },
  assignment: { id: id(), row_id: ref('action_row'), unit_id: ref('unit'), position: position() },
  target: {
    id: id(),
    row_id: ref('action_row', true),
    theme_id: ref('theme', true),
    unit_id: ref('unit', true),
    key: key(),
    position: position(),
    label: text('line'),
    unit: text('name'),
    kind: choice(targetKinds),
    direction: choice(targetDirections),
    baseline_value: number(),
    baseline_year: year(true),
    baseline_text: optional('line'),
    term_goal_value: number(),
    term_goal_text: optional('line'),
    note: text('paragraph', { nullable: true }),
  },
  target_value: { id: id(), target_id: ref('target'), fiscal_year: year(), plan_value: number(), plan_text: optional('line'), actual_value: number() },
  unit_focus: { id: id(), plan_id: ref('plan'), period: { kind: 'period' }, group_heading: optional('line'), position: position(), text: text('paragraph') },
  unit_focus_unit: { id: id(), focus_id: ref('unit_focus'), unit_id: ref('unit'), position: position() },
  joint_project: {
    id: id(),
    plan_id: ref('plan'),
    key: key(),
    fiscal_year: year(),
    position: position(),
    title: text('line', { nonEmpty: true }),
    project_names: text('paragraph'),
    text: text('paragraph', { nonEmpty: true }),
  },
  joint_project_unit: { id: id(), project_id: ref('joint_project'), unit_id: ref('unit'), position: position() },
  overview_section: { id: id(), plan_id: ref('plan'), key: key(), fiscal_year: year(), position: position(), title: text('line', { nonEmpty: true }), subtitle: optional('line') },
  overview_group: { id: id(), section_id: ref('overview_section'), position: position(), heading: optional('line'), category: optional('line') },
  overview_item: { id: id(), group_id: ref('overview_group'), position: position(), no: int(intRange.min, true), text: text('paragraph'), is_new: { kind: 'bool' }, row_id: ref('action_row', true) },
  financial_year: { id: id(), plan_id: ref('plan'), fiscal_year: year(), text: text('paragraph', { nonEmpty: true }), amount_yen: number() },
} as const satisfies Record<string, Record<string, FieldRule>>;

export type RuledTable = keyof typeof tableRules;

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
