import { checkStored, columnsOf, type FieldRule, placeJa, type RuledTable, tableRules } from '../../shared/model/field-rules';
import type { Sqlite } from './sqlite';

/**
 * Every row of every plan table checked against the field rules, in JavaScript: for a file whose
 * schema does not enforce them (another copy, schema 1), so that the problem can be named (table,
 * row, column, reason) instead of surfacing as a failed constraint or a wrong rollup later.
 * Only the columns the model knows are read; ids must be unique and references must resolve.
 */

export interface BadValue {
  table: string;
  column: string;
  /** 1-based position of the row in the table's storage order. */
  row: number;
  id: unknown;
  /** Japanese, quoting at most a short excerpt. */
  reason: string;
}

export const badValueJa = (b: BadValue) => `${placeJa(b.table, b.column, { index: b.row, id: b.id })}: ${b.reason}`;
export const badValueLog = (b: BadValue) => `${b.table} row ${b.row} column ${b.column}: ${b.reason}`;

const q = (name: string) => `"${name}"`;

/** The first value that breaks a rule, or null when every row is sound. */
export function findBadValue(sqlite: Sqlite, tables: readonly RuledTable[] = Object.keys(tableRules) as RuledTable[]): BadValue | null {
  const ids = new Map<string, Set<string>>();
  const refs: { table: string; column: string; target: string; row: number; id: unknown; value: string }[] = [];
  for (const table of tables) {
    const rules: Record<string, FieldRule> = tableRules[table];
    const columns = columnsOf(table);
    const seen = new Set<string>();
    ids.set(table, seen);
    const stmt = sqlite.prepare(`select ${columns.map(q).join(', ')} from ${q(table)}`).raw(true);
    let row = 0;
    for (const values of stmt.iterate() as Iterable<unknown[]>) {
      row++;
      const id = values[0];
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i]!;
        const rule = rules[column]!;
        const reason = checkStored(rule, values[i]);
        // Leaving the loop closes the statement's iterator.
        if (reason) return { table, column, row, id, reason };
        if (rule.kind === 'ref' && typeof values[i] === 'string') refs.push({ table, column, target: rule.table, row, id, value: values[i] as string });
      }
      if (seen.has(id as string)) return { table, column: 'id', row, id, reason: '同じ id の行が2つあります。' };
      seen.add(id as string);
    }
  }
  for (const r of refs) {
    const target = ids.get(r.target);
    if (target && !target.has(r.value))
      return { table: r.table, column: r.column, row: r.row, id: r.id, reason: `表「${r.target}」にない行（id ${r.value}）を指しています。` };
  }
  return null;
}
