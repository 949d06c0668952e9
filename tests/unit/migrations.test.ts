import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupFolder, listBackups } from '../../electron/db/backup';
import { latestSchemaVersion, migrations } from '../../electron/db/migrations/index';
import { columnDefinition } from '../../electron/db/field-checks-sql';
import { checkIntegrity, openPlanDatabase } from '../../electron/db/open';
import { AppError } from '../../shared/contract/errors';
import { columnsOf, type FieldRule, type RuledTable, tableRules } from '../../shared/model/field-rules';
import { badValues } from '../helpers/crafted-databases';
import { Workspace } from '../../electron/services/workspace';
import { tempDir } from '../helpers/temp';

/**
 * One database file of every earlier schema version is kept in tests/fixtures/schemas (from now
 * on, each new migration adds the file of the version before it). Each must open, upgrade to the
 * latest version and keep every row and value.
 */
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'schemas');
const files = readdirSync(fixtures).filter((f) => /^schema-v\d+\.plandb$/.test(f));

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

type Snapshot = Map<string, Map<string, Record<string, unknown>>>;
function snapshot(path: string): Snapshot {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    return new Map(
      tables.map((t) => [t, new Map((db.prepare(`select * from "${t}"`).all() as Record<string, unknown>[]).map((r) => [String(r.id), r]))]),
    );
  } finally {
    db.close();
  }
}

/** Every table's rows as sorted JSON lines (the change log included), independent of storage order. */
function contents(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(
      tables.map((t) => {
        const rows = db.prepare(`select * from "${t}"`).all() as Record<string, unknown>[];
        return [t, rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort()];
      }),
    );
  } finally {
    db.close();
  }
}

function migratedCopy(file = 'schema-v1.plandb'): { path: string; dir: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const path = join(t.dir, file);
  copyFileSync(join(fixtures, file), path);
  return { path, dir: t.dir };
}

describe('schema 2: the field rules as CHECK constraints', () => {
  it('the field rules name exactly the columns of every plan table', () => {
    const { path } = migratedCopy();
    const db = openPlanDatabase(path, { create: false });
    try {
      for (const table of Object.keys(tableRules) as RuledTable[]) {
        const columns = (db.sqlite.prepare('select name from pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
        expect(columns, table).toEqual(columnsOf(table));
      }
    } finally {
      db.sqlite.close();
    }
  });

  it('each column carries its rule as generated now (a changed rule needs a migration of its own)', () => {
    const { path } = migratedCopy();
    const db = openPlanDatabase(path, { create: false });
    try {
      for (const table of Object.keys(tableRules) as RuledTable[]) {
        const sql = (db.sqlite.prepare("select sql from sqlite_master where type = 'table' and name = ?").get(table) as { sql: string }).sql;
        const rules: Record<string, FieldRule> = tableRules[table];
        for (const [column, rule] of Object.entries(rules)) expect(sql, `${table}.${column}`).toContain(columnDefinition(column, rule));
      }
    } finally {
      db.sqlite.close();
    }
  });

  it('refuses every class of bad value in every column of a migrated database; foreign keys stay on', () => {
    const { path } = migratedCopy();
    const db = openPlanDatabase(path, { create: false });
    try {
      expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.sqlite.pragma('foreign_key_check')).toEqual([]);
      let cases = 0;
      db.sqlite.exec('begin');
      for (const table of Object.keys(tableRules) as RuledTable[]) {
        const rules: Record<string, FieldRule> = tableRules[table];
        for (const column of columnsOf(table)) {
          for (const [what, value] of badValues(rules[column]!)) {
            const update = db.sqlite.prepare(`update "${table}" set "${column}" = ? where rowid = (select min(rowid) from "${table}")`);
            expect(() => update.run(value as never), `${table}.${column}: ${what}`).toThrow(/constraint/i);
            cases++;
          }
        }
      }
      db.sqlite.exec('rollback');
      expect(cases).toBeGreaterThan(250);
    } finally {
      db.sqlite.close();
    }
    }, 300_000);

  it('decodes what earlier versions could store: Windows line ends become newlines, an empty optional text becomes no text', () => {
    const { path } = migratedCopy();
    const raw = new Database(path);
    const theme = (raw.prepare('select id from theme order by id limit 1').get() as { id: string }).id;
    const group = (raw.prepare('select id from overview_group where heading is not null order by id limit 1').get() as { id: string }).id;
    raw.prepare('update theme set text = ? where id = ?').run('一行目\r\n二行目\r三行目', theme);
    raw.prepare("update overview_group set heading = '' where id = ?").run(group);
    const rows = (raw.prepare('select count(*) as n from theme').get() as { n: number }).n;
    raw.close();
    const db = openPlanDatabase(path, { create: false });
    try {
      expect(db.sqlite.prepare('select text from theme where id = ?').get(theme)).toEqual({ text: '一行目\n二行目\n三行目' });
      expect(db.sqlite.prepare('select heading from overview_group where id = ?').get(group)).toEqual({ heading: null });
      expect(db.sqlite.prepare('select count(*) as n from theme').get()).toEqual({ n: rows });
    } finally {
      db.sqlite.close();
    }
  });

  it('a schema-1 file holding a value the rules refuse is not migrated: the message names table and column, the rows stay', () => {
    const { path } = migratedCopy();
    const raw = new Database(path);
    raw.prepare('update unit set name = ? where rowid = (select min(rowid) from unit)').run('国際\u0007部');
    raw.close();
    const before = contents(path);
    let error: unknown;
    try {
      openPlanDatabase(path, { create: false }).sqlite.close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).messageJa).toMatch(/新しい形式に更新できません。表「unit」、1 行目.*列「name」: 制御文字/);
    expect((error as AppError).messageJa.length).toBeLessThan(300);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(1);
    after.close();
    expect(contents(path)).toEqual(before);
  });
});

describe('migrations', () => {
  it('are numbered 1, 2, 3, … with no gap', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('a fixture of every earlier schema version is kept', () => {
    const versions = files.map((f) => Number(/v(\d+)/.exec(f)![1])).sort((a, b) => a - b);
    for (let v = 1; v < latestSchemaVersion; v++) expect(versions, `fixture for schema ${v}`).toContain(v);
  });

  it.each(files)('%s upgrades to the latest schema without losing a row or a value, after a backup', async (file) => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, file);
    copyFileSync(join(fixtures, file), path);
    const fromVersion = Number(/v(\d+)/.exec(file)![1]);
    const before = snapshot(path);
    const contentsBefore = contents(path);
    const ws = new Workspace('test', join(t.dir, 'userdata'));
    const opened = await ws.open(path);
    expect(opened.sqlite.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(checkIntegrity(opened.sqlite)).toEqual([]);
    ws.close();
    const after = snapshot(path);
    for (const [table, rows] of before) {
      const now = after.get(table);
      expect(now, `table ${table} still exists`).toBeDefined();
      expect(now!.size, `rows of ${table}`).toBe(rows.size);
      for (const [id, row] of rows) for (const [col, value] of Object.entries(row)) if (col in (now!.get(id) ?? {})) expect(now!.get(id)![col], `${table} ${id} ${col}`).toEqual(value);
    }
    // By content too: every table keeps exactly its rows, every column of them (not only by id).
    expect(contents(path)).toEqual(contentsBefore);
    if (fromVersion < latestSchemaVersion) expect(listBackups(backupFolder(join(t.dir, 'userdata'), path)).map((b) => b.reason)).toContain('migration');
    // The fixture itself is never changed by the test.
    expect(readFileSync(join(fixtures, file)).length).toBeGreaterThan(0);
  });
});
