import { CompiledQuery } from 'kysely';
import { cleanedText, type Columns, type FieldRule } from '../../../shared/model/field-rules';
import { createTableSql } from '../field-checks-sql';
import * as m001 from './001-initial';
import { v2Columns } from './002-field-checks-columns';

/**
 * Schema 2: every plan table gets the CHECK constraints of the field rules (types, lengths,
 * choices, 0/1, fiscal years, no control characters). SQLite cannot add a CHECK to a table, so each
 * table is rebuilt by SQLite's 12-step procedure (https://sqlite.org/lang_altertable.html#otheralter):
 * `migrate` turns foreign keys off outside the transaction and runs `PRAGMA foreign_key_check`
 * before it commits; here, per table: create the new table, copy every row (ids included), drop the
 * old one, rename, and create its indexes again (every row keeps its id). Generated from the tables,
 * columns and rules as they are at this version, frozen in 002-field-checks-columns.ts (not from the
 * registry, which grows): a later column or change of a rule needs a migration of its own.
 */

const q = (name: string) => `"${name}"`;

/** The indexes of 001 on a table (dropped with it). */
function indexesOf(table: string): CompiledQuery[] {
  return m001.up().filter((c) => /^create (unique )?index/i.test(c.sql) && new RegExp(`\\bon "${table}"`).test(c.sql));
}

/**
 * A value as copied: a text goes through `cleanedText` (shared/model/field-rules.ts, registered as
 * the SQL function below by `migrate`): its line breaks become what a typed cell stores (\r\n, \r,
 * \v, \f, U+2028, U+2029 → \n; PowerPoint and Word paste \v as a soft line break, and the previous
 * version took it) and the other control characters the rules refuse are removed, instead of
 * refusing the whole plan. The Workspace backs the file up before any migration, so the original
 * values stay recoverable from that backup. An optional text that is '' becomes NULL (what "no
 * text" is now). A text over the new length limits is never cut: open.ts reads such a file as it
 * is, read-only (over-long-text.ts). Anything else the rules refuse stops the migration with a
 * message naming it (open.ts); the file stays at schema 1.
 */
function copied(column: string, rule: FieldRule): string {
  if (rule.kind !== 'text') return q(column);
  const cleaned = `${CLEANED_TEXT}(${q(column)})`;
  return rule.nullable && rule.nonEmpty ? `nullif(${cleaned}, '')` : cleaned;
}

const CLEANED_TEXT = 'plan_cleaned_text';

/** SQL functions the statements call, registered on the connection for this migration. */
export const functions: Record<string, (value: unknown) => unknown> = {
  [CLEANED_TEXT]: (value) => (typeof value === 'string' ? cleanedText(value) : value),
};

export function up(): CompiledQuery[] {
  const out: CompiledQuery[] = [];
  const tables: Readonly<Record<string, Columns>> = v2Columns;
  for (const [table, rules] of Object.entries(tables)) {
    const columns = Object.keys(rules).map(q).join(', ');
    const values = Object.entries(rules)
      .map(([c, rule]) => copied(c, rule))
      .join(', ');
    const rebuilt = `_rebuild_${table}`;
    out.push(
      CompiledQuery.raw(createTableSql(table, rules, rebuilt)),
      CompiledQuery.raw(`insert into ${q(rebuilt)} (${columns}) select ${values} from ${q(table)}`),
      CompiledQuery.raw(`drop table ${q(table)}`),
      CompiledQuery.raw(`alter table ${q(rebuilt)} rename to ${q(table)}`),
      ...indexesOf(table),
    );
  }
  return out;
}

/** Rebuilding tables needs foreign keys off (outside the transaction) and a foreign key check before commit. */
export const rebuildsTables = true;
