import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Random } from './random';
import { hostileText } from './values';

/**
 * Spoils a colleague's plan database: at the SQL level (values of the wrong type, too long, with
 * control characters, unknown kinds; an extra column; a table turned into an endlessly recursive
 * view; triggers; orphans; a rewritten change log) with the file's own CHECK constraints ignored,
 * as a hostile or buggy program could; and at the byte level (flipped bits in a page, a cut file).
 */

type Db = Database.Database;
type Step = (rnd: Random, db: Db) => string | null;

const modelTables = (db: Db) =>
  (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
const columnsOf = (db: Db, table: string) => (db.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function randomRow(rnd: Random, db: Db, table: string): number | null {
  const n = (db.prepare(`select count(*) as n from ${q(table)}`).get() as { n: number }).n;
  if (n === 0) return null;
  const row = db.prepare(`select rowid as r from ${q(table)} limit 1 offset ?`).get(rnd.int(n)) as { r: number } | undefined;
  return row?.r ?? null;
}

function hostileValue(rnd: Random): unknown {
  return rnd.weighted<() => unknown>([
    [3, () => hostileText(rnd)],
    [1, () => 'x'.repeat(2_000_000)],
    [2, () => rnd.pick([-1, 0, 1e308, -1e308, 2 ** 62, 0.5, 9007199254740993n])],
    [1, () => Buffer.from([0, 1, 2, 0xff, 0xfe])],
    [1, () => null],
    [1, () => rnd.pick(['unknown_kind', 'sideways', 'department ', 'DEPARTMENT', 'branch\u0000'])],
    [1, () => rnd.pick(['12', '1e999', 'NaN', '３'])],
  ])();
}

const setValue: Step = (rnd, db) => {
  const table = rnd.pick(modelTables(db).filter((t) => t !== 'sqlite_sequence'));
  const column = rnd.pick(columnsOf(db, table));
  const row = randomRow(rnd, db, table);
  if (row === null) return null;
  const value = hostileValue(rnd);
  db.prepare(`update ${q(table)} set ${q(column)} = ? where rowid = ?`).run(value as never, row);
  const shown = Buffer.isBuffer(value) ? 'a blob' : typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) + (value.length > 40 ? `… (${value.length})` : '') : String(value);
  return `${table}.${column} of rowid ${row} := ${shown}`;
};

const structure: Step = (rnd, db) => {
  const tables = modelTables(db);
  const table = rnd.pick(tables.filter((t) => t !== 'sqlite_sequence'));
  const what = rnd.weighted<string>([
    [3, 'extra-column'],
    [2, 'recursive-view'],
    [1, 'drop-table'],
    [1, 'trigger'],
    [2, 'orphans'],
    [1, 'same-position'],
    [1, 'drop-column'],
    [1, 'duplicate-id'],
  ]);
  switch (what) {
    case 'extra-column':
      db.exec(`alter table ${q(table)} add column ${q(rnd.pick(['extra', 'memo', 'id2']))} text default ${rnd.pick(["'x'", 'null', '42'])}`);
      return `${table}: an extra column`;
    case 'recursive-view': {
      const cols = columnsOf(db, table);
      db.exec(`drop table ${q(table)}`);
      db.exec(
        `create view ${q(table)} as with recursive r(n) as (select 1 union all select n + 1 from r) select ${cols.map((c, i) => `${i === 0 ? "'v' || n" : "'x'"} as ${q(c)}`).join(', ')} from r`,
      );
      return `${table}: replaced by an endless recursive view`;
    }
    case 'drop-table':
      db.exec(`drop table ${q(table)}`);
      return `${table}: dropped`;
    case 'trigger':
      db.exec(`create trigger fuzz_trigger after insert on ${q(table)} begin delete from ${q(table)}; end`);
      return `${table}: a trigger that deletes on insert`;
    case 'orphans': {
      const cols = columnsOf(db, table).filter((c) => c.endsWith('_id'));
      if (cols.length === 0) return null;
      const col = rnd.pick(cols);
      db.exec(`update ${q(table)} set ${q(col)} = 'no-such-' || rowid where rowid % 3 = 0`);
      return `${table}.${col}: every third row points nowhere`;
    }
    case 'same-position':
      if (!columnsOf(db, table).includes('position')) return null;
      db.exec(`update ${q(table)} set position = 0`);
      return `${table}: every position 0`;
    case 'drop-column': {
      const cols = columnsOf(db, table).filter((c) => c !== 'id');
      if (cols.length === 0) return null;
      const col = rnd.pick(cols);
      try {
        db.exec(`alter table ${q(table)} drop column ${q(col)}`);
      } catch {
        return null;
      }
      return `${table}.${col}: dropped`;
    }
    default: {
      const row = randomRow(rnd, db, table);
      if (row === null || !columnsOf(db, table).includes('id')) return null;
      try {
        db.exec('pragma writable_schema = 1');
        db.exec(`drop index if exists ${q(`sqlite_autoindex_${table}_1`)}`);
      } catch {
        /* an automatic index cannot be dropped: the insert below then fails and the step is skipped */
      }
      try {
        db.prepare(`insert into ${q(table)} select * from ${q(table)} where rowid = ?`).run(row);
      } catch {
        return null;
      }
      return `${table}: a row twice with the same id`;
    }
  }
};

const header: Step = (rnd, db) => {
  const what = rnd.weighted<string>([
    [2, 'user_version'],
    [1, 'application_id'],
    [2, 'plan-id'],
    [2, 'change-log'],
  ]);
  switch (what) {
    case 'user_version': {
      const v = rnd.pick([0, -1, 1, 99, 2 ** 31 - 1]);
      db.pragma(`user_version = ${v}`);
      return `user_version := ${v}`;
    }
    case 'application_id': {
      const v = rnd.pick([0, 1, 0x7fffffff]);
      db.pragma(`application_id = ${v}`);
      return `application_id := ${v}`;
    }
    case 'plan-id':
      db.exec("update plan set id = 'ffffffff-ffff-4fff-afff-ffffffffffff'");
      return 'plan id changed';
    default: {
      const how = rnd.pick(['delete-all', 'shift-at', 'huge-id', 'reverts-loop']);
      if (how === 'delete-all') db.exec('delete from change; delete from change_set');
      else if (how === 'shift-at') db.exec("update change_set set at = '2099-01-01T00:00:00.000Z'");
      else if (how === 'huge-id') db.exec('update change_set set id = id + 1000000000');
      else db.exec('update change_set set reverts_id = id');
      return `change log: ${how}`;
    }
  }
};

/** Writes a mutated copy of the database at `to` and returns its bytes and the steps. */
export function mutateDatabase(rnd: Random, from: string, to: string): { bytes: Buffer; steps: string[] } {
  copyFileSync(from, to);
  for (const s of ['-wal', '-shm']) rmSync(to + s, { force: true });
  const steps: string[] = [];
  const db = new Database(to);
  try {
    db.pragma('foreign_keys = off');
    db.pragma('ignore_check_constraints = on');
    const count = rnd.weighted<number>([
      [5, 1],
      [3, 2],
      [1, 4],
    ]);
    for (let i = 0; i < count; i++) {
      try {
        const step = rnd.weighted<Step>([
          [5, setValue],
          [3, structure],
          [2, header],
        ])(rnd, db);
        if (step) steps.push(step);
      } catch (e) {
        steps.push(`(step refused by SQLite: ${e instanceof Error ? e.message.slice(0, 80) : String(e)})`);
      }
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  let bytes = readFileSync(to);
  if (rnd.chance(0.25)) {
    bytes = Buffer.from(bytes);
    const pageSize = bytes.readUInt16BE(16) || 4096;
    const pages = Math.max(1, Math.floor(bytes.length / pageSize));
    const what = rnd.weighted<string>([
      [4, 'flip'],
      [1, 'header'],
      [1, 'truncate'],
    ]);
    if (what === 'truncate') {
      const at = rnd.int(bytes.length);
      bytes = bytes.subarray(0, at);
      steps.push(`bytes: cut at ${at} of ${pages * pageSize}`);
    } else {
      const page = what === 'header' ? 0 : rnd.int(pages);
      const n = rnd.between(1, 40);
      for (let i = 0; i < n; i++) {
        const at = Math.min(bytes.length - 1, page * pageSize + (what === 'header' ? rnd.int(100) : rnd.int(pageSize)));
        bytes[at] = bytes[at]! ^ (1 << rnd.int(8));
      }
      steps.push(`bytes: ${n} bits flipped in page ${page + 1} of ${pages}`);
    }
  }
  return { bytes, steps };
}
