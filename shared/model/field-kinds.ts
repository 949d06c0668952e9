/**
 * The field kinds: what kind of value a column of a plan table holds, and the constructors the
 * registry (shared/model/registry.ts and its table modules) writes its columns with. The
 * constructors keep their arguments as literal types — a nullable column says `nullable: true`, a
 * choice lists its options as a tuple — so that the row types of the database (`RowOf` in
 * registry.ts, the Kysely tables of electron/db/schema.ts) are derived from the same columns
 * (`StoredValue`). The checks of a value (`checkStored`) live in field-rules.ts.
 */

/** Fiscal years a plan may name (the same range the grid accepts). */
export const fiscalYearRange = { min: 1900, max: 2200 } as const;
/** Positions, numbers, pages: whole numbers well inside what every engine and JavaScript hold exactly. */
export const intRange = { min: -1_000_000_000_000, max: 1_000_000_000_000 } as const;
/** Text lengths in characters: names, one-line texts, paragraphs. */
export const textLimits = { name: 200, line: 2_000, paragraph: 50_000 } as const;

/** The row's own id: a UUID. */
export interface IdRule {
  readonly kind: 'id';
}
/** The id of a row of another table. */
export interface RefRule<N extends boolean = boolean, T extends string = string> {
  readonly kind: 'ref';
  readonly table: T;
  readonly nullable: N;
}
/** Text without control characters other than newline and tab, at most `max` characters; `nonEmpty`: '' is refused (null may still be allowed). */
export interface TextRule<N extends boolean = boolean> {
  readonly kind: 'text';
  readonly max: number;
  readonly nullable: N;
  readonly nonEmpty: boolean;
  /** The text may carry emphasised phrases as `**…**` marks (shared/text/emphasis.ts), printed bold. */
  readonly emphasis?: boolean;
}
/** A seed key: lower-case ASCII letters, digits and hyphens (or the row's UUID). */
export interface KeyRule<N extends boolean = boolean> {
  readonly kind: 'key';
  readonly nullable: N;
}
export interface IntRule<N extends boolean = boolean> {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  readonly nullable: N;
}
/** Any finite number. */
export interface NumberRule<N extends boolean = boolean> {
  readonly kind: 'number';
  readonly nullable: N;
}
export interface YearRule<N extends boolean = boolean> {
  readonly kind: 'year';
  readonly nullable: N;
}
export interface ChoiceRule<O extends readonly string[] = readonly string[], N extends boolean = boolean> {
  readonly kind: 'choice';
  readonly options: O;
  readonly nullable: N;
}
/** 0 or 1. */
export interface BoolRule {
  readonly kind: 'bool';
}
/** A focus period: 'term' or a fiscal year written as text ('2020'). */
export interface PeriodRule {
  readonly kind: 'period';
}

export type FieldRule = IdRule | RefRule | TextRule | KeyRule | IntRule | NumberRule | YearRule | ChoiceRule | BoolRule | PeriodRule;

/** A table's columns in the table's column order: name → rule. */
export type Columns = Readonly<Record<string, FieldRule>>;

export const id = (): IdRule => ({ kind: 'id' });
// Overloads, not a default type argument: a default would give way to the type the call is expected
// to have (a plain FieldRule, nullable: boolean) and lose the literal.
export function ref<T extends string>(table: T): RefRule<false, T>;
export function ref<T extends string, N extends boolean>(table: T, nullable: N): RefRule<N, T>;
export function ref(table: string, nullable = false): RefRule {
  return { kind: 'ref', table, nullable };
}
export function text(size: keyof typeof textLimits, o?: { nonEmpty?: boolean; emphasis?: boolean }): TextRule<false>;
export function text<N extends boolean>(size: keyof typeof textLimits, o: { nullable: N; nonEmpty?: boolean; emphasis?: boolean }): TextRule<N>;
export function text(size: keyof typeof textLimits, o: { nullable?: boolean; nonEmpty?: boolean; emphasis?: boolean } = {}): TextRule {
  return { kind: 'text', max: textLimits[size], nullable: o.nullable ?? false, nonEmpty: o.nonEmpty ?? false, emphasis: o.emphasis ?? false };
}
/** Text that is either absent (null) or says something: the dump writes it only when present. */
export const optional = (size: keyof typeof textLimits): TextRule<true> => text(size, { nullable: true, nonEmpty: true });
export function key(): KeyRule<true>;
export function key<N extends boolean>(nullable: N): KeyRule<N>;
export function key(nullable = true): KeyRule {
  return { kind: 'key', nullable };
}
export function int(min?: number): IntRule<false>;
export function int<N extends boolean>(min: number, nullable: N, max?: number): IntRule<N>;
export function int(min: number = intRange.min, nullable = false, max: number = intRange.max): IntRule {
  return { kind: 'int', min, max, nullable };
}
/** An order among siblings (any whole number; rows are renumbered on a move). */
export const position = (): IntRule<false> => int();
/** A number that may be absent. */
export const number = (): NumberRule<true> => ({ kind: 'number', nullable: true });
export function year(): YearRule<false>;
export function year<N extends boolean>(nullable: N): YearRule<N>;
export function year(nullable = false): YearRule {
  return { kind: 'year', nullable };
}
export const choice = <const O extends readonly string[]>(options: O): ChoiceRule<O, false> => ({ kind: 'choice', options, nullable: false });
export const bool = (): BoolRule => ({ kind: 'bool' });
export const period = (): PeriodRule => ({ kind: 'period' });

/** What a value of each kind is in JavaScript (and in the database: SQLite's text, integer, real). */
interface KindValues {
  id: string;
  ref: string;
  text: string;
  key: string;
  int: number;
  number: number;
  year: number;
  bool: number;
  period: string;
}
/** `[N]`: a nullable flag that is not known to be false (plain `boolean`) may be null. */
type OrNull<V, N> = [N] extends [false] ? V : V | null;

/** The value a column of this rule holds as stored: `StoredValue<ChoiceRule<['a', 'b'], false>>` is `'a' | 'b'`. */
export type StoredValue<R> =
  R extends ChoiceRule<infer O, infer N>
    ? OrNull<O[number], N>
    : R extends { kind: infer K extends keyof KindValues; nullable: infer N }
      ? OrNull<KindValues[K], N>
      : R extends { kind: infer K extends keyof KindValues }
        ? KindValues[K]
        : never;

/** A row of a table with these columns, as stored. */
export type StoredRow<C extends Columns> = { -readonly [K in keyof C]: StoredValue<C[K]> };
