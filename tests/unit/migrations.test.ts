import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupFolder, listBackups } from '../../electron/db/backup';
import { latestSchemaVersion, migrations } from '../../electron/db/migrations/index';
import { columnDefinition } from '../../electron/db/field-checks-sql';
import { checkIntegrity, openPlanDatabase } from '../../electron/db/open';
import { AppError } from '../../shared/errors/app-error';
import { checkStored, columnsOf, type FieldRule, normalizeText, type RuledTable, tableRules } from '../../shared/model/field-rules';
import { MigrationBlocked } from '../../electron/db/over-long-text';
import { runCli } from '../../electron/cli/main';
import { badValues } from '../helpers/crafted-databases';
import { Workspace } from '../../electron/workspace/workspace';
import { sqliteOf } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';
import { readContent, upgradeDifferences } from '../helpers/upgrade-content';

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

describe('schema 2: the field rules as CHECK constraints (SQLite file)', () => {
  it('the field rules name exactly the columns of every plan table', async () => {
    const { path } = migratedCopy();
    const db = openPlanDatabase(path, { create: false });
    try {
      for (const table of Object.keys(tableRules) as RuledTable[]) {
        const columns = (sqliteOf(db).prepare('select name from pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
        expect(columns, table).toEqual(columnsOf(table));
      }
    } finally {
      await db.db.close();
    }
  });

  it('each column carries its rule as generated now (a changed rule needs a migration of its own)', async () => {
    const { path } = migratedCopy();
    const db = openPlanDatabase(path, { create: false });
    try {
      for (const table of Object.keys(tableRules) as RuledTable[]) {
        const sql = (sqliteOf(db).prepare("select sql from sqlite_master where type = 'table' and name = ?").get(table) as { sql: string }).sql;
        const rules: Record<string, FieldRule> = tableRules[table];
        for (const [column, rule] of Object.entries(rules)) expect(sql, `${table}.${column}`).toContain(columnDefinition(column, rule));
      }
    } finally {
      await db.db.close();
    }
  });

  it('refuses every class of bad value in every column of a migrated database; foreign keys stay on', async () => {
    const { path } = migratedCopy();
    const db = openPlanDatabase(path, { create: false });
    try {
      expect(sqliteOf(db).pragma('foreign_keys', { simple: true })).toBe(1);
      expect(sqliteOf(db).pragma('foreign_key_check')).toEqual([]);
      let cases = 0;
      sqliteOf(db).exec('begin');
      for (const table of Object.keys(tableRules) as RuledTable[]) {
        const rules: Record<string, FieldRule> = tableRules[table];
        for (const column of columnsOf(table)) {
          for (const [what, value] of badValues(rules[column]!)) {
            const update = sqliteOf(db).prepare(`update "${table}" set "${column}" = ? where rowid = (select min(rowid) from "${table}")`);
            expect(() => update.run(value as never), `${table}.${column}: ${what}`).toThrow(/constraint/i);
            cases++;
          }
        }
      }
      sqliteOf(db).exec('rollback');
      expect(cases).toBeGreaterThan(250);
    } finally {
      await db.db.close();
    }
    }, 300_000);

  it('decodes what earlier versions could store: Windows line ends become newlines, an empty optional text becomes no text', async () => {
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
      expect(sqliteOf(db).prepare('select text from theme where id = ?').get(theme)).toEqual({ text: '一行目\n二行目\n三行目' });
      expect(sqliteOf(db).prepare('select heading from overview_group where id = ?').get(group)).toEqual({ heading: null });
      expect(sqliteOf(db).prepare('select count(*) as n from theme').get()).toEqual({ n: rows });
    } finally {
      await db.db.close();
    }
  });

  it('a schema-1 file holding a value the rules refuse is not migrated: the message names table and column, the rows stay', async () => {
    const { path } = migratedCopy();
    const raw = new Database(path);
    raw.prepare('update unit set kind = ? where rowid = (select min(rowid) from unit)').run('支社');
    raw.close();
    const before = contents(path);
    let error: unknown;
    try {
      await openPlanDatabase(path, { create: false }).db.close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).messageJa).toMatch(/新しい形式に更新できません。表「unit」、1 行目.*列「kind」: 「支社」は選択肢/);
    expect((error as AppError).messageJa.length).toBeLessThan(300);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(1);
    after.close();
    expect(contents(path)).toEqual(before);
  });
});

/**
 * Pieces of text an earlier version could store, with what the migration must make of each: line
 * breaks as a typed cell stores them (normalizeText, the function the grid's cell edits use), other
 * control characters the rules refuse removed, everything else as it was.
 */
const pieces: readonly (readonly [string, string])[] = [
  ['\v', '\n'],
  ['\f', '\n'],
  // A lone \r (old Mac) never directly before a \n: that would be one Windows line end.
  ['\r語', '\n語'],
  ['\r\n', '\n'],
  ['\u2028', '\n'],
  ['\u2029', '\n'],
  ['\u0007', ''],
  ['\u0000', ''],
  ['\u001b', ''],
  ['\u007f', ''],
  ['\u0085', ''],
  ['\n', '\n'],
  ['\t', '\t'],
  ['本文', '本文'],
  ['abc', 'abc'],
  [' ', ' '],
];

/** A deterministic generator (no checked-in blobs): `count` texts of 1–12 pieces, each with a letter so it never cleans to ''. */
function generatedTexts(seed: number, count: number): { stored: string; typed: string; expected: string }[] {
  let x = seed;
  const next = (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
  return Array.from({ length: count }, () => {
    const chosen = Array.from({ length: 1 + next(12) }, () => pieces[next(pieces.length)]!);
    chosen.splice(next(chosen.length + 1), 0, ['語', '語']);
    // What a person would type: the same text without the controls that are removed.
    const typed = chosen.filter((p) => p[1] !== '').map((p) => p[0]).join('');
    return { stored: chosen.map((p) => p[0]).join(''), typed, expected: chosen.map((p) => p[1]).join('') };
  });
}

describe('schema 2 from text earlier versions took (pasted soft line breaks, control characters; SQLite file)', () => {
  // Text columns of several tables: required, optional (nullable) and non-empty ones.
  const targets: readonly (readonly [RuledTable, string])[] = [
    ['plan', 'title'],
    ['theme', 'text'],
    ['unit', 'name'],
    ['challenge_group', 'heading'],
    ['target', 'note'],
    ['year_plan', 'text'],
    ['overview_group', 'heading'],
    ['financial_year', 'text'],
  ];

  const key = (table: string, id: string, column: string) => `${table}|${id}|${column}`;

  it('upgrades: line breaks become what a typed cell stores, other controls are removed, every other value is unchanged', async () => {
    let cases = 0;
    for (let round = 0; round < 6; round++) {
      const { path, dir } = migratedCopy();
      const raw = new Database(path);
      const written = new Map<string, string>();
      const texts = generatedTexts(round + 1, targets.length * 3);
      let i = 0;
      for (const [table, column] of targets) {
        const ids = (raw.prepare(`select id from "${table}" order by rowid limit 3`).all() as { id: string }[]).map((r) => r.id);
        for (const id of ids) {
          const t = texts[i++]!;
          raw.prepare(`update "${table}" set "${column}" = ? where id = ?`).run(t.stored, id);
          written.set(key(table, id, column), t.expected);
          // The same text as a typed cell stores it, as far as its line breaks go (one rule).
          expect(normalizeText(t.typed), 'typed-cell rule').toBe(t.expected);
          expect(checkStored(tableRules[table][column as never] as FieldRule, t.expected), key(table, id, column)).toBeNull();
          cases++;
        }
      }
      raw.close();
      const before = snapshot(path);
      const ws = new Workspace('test', join(dir, 'userdata'));
      const opened = await ws.open(path);
      expect(ws.readOnly).toBe(false);
      expect(sqliteOf(opened).pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      expect(checkIntegrity(sqliteOf(opened))).toEqual([]);
      await ws.close();
      const after = snapshot(path);
      for (const [table, rows] of before) {
        expect(after.get(table)!.size, `rows of ${table}`).toBe(rows.size);
        for (const [id, row] of rows)
          for (const [column, value] of Object.entries(row)) {
            const k = key(table, id, column);
            expect(after.get(table)!.get(id)![column], k).toEqual(written.has(k) ? written.get(k) : value);
          }
      }
      // The original values stay in the backup taken before the migration.
      const backup = listBackups(backupFolder(join(dir, 'userdata'), path)).find((b) => b.reason === 'migration');
      expect(backup).toBeDefined();
      const kept = snapshot(backup!.path);
      for (const [k] of written) {
        const [table, id, column] = k.split('|') as [string, string, string];
        expect(kept.get(table)!.get(id)![column], k).toEqual(before.get(table)!.get(id)![column]);
      }
    }
    expect(cases).toBeGreaterThan(100);
  }, 300_000);

  it('an optional text that was only control characters becomes no text', async () => {
    const { path } = migratedCopy();
    const raw = new Database(path);
    const group = (raw.prepare('select id from overview_group where heading is not null order by rowid limit 1').get() as { id: string }).id;
    raw.prepare('update overview_group set heading = ? where id = ?').run('\u0007\u0008', group);
    raw.close();
    const db = openPlanDatabase(path, { create: false });
    try {
      expect(sqliteOf(db).prepare('select heading from overview_group where id = ?').get(group)).toEqual({ heading: null });
    } finally {
      await db.db.close();
    }
  });

  it('a text over the new limit is not cut: the file opens read-only as it is, with a message naming it, can be dumped, and stays byte-identical', async () => {
    const { path, dir } = migratedCopy();
    const raw = new Database(path);
    const theme = (raw.prepare('select id from theme order by rowid limit 1 offset 1').get() as { id: string }).id;
    const long = '長い説明。'.repeat(10_001);
    raw.prepare('update theme set text = ? where id = ?').run(long, theme);
    raw.close();
    const bytes = readFileSync(path);

    expect(() => openPlanDatabase(path, { create: false })).toThrow(MigrationBlocked);
    expect(readFileSync(path).equals(bytes)).toBe(true);

    const ws = new Workspace('test', join(dir, 'userdata'));
    const opened = await ws.open(path);
    expect(ws.readOnly).toBe(true);
    expect(opened.schemaVersion).toBe(1);
    const message = ws.notice!.messageJa;
    expect(message).toMatch(/読み取り専用/);
    expect(message).toMatch(/表「theme」、2 行目.*列「text」/);
    expect(message).toMatch(/50,005 文字.*上限 50,000 文字/);
    expect(message).toMatch(/以前のバージョンでこの文字を短く|相談/);
    expect(message.length).toBeLessThan(400);
    // The plan can be viewed as it is.
    expect(await opened.db.q.selectFrom('theme').select('text').where('id', '=', theme).executeTakeFirst()).toEqual({ text: long });
    await expect(opened.db.q.updateTable('theme').set({ text: 'x' }).where('id', '=', theme).execute()).rejects.toThrow(AppError);
    await ws.close();

    const out = join(dir, 'dump.json');
    expect(await runCli(['dump', '--db', path, '--out', out])).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(long);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('schema-v1.plandb'))).toEqual(['schema-v1.plandb']);
  }, 120_000);
});

describe('migrations', () => {
  it('are numbered 1, 2, 3, … with no gap', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('a fixture of every earlier schema version is kept', () => {
    const versions = files.map((f) => Number(/v(\d+)/.exec(f)![1])).sort((a, b) => a - b);
    for (let v = 1; v < latestSchemaVersion; v++) expect(versions, `fixture for schema ${v}`).toContain(v);
  });

  it.each(files)('%s (SQLite file) upgrades to the latest schema without losing a row or a value, after a backup', async (file) => {
    const fixture = join(fixtures, file);
    const fixtureBytes = readFileSync(fixture);
    const fromVersion = Number(/v(\d+)/.exec(file)![1]);
    // What the earlier version wrote, read straight from the fixture file (never from the copy that is upgraded).
    const before = readContent(fixture);
    expect(before.userVersion).toBe(fromVersion);
    // Every plan table has rows to lose: "every row survives" is not checked on empty tables.
    for (const table of Object.keys(tableRules)) if (before.tables.has(table)) expect(before.tables.get(table)!.rows.size, `rows of ${table} in ${file}`).toBeGreaterThan(0);
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, file);
    copyFileSync(fixture, path);
    const ws = new Workspace('test', join(t.dir, 'userdata'));
    const opened = await ws.open(path);
    expect(sqliteOf(opened).pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(checkIntegrity(sqliteOf(opened))).toEqual([]);
    await ws.close();
    const after = readContent(path);
    expect(after.userVersion).toBe(latestSchemaVersion);
    expect(after.applicationId).toBe(before.applicationId);
    // Table by table: as many rows, each under its primary key, every column with its value or the documented normalisation.
    for (const [table, content] of before.tables) expect(after.tables.get(table)?.rows.size, `rows of ${table}`).toBe(content.rows.size);
    expect(upgradeDifferences(before, after)).toEqual([]);
    if (fromVersion < latestSchemaVersion) expect(listBackups(backupFolder(join(t.dir, 'userdata'), path)).map((b) => b.reason)).toContain('migration');
    // The fixture itself is never changed by the test.
    expect(readFileSync(fixture).equals(fixtureBytes)).toBe(true);
  });

  it('the comparison of an upgrade notices a lost, a changed or a new row, a lost column or table, a counter set back (SQLite file)', async () => {
    const { path, dir } = migratedCopy();
    const before = readContent(join(fixtures, 'schema-v1.plandb'));
    const ws = new Workspace('test', join(dir, 'userdata'));
    await ws.open(path);
    await ws.close();
    expect(upgradeDifferences(before, readContent(path))).toEqual([]);
    const raw = new Database(path);
    const target = (raw.prepare('select id from target order by id limit 1').get() as { id: string }).id;
    const unit = (raw.prepare('select id from unit order by id limit 1').get() as { id: string }).id;
    raw.pragma('foreign_keys = off');
    raw.prepare('delete from target_value where target_id = ?').run(target);
    raw.prepare('delete from target where id = ?').run(target);
    raw.prepare("update unit set name = name || '（変）' where id = ?").run(unit);
    raw.prepare("update sqlite_sequence set seq = seq - 1 where name = 'change'").run();
    raw.close();
    const damaged = readContent(path);
    const problems = upgradeDifferences(before, damaged);
    const targets = before.tables.get('target')!.rows.size;
    expect(problems).toContain(`target: ${targets} rows, now ${targets - 1}`);
    expect(problems).toContainEqual(`target ["${target}"] is gone`);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^unit \\["${unit}"\\] name: was .+, now .+（変）"$`)));
    expect(problems).toContainEqual(expect.stringMatching(/^sqlite_sequence change: was \d+, now \d+$/));
    // A row that was not there, a column and a table dropped (as a later migration could do by mistake).
    const extra = readContent(path);
    const units = extra.tables.get('unit')!;
    units.rows.set('["new"]', { ...units.rows.values().next().value!, id: 'new' });
    units.columns = units.columns.filter((c) => c !== 'short_name');
    extra.tables.delete('theme');
    const more = upgradeDifferences(before, extra);
    expect(more).toContain('unit ["new"] is new');
    expect(more).toContain('unit.short_name is gone');
    expect(more).toContain('table theme is gone');
  });
});
