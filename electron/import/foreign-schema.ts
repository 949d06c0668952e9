import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import { migrations, runMigration } from '../db/migrations/index';
import type { Sqlite } from '../db/open';

/**
 * Another program's plan database is read only through the tables and columns the model knows.
 * Before any statement that could run code of the file's own (a trigger, a view, an index on an
 * expression), its schema is compared with the schema our migrations make at the file's version:
 * every known table must be a real table with the known columns (more columns are allowed and
 * never read, fewer refuse the file), and everything else (views, triggers, unknown tables and
 * indexes) is dropped from the private copy. Virtual tables refuse the file (dropping one runs
 * its module's code).
 */

interface ReferenceSchema {
  /** Known tables (lower-case names) with their columns. */
  tables: Map<string, string[]>;
  /** Known indexes (lower-case names) with their SQL. */
  indexes: Map<string, string>;
}

const references = new Map<number, ReferenceSchema>();

/** The schema our migrations make at `version`, from an empty in-memory database. */
export function referenceSchema(version: number): ReferenceSchema {
  let ref = references.get(version);
  if (ref) return ref;
  const db = new Database(':memory:');
  try {
    db.pragma('foreign_keys = OFF');
    for (const m of migrations.filter((x) => x.version <= version)) runMigration(db, m);
    const objects = db.prepare("select type, name, sql from sqlite_master where name not like 'sqlite_%'").all() as SchemaObject[];
    ref = { tables: new Map(), indexes: new Map() };
    for (const o of objects) {
      if (o.type === 'table') ref.tables.set(o.name.toLowerCase(), columnsOfTable(db, o.name));
      else if (o.type === 'index' && o.sql) ref.indexes.set(o.name.toLowerCase(), normalizeSql(o.sql));
    }
    references.set(version, ref);
    return ref;
  } finally {
    db.close();
  }
}

interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const normalizeSql = (sql: string) => sql.replace(/\s+/g, ' ').trim().toLowerCase();

function columnsOfTable(db: Sqlite, table: string): string[] {
  return (db.prepare('select name from pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name.toLowerCase());
}

const kindJa: Record<string, string> = { view: 'ビュー', trigger: 'トリガー', index: '索引', table: '表' };

function refuse(name: string, whatJa: string, log: string): AppError {
  return new AppError(
    'bad_file',
    `「${excerpt(name)}」は取り込めません。${whatJa}計画ワークベンチが書いたままのファイルではありません（ほかのプログラムで作り替えられています）。開いている計画は変更していません。`,
    `${name}: schema refused: ${log}`,
  );
}

/** What was removed from the copy, for the log. */
export interface Sanitized {
  dropped: string[];
}

/**
 * Checks the copy's schema against ours at `version` and removes what is not ours. `sqlite` must be
 * a connection to the private copy with foreign keys off (so no DROP runs an implicit DELETE).
 */
export function sanitizeForeignSchema(sqlite: Sqlite, version: number, fileName: string): Sanitized {
  const ref = referenceSchema(version);
  const objects = sqlite.prepare('select type, name, sql from sqlite_master').all() as SchemaObject[];
  const virtual = objects.find((o) => o.type === 'table' && o.sql !== null && /^\s*create\s+virtual\b/i.test(o.sql));
  if (virtual) throw refuse(fileName, `仮想表「${excerpt(virtual.name)}」が含まれています。`, `virtual table ${virtual.name}`);
  const byName = new Map(objects.map((o) => [o.name.toLowerCase(), o]));
  for (const [table, columns] of ref.tables) {
    const found = byName.get(table);
    if (!found) throw refuse(fileName, `表「${table}」がありません。`, `missing table ${table}`);
    if (found.type !== 'table') throw refuse(fileName, `表「${table}」が${kindJa[found.type] ?? found.type}に置き換えられています。`, `${table} is a ${found.type}`);
    const present = new Set(columnsOfTable(sqlite, found.name));
    const missing = columns.filter((c) => !present.has(c));
    if (missing.length > 0)
      throw refuse(fileName, `表「${table}」に列「${missing.slice(0, 3).join('」「')}」がありません。`, `${table} lacks columns ${missing.join(', ')}`);
  }
  const dropped: string[] = [];
  // Triggers first: after them nothing the file defines can run on a write; then views, indexes and tables.
  const order = ['trigger', 'view', 'index', 'table'];
  for (const type of order) {
    for (const o of objects.filter((x) => x.type === type)) {
      const lower = o.name.toLowerCase();
      if (lower.startsWith('sqlite_')) continue; // SQLite's own (autoindexes, sqlite_sequence, statistics)
      if (type === 'table' && ref.tables.has(lower)) continue;
      if (type === 'index' && o.sql !== null && ref.indexes.get(lower) === normalizeSql(o.sql)) continue;
      sqlite.prepare(`drop ${type} if exists ${q(o.name)}`).run();
      dropped.push(`${type} ${o.name}`);
    }
  }
  return { dropped };
}
