import { type Kysely, sql } from 'kysely';
import { checkStored, columnsOf, type FieldRule, type RuledTable, tableRules } from '../../shared/model/field-rules';
import type { PlanDb } from '../db/plan-db';

/**
 * `check` of a plan on PostgreSQL. There is no file to check page by page (SQLite's integrity_check
 * has no counterpart a client can run), and the server itself enforces every primary key, foreign
 * key and check constraint of the schema on each write, so what is left to look at is what the app
 * relies on beyond them: the one format row of plan_format, and every stored value against the
 * model's field rules (shared/model/field-rules.ts), as the app would read it.
 */

/** Said in the output, so that nobody takes the short list of checks for a missing one. */
export const enforcedByServer =
  '主キー・外部キー・値の制約は PostgreSQL サーバーが書き込みのたびに守らせています。ここでは形式の行（plan_format）、形式の番号と、各行の値を計画の規則で確かめました。 / ' +
  'primary keys, foreign keys and check constraints are enforced by the PostgreSQL server on every write; checked here: the plan_format row, the schema version and every stored value against the field rules';

/** Rows read per query. */
const PAGE_ROWS = 5000;
/** Problems listed at most (the count says how many more). */
const MAX_LISTED = 20;

export interface PostgresCheck {
  format: { application: unknown; version: unknown }[];
  rows: Record<string, number>;
  problems: string[];
}

/** The tables by name as strings: the names come from the registry at run time. */
type AnyTables = Kysely<Record<string, Record<string, unknown>>>;

export async function checkPostgresPlan(db: PlanDb): Promise<PostgresCheck> {
  return db.snapshot(async (tx) => {
    const problems: string[] = [];
    let more = 0;
    const note = (text: string) => (problems.length < MAX_LISTED ? problems.push(text) : more++);
    const { rows: format } = await sql<{ application: unknown; version: unknown }>`select "application", "version" from "plan_format"`.execute(tx.q);
    if (format.length !== 1) note(`plan_format holds ${format.length} rows (one expected)`);
    const rows: Record<string, number> = {};
    for (const table of Object.keys(tableRules) as RuledTable[]) {
      const rules: Record<string, FieldRule> = tableRules[table];
      const columns = columnsOf(table);
      let count = 0;
      let last: unknown = undefined;
      for (;;) {
        let query = (tx.q as unknown as AnyTables).selectFrom(table).select(columns).orderBy('id').limit(PAGE_ROWS);
        if (last !== undefined) query = query.where('id', '>', last);
        const page = await query.execute();
        for (const row of page)
          for (const column of columns) {
            const reason = checkStored(rules[column]!, row[column]);
            if (reason) note(`${table} id ${String(row.id)} column ${column}: ${reason}`);
          }
        count += page.length;
        if (page.length < PAGE_ROWS) break;
        last = page.at(-1)!.id;
      }
      rows[table] = count;
    }
    if (more > 0) problems.push(`… (+${more})`);
    return { format, rows, problems };
  });
}
