import { CompiledQuery } from 'kysely';
import { columnsOf, type FieldRule, type RuledTable, tableRules } from '../../../shared/model/field-rules';
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
 * A value as copied: text with Windows or old Mac line ends gets newlines (what every input does
 * now), and an optional text that is '' becomes NULL (what "no text" is now). Anything else the
 * rules refuse stops the migration with a message naming it (open.ts); the file stays at schema 1.
 */
function copied(column: string, rule: FieldRule): string {
  if (rule.kind !== 'text') return q(column);
  const c = q(column);
  const lineEnds = `case when typeof(${c}) = 'text' and instr(${c}, char(13)) > 0 then replace(replace(${c}, char(13) || char(10), char(10)), char(13), char(10)) else ${c} end`;
  return rule.nullable && rule.nonEmpty ? `nullif(${lineEnds}, '')` : lineEnds;
}

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
