import { basename } from 'node:path';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import { columnsOf, type FieldRule, placeJa, type RuledTable, tableRules } from '../../shared/model/field-rules';
import type { Sqlite } from './sqlite';

/**
 * A text longer than the limits of schema 2 in a file of an earlier version (v1 took up to
 * 1,000,000 characters a cell). Cutting it would lose the planner's words, so such a file is not
 * migrated: it is read as it is, read-only (v1 and v2 have the same columns), so the plan can still
 * be viewed, checked, dumped and exported, and the message says which text to shorten.
 */

export interface OverLongText {
  table: string;
  column: string;
  /** 1-based position of the row in the table's storage order (as row-checks.ts counts). */
  row: number;
  id: unknown;
  chars: number;
  max: number;
  start: string;
}

const q = (name: string) => `"${name}"`;

/**
 * The columns `table` has in this file (none if it has no such table). A file of an earlier schema
 * lacks the columns and tables added since, which the registry already lists.
 */
function columnsInFile(sqlite: Sqlite, table: string): Set<string> {
  const rows = sqlite.prepare('select name from pragma_table_info(?)').all(table) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/**
 * The first text over its column's limit, or null: the text columns of the registry that the file
 * has, with the limits of the latest schema. Reads only (SQLite's length() counts characters).
 */
export function findOverLongText(sqlite: Sqlite): OverLongText | null {
  for (const table of Object.keys(tableRules) as RuledTable[]) {
    const rules: Record<string, FieldRule> = tableRules[table];
    const inFile = columnsInFile(sqlite, table);
    const texts = columnsOf(table).filter((c) => rules[c]!.kind === 'text' && inFile.has(c));
    if (texts.length === 0) continue;
    const over = texts.map((c) => `(typeof(${q(c)}) = 'text' and length(${q(c)}) > ${(rules[c] as { max: number }).max})`).join(' or ');
    const found = sqlite
      .prepare(`select n, id, ${texts.map(q).join(', ')} from (select row_number() over (order by rowid) as n, * from ${q(table)}) where ${over} limit 1`)
      .get() as Record<string, unknown> | undefined;
    if (!found) continue;
    for (const column of texts) {
      const value = found[column];
      const max = (rules[column] as { max: number }).max;
      if (typeof value === 'string' && [...value].length > max)
        return { table, column, row: Number(found.n), id: found.id, chars: [...value].length, max, start: excerpt(value, 30) };
    }
  }
  return null;
}

/** Why the file is open read-only, and what to do (Japanese); a short excerpt only. */
export function overLongNotice(path: string, t: OverLongText): AppError {
  const name = basename(path);
  return new AppError(
    'invalid_value',
    `「${name}」は読み取り専用で開いています。${placeJa(t.table, t.column, { index: t.row, id: t.id })}の文字（「${t.start}」）が ${t.chars.toLocaleString('ja-JP')} 文字あり、新しい形式の上限 ${t.max.toLocaleString('ja-JP')} 文字を超えているため、新しい形式に更新できません。表示・確認・書き出しはできます。編集するには、以前のバージョンでこの文字を短くしてから開き直すか、管理者に相談してください。ファイルは変更していません。`,
    `${path}: not migrated, opened read-only as it is: ${t.table} row ${t.row} column ${t.column} has ${t.chars} characters, over the limit ${t.max}`,
  );
}

/** Thrown by openPlanDatabase for such a file (before anything is written): the caller opens it read-only. */
export class MigrationBlocked extends AppError {
  constructor(
    readonly path: string,
    readonly text: OverLongText,
  ) {
    const notice = overLongNotice(path, text);
    super(notice.code, notice.messageJa, notice.message);
  }
}
