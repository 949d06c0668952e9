import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backupDatabase, backupFolder, listBackups } from '../../electron/db/backup';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import { PLAN_APPLICATION_ID } from '../../electron/db/open';
import { sqlitePlanDb } from '../../electron/db/sqlite-engine';
import { createDatabase } from '../../electron/workspace/create-database';
import { fileState, locationState, runCliCaptured } from '../helpers/cli-capture';
import { type Engine, engines, seededPlan } from '../helpers/engines';
import { databaseUrl, freshPostgresDatabase, testServerUrl } from '../helpers/pg-database';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';
import { patchXlsx } from '../helpers/xlsx-patch';

/**
 * Every database or file situation a planner can meet on the command line gets a short Japanese
 * message (what happened, what to do), an English line, no stack trace, a non-zero exit code, and
 * leaves the database as it was. Table-driven: each situation is made by code, then every command
 * that meets it is run. (What only looks like a failure, and goes on, is in cli-failures-tolerated.test.ts.)
 */

const repoRoot = join(import.meta.dirname, '..', '..');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.unstubAllEnvs();
});

let template: string;
let workbook: string;
beforeAll(async () => {
  const t = tempDir();
  template = join(t.dir, 'template.plandb');
  await (await createDatabase(template, realSeeds())).db.close();
  const r = await runCliCaptured('handout', '--db', template, '--unit', '国際部', '--year', '2021', '--out', t.dir);
  expect(r.code, r.stderr).toBe(0);
  // Returned with a plan value written in: applying it would write (after a backup).
  workbook = join(t.dir, '国際部_返送.xlsx');
  writeFileSync(workbook, patchXlsx(readFileSync(r.stdout.trim().split('\n').at(-1)!), [{ sheet: '目標・実績', cells: { H5: 120 } }]));
  return () => t.cleanup();
});

const mountable = process.platform === 'linux' && process.getuid?.() === 0;
/** A tmpfs of `kb` KiB at `dir` (root only): a disk that is small, or read-only after `remountReadOnly`. */
function tmpfs(dir: string, kb: number): boolean {
  mkdirSync(dir, { recursive: true });
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir]).status !== 0) return false;
  cleanups.push(() => void spawnSync('umount', ['-l', dir]));
  return true;
}
const remountReadOnly = (dir: string) => expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0);

function raw(path: string, f: (db: Database.Database) => void) {
  const db = new Database(path);
  try {
    f(db);
  } finally {
    db.close();
  }
}

/** Writes `bytes` at `offset` of a file (creating it). */
function poke(path: string, offset: number, bytes: Buffer) {
  const fd = openSync(path, 'a+');
  closeSync(fd);
  const w = openSync(path, 'r+');
  writeSync(w, bytes, 0, bytes.length, offset);
  closeSync(w);
}

interface Situation {
  /** Where the database is: a file (checked byte for byte before and after), a PostgreSQL location. */
  db: string;
  /** The plan checked for "nothing changed" when `db` itself names none that can be read (a bad URL, a wrong password): the real one behind it. */
  watch?: string;
  commands: string[][];
  /** What the message must say (a word of it). */
  says: RegExp;
}

const writers = (db: string, id = '20200101-000000000-manual.plandb') => [
  ['init', '--db', db, '--force'],
  ['restore', '--db', db, '--from', id],
  ['backup', '--db', db],
  ['import', '--db', db, '--file', workbook, '--apply'],
];
const readers = (db: string, out: string) => [
  ['check', '--db', db],
  ['dump', '--db', db],
  ['rollup', '--db', db, '--year', '2021'],
  ['export', '--db', db, '--year', '2021', '--format', 'xlsx', '--out', out],
  ['handout', '--db', db, '--unit', '国際部', '--year', '2021', '--out', out],
  ['import', '--db', db, '--file', workbook],
];
/** Copying from the database, and onto it. */
const copies = (db: string, dir: string) => [
  ['copy', '--from', db, '--to', join(dir, 'copy.plandb')],
  ['copy', '--from', template, '--to', db, '--force'],
];

/** Each situation, made in a fresh folder (null: cannot be made here, e.g. no tmpfs without root). */
const situations: Record<string, (dir: string) => Promise<Situation | null> | Situation | null> = {
  'a folder given as --db': (dir) => {
    const db = join(dir, 'plan.plandb');
    mkdirSync(db);
    return { db, commands: [...writers(db), ...readers(db, join(dir, 'out'))], says: /フォルダー/ };
  },
  'user_version 0 with tables': (dir) => {
    const db = join(dir, 'plan.plandb');
    copyFileSync(template, db);
    raw(db, (d) => d.pragma('user_version = 0'));
    return { db, commands: [...writers(db).slice(1), ...readers(db, join(dir, 'out'))], says: /形式の番号がない/ };
  },
  'a negative user_version': (dir) => {
    const db = join(dir, 'plan.plandb');
    copyFileSync(template, db);
    raw(db, (d) => d.pragma('user_version = -3'));
    return { db, commands: [...writers(db).slice(1), ...readers(db, join(dir, 'out'))], says: /形式の番号が不正/ };
  },
  'an empty file marked as ours': (dir) => {
    const db = join(dir, 'plan.plandb');
    raw(db, (d) => {
      d.pragma(`application_id = ${PLAN_APPLICATION_ID}`);
      d.pragma(`user_version = ${latestSchemaVersion}`);
    });
    return { db, commands: [...writers(db).slice(1), ...readers(db, join(dir, 'out'))], says: /中身が空|空のファイル/ };
  },
  'a file of zero bytes': (dir) => {
    const db = join(dir, 'plan.plandb');
    writeFileSync(db, '');
    return { db, commands: [...writers(db).slice(1), ...readers(db, join(dir, 'out'))], says: /空のファイル/ };
  },
  'a lock file that is a folder': (dir) => {
    const db = join(dir, 'plan.plandb');
    copyFileSync(template, db);
    mkdirSync(`${db}.lock`);
    return { db, commands: writers(db).map((c) => [...c, '--take-over-lock']).concat(writers(db)), says: /ロックファイル.*フォルダー/ };
  },
  'a lock file that is a dangling link': (dir) => {
    const db = join(dir, 'plan.plandb');
    copyFileSync(template, db);
    symlinkSync(join(dir, 'gone', 'plan.plandb.lock'), `${db}.lock`);
    return { db, commands: writers(db), says: /存在しない場所を指すリンク/ };
  },
  'a lock of another computer': (dir) => {
    const db = join(dir, 'plan.plandb');
    copyFileSync(template, db);
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: 4242, host: 'somu-pc-07', since: '2026-11-30T09:00:00Z' }));
    return { db, commands: writers(db), says: /somu-pc-07.*--take-over-lock/ };
  },
  'a file in place of the backup folder': (dir) => {
    const db = join(dir, 'plan.plandb');
    copyFileSync(template, db);
    const userData = join(dir, 'userdata');
    vi.stubEnv('PLAN_WORKBENCH_USER_DATA', userData);
    mkdirSync(join(userData, 'backups'), { recursive: true });
    writeFileSync(backupFolder(userData, db), 'not a folder');
    return { db, commands: [writers(db)[0]!, writers(db)[2]!, writers(db)[3]!], says: /バックアップ/ };
  },
  'a backup folder on a read-only disk': async (dir) => {
    if (!mountable) return null;
    const db = join(dir, 'plan.plandb');
    copyFileSync(template, db);
    const userData = join(dir, 'userdata');
    if (!tmpfs(userData, 8192)) return null;
    vi.stubEnv('PLAN_WORKBENCH_USER_DATA', userData);
    const opened = sqlitePlanDb(new Database(db));
    const backup = await backupDatabase(opened, backupFolder(userData, db), 'manual');
    await opened.close();
    remountReadOnly(userData);
    return { db, commands: writers(db, backup.id), says: /バックアップ/ };
  },
  'a read-only file system': async (dir) => {
    if (!mountable) return null;
    const disk = join(dir, 'disk');
    if (!tmpfs(disk, 8192)) return null;
    const db = join(disk, 'plan.plandb');
    copyFileSync(template, db);
    const userData = join(dir, 'userdata');
    vi.stubEnv('PLAN_WORKBENCH_USER_DATA', userData);
    expect((await runCliCaptured('backup', '--db', db)).code).toBe(0);
    const id = listBackups(backupFolder(userData, db))[0]!.id;
    remountReadOnly(disk);
    return { db, commands: [writers(db)[0]!, writers(db, id)[1]!, writers(db)[3]!], says: /読み取り専用/ };
  },
  'a full disk (tmpfs with room for the old file only)': (dir) => {
    if (!mountable) return null;
    const disk = join(dir, 'disk');
    if (!tmpfs(disk, 1200)) return null;
    const db = join(disk, 'plan.plandb');
    copyFileSync(template, db);
    vi.stubEnv('PLAN_WORKBENCH_USER_DATA', join(dir, 'userdata'));
    return { db, commands: [['init', '--db', db, '--force']], says: /空き容量/ };
  },
  'a full disk (nothing left)': (dir) => {
    if (!mountable) return null;
    const disk = join(dir, 'disk');
    if (!tmpfs(disk, 1200)) return null;
    const db = join(disk, 'plan.plandb');
    copyFileSync(template, db);
    vi.stubEnv('PLAN_WORKBENCH_USER_DATA', join(dir, 'userdata'));
    // Fill what is left, byte by byte at the end.
    const fd = openSync(join(disk, 'filler'), 'w');
    try {
      for (const size of [65536, 4096, 512, 1]) for (;;) writeSync(fd, Buffer.alloc(size));
    } catch {
      // ENOSPC: full.
    } finally {
      closeSync(fd);
    }
    return { db, commands: writers(db), says: /空き容量/ };
  },
  'a 2.5 GB -wal beside the file (sparse, with a WAL header)': (dir) => {
    const db = join(dir, 'plan.plandb');
    copyFileSync(template, db);
    const wal = `${db}-wal`;
    writeFileSync(wal, '');
    spawnSync('truncate', ['-s', '2500M', wal]);
    const header = Buffer.alloc(32);
    header.writeUInt32BE(0x377f0682, 0);
    header.writeUInt32BE(3007000, 4);
    header.writeUInt32BE(4096, 8);
    poke(wal, 0, header);
    // Hashing 2.5 GB after every command is slow: three readers stand for all.
    return { db, commands: readers(db, join(dir, 'out')).filter((c) => ['check', 'dump', 'import'].includes(c[0]!)), says: /GB/ };
  },
};

/** A seeded plan on the test server (dropped after the test), closed: its URL, with the password. */
async function postgresPlan(): Promise<string> {
  const plan = await seededPlan('postgres');
  cleanups.push(plan.cleanup);
  await plan.db.close();
  return plan.location;
}

/** `url` with one part replaced (the URL parser keeps the rest as written). */
function changed(url: string, change: (u: URL) => void): string {
  const u = new URL(url);
  change(u);
  return u.toString();
}

/** Each wrong PostgreSQL location: a Japanese message, nothing changed on the server, the password never printed. */
const postgresSituations: Record<string, (dir: string) => Promise<Situation>> = {
  'a bad URL (an unknown parameter)': async (dir) => {
    const watch = await postgresPlan();
    const db = `${watch}?sslcert=x`;
    return { db, watch, commands: [...writers(db), ...readers(db, join(dir, 'out')), ...copies(db, dir)], says: /URL を読めません/ };
  },
  'a refused connection (nothing listens on the port)': async (dir) => {
    const watch = await postgresPlan();
    const db = changed(watch, (u) => (u.port = '1'));
    return { db, watch, commands: [...writers(db), ...readers(db, join(dir, 'out')), ...copies(db, dir)], says: /接続できません/ };
  },
  'a wrong password': async (dir) => {
    const watch = await postgresPlan();
    const db = changed(watch, (u) => (u.password = 'not-the-password'));
    return { db, watch, commands: [...writers(db), ...readers(db, join(dir, 'out')), ...copies(db, dir)], says: /パスワードが違います/ };
  },
  'a database of another application': async (dir) => {
    const fresh = await freshPostgresDatabase();
    cleanups.push(fresh.drop);
    const client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    await client.query(`create table customer (id int primary key, name text); insert into customer values (1, '取引先')`);
    await client.end();
    return { db: fresh.url, commands: [...writers(fresh.url), ...readers(fresh.url, join(dir, 'out')), ...copies(fresh.url, dir)], says: /計画ワークベンチのデータベースではありません/ };
  },
  'a plan of a newer schema': async (dir) => {
    const db = await postgresPlan();
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    await client.query(`update plan_format set version = 99`);
    await client.end();
    return { db, commands: [...writers(db), ...readers(db, join(dir, 'out')), ...copies(db, dir)], says: /新しいバージョン/ };
  },
};

const situationsOf = (engine: Engine): Record<string, (dir: string) => Promise<Situation | null> | Situation | null> => (engine === 'sqlite' ? situations : postgresSituations);

const japaneseLine = /^エラー: .*[\u3040-\u30ff\u4e00-\u9fff]/m;

describe.each(engines)('database and file situations on the command line (%s)', { timeout: 600_000 }, (engine) => {
  it.each(Object.keys(situationsOf(engine)))('%s', async (label) => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const situation = await situationsOf(engine)[label]!(t.dir);
    if (!situation) return; // cannot be made on this machine (see canMount)
    const watched = situation.watch ?? situation.db;
    const before = await locationState(watched);
    const folder = engine === 'sqlite' ? join(situation.db, '..') : t.dir;
    const around = readdirSync(folder).sort();
    // Neither the test server's password nor one given by mistake is ever printed.
    const secrets = engine === 'postgres' ? [new URL(testServerUrl()).password, 'not-the-password'] : [];
    for (const args of situation.commands) {
      const r = await runCliCaptured(...args);
      const what = `${label}: ${args.slice(0, 1).join(' ')} ${args.includes('--take-over-lock') ? '--take-over-lock' : ''}\n${r.stderr}`;
      expect(r.code, what).not.toBe(0);
      expect(r.stderr, what).toMatch(japaneseLine);
      expect(r.stderr, what).toMatch(situation.says);
      expect(r.stderr, what).toMatch(/^error: /m);
      expect(r.stderr, what).not.toContain('    at ');
      expect(r.stderr.length, what).toBeLessThan(500);
      for (const secret of secrets) expect(`${r.stdout}${r.stderr}`, what).not.toContain(secret);
      expect(await locationState(watched), what).toEqual(before);
      expect(readdirSync(folder).sort(), what).toEqual(around);
    }
  });

});

describe('the real command line (a child process)', { timeout: 600_000 }, () => {
  it('prints the same: a folder as --db, a negative user_version, a wrong PostgreSQL password (never printed)', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const folder = join(t.dir, 'folder.plandb');
    mkdirSync(folder);
    const negative = join(t.dir, 'negative.plandb');
    copyFileSync(template, negative);
    raw(negative, (d) => d.pragma('user_version = -1'));
    const before = fileState(negative);
    const wrongPassword = `${databaseUrl(testServerUrl(), 'postgres').replace(/:[^:@/]*@/, ':Secret-Wrong-1@')}`;
    for (const [db, says] of [
      [folder, /フォルダー/],
      [negative, /形式の番号が不正/],
      [wrongPassword, /パスワードが違います/],
    ] as const) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'electron', 'cli', 'main.ts'), 'check', '--db', db], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, PLAN_WORKBENCH_USER_DATA: join(t.dir, 'userdata'), NODE_OPTIONS: '' },
        timeout: 120_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(japaneseLine);
      expect(r.stderr).toMatch(says);
      expect(r.stderr).not.toContain('    at ');
      expect(r.stderr.length).toBeLessThan(500);
      expect(`${r.stdout}${r.stderr}`).not.toContain('Secret-Wrong-1');
    }
    expect(fileState(negative)).toEqual(before);
  });
});
