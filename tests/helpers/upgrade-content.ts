import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { cleanedText, ruleOf } from '../../shared/model/field-rules';

/**
 * A plan file's rows as tests/unit/migrations.test.ts compares them across an upgrade: every table's
 * rows under their primary key, read straight from the file, and every way an upgraded file fails to
 * hold what the earlier one held (allowing only the normalisations the migrations document).
 */

/** A plan file's content as the migration test compares it: every table's rows under their primary key. */
export interface TableContent {
  primaryKey: string[];
  columns: string[];
  rows: Map<string, Record<string, unknown>>;
}
export interface FileContent {
  userVersion: number;
  applicationId: number;
  tables: Map<string, TableContent>;
  /** AUTOINCREMENT counters: an id handed out must never be handed out again. */
  sequences: Map<string, number>;
}

export function readContent(path: string): FileContent {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const names = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]).map((t) => t.name);
    const tables = new Map<string, TableContent>();
    for (const table of names) {
      const info = db.prepare('select name, pk from pragma_table_info(?) order by cid').all(table) as { name: string; pk: number }[];
      const primaryKey = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      if (primaryKey.length === 0) throw new Error(`${table} has no primary key: its rows cannot be matched`);
      const rows = new Map<string, Record<string, unknown>>();
      for (const row of db.prepare(`select * from "${table}"`).all() as Record<string, unknown>[]) rows.set(JSON.stringify(primaryKey.map((c) => row[c])), row);
      tables.set(table, { primaryKey, columns: info.map((c) => c.name), rows });
    }
    const sequences = new Map((db.prepare('select name, seq from sqlite_sequence').all() as { name: string; seq: number }[]).map((s) => [s.name, s.seq]));
    return { userVersion: db.pragma('user_version', { simple: true }) as number, applicationId: db.pragma('application_id', { simple: true }) as number, tables, sequences };
  } finally {
    db.close();
  }
}

/**
 * What an upgrade may make of a value an earlier version stored: only the normalisations documented
 * in migrations/002-field-checks.ts (a text cleaned as a typed cell stores it; an optional text that
 * cleans to '' becomes no text). Everything else stays exactly as it was.
 */
function upgradedValue(table: string, column: string, value: unknown): unknown {
  const rule = ruleOf(table, column);
  if (rule?.kind !== 'text' || typeof value !== 'string') return value;
  const cleaned = cleanedText(value);
  return rule.nullable && rule.nonEmpty && cleaned === '' ? null : cleaned;
}

/** Every way `after` fails to hold what `before` held (columns and tables a migration adds are allowed). */
export function upgradeDifferences(before: FileContent, after: FileContent): string[] {
  const problems: string[] = [];
  const show = (v: unknown) => JSON.stringify(v)?.slice(0, 80) ?? String(v);
  for (const [table, was] of before.tables) {
    const now = after.tables.get(table);
    if (!now) {
      problems.push(`table ${table} is gone`);
      continue;
    }
    for (const column of was.columns) if (!now.columns.includes(column)) problems.push(`${table}.${column} is gone`);
    if (now.rows.size !== was.rows.size) problems.push(`${table}: ${was.rows.size} rows, now ${now.rows.size}`);
    for (const [key, row] of was.rows) {
      const upgraded = now.rows.get(key);
      if (!upgraded) {
        problems.push(`${table} ${key} is gone`);
        continue;
      }
      for (const column of was.columns) {
        if (!now.columns.includes(column)) continue;
        const expected = upgradedValue(table, column, row[column]);
        if (!isDeepStrictEqual(upgraded[column], expected)) problems.push(`${table} ${key} ${column}: was ${show(expected)}, now ${show(upgraded[column])}`);
      }
    }
    for (const key of now.rows.keys()) if (!was.rows.has(key)) problems.push(`${table} ${key} is new`);
  }
  for (const [name, seq] of before.sequences) {
    const now = after.sequences.get(name);
    if (now === undefined || now < seq) problems.push(`sqlite_sequence ${name}: was ${seq}, now ${now ?? 'gone'}`);
  }
  return problems;
}
