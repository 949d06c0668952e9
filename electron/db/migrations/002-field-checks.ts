import { CompiledQuery } from 'kysely';
import { cleanedText, columnsOf, type FieldRule, type RuledTable, tableRules } from '../../../shared/model/field-rules';
import { createTableSql } from '../field-checks-sql';
import * as m001 from './001-initial';

/**
 * Schema 2: every plan table gets the CHECK constraints of the field rules (types, lengths,
 * choices, 0/1, fiscal years, no control characters). SQLite cannot add a CHECK to a table, so each
 * table is rebuilt by SQLite's 12-step procedure (https://sqlite.org/lang_altertable.html#otheralter):
 * `migrate` turns foreign keys off outside the transaction and runs `PRAGMA foreign_key_check`
 * before it commits; here, per table: create the new table, copy every row (ids included), drop the
 * old one, rename, and create its indexes again (every row keeps its id). Generated from the rules as they are at this
 * version: a later change of a rule needs a migration of its own.
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
  for (const table of Object.keys(tableRules) as RuledTable[]) {
    const columns = columnsOf(table).map(q).join(', ');
    const rules: Record<string, FieldRule> = tableRules[table];
    const values = columnsOf(table)
      .map((c) => copied(c, rules[c]!))
      .join(', ');
    const rebuilt = `_rebuild_${table}`;
    out.push(
      CompiledQuery.raw(createTableSql(table, rebuilt)),
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
