import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { backupFolder, listBackups } from '../../electron/db/backup';
import type { PlanDb } from '../../electron/db/plan-db';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { createDatabase } from '../../electron/workspace/create-database';
import { locationState, runCliCaptured } from '../helpers/cli-capture';
import { engines, reopen, unchangedCheck, usePlan } from '../helpers/engines';
import { freshPostgresDatabase, type FreshDatabase, onServer, testServerUrl } from '../helpers/pg-database';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * `npm run plan -- copy` and `init` on PostgreSQL: a whole plan with its change log moved between a
 * file and PostgreSQL both ways, the dump of every copy identical to the original's; a target that
 * holds a plan refused without --force (nothing changed) and backed up with it. The password given
 * in a URL is never printed.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
let t: ReturnType<typeof tempDir>;
let seedFile: string;
beforeAll(async () => {
  t = tempDir();
  vi.stubEnv('PLAN_WORKBENCH_USER_DATA', join(t.dir, 'userdata'));
  seedFile = join(t.dir, 'seed.plandb');
  await (await createDatabase(seedFile, realSeeds())).db.close();
});
afterAll(() => {
  vi.unstubAllEnvs();
  t.cleanup();
});

async function database(): Promise<FreshDatabase> {
  const d = await freshPostgresDatabase();
  cleanups.push(d.drop);
  return d;
}

/** The `dump` command's output: what "identical" is compared on. */
async function dumpOf(location: string): Promise<string> {
  const r = await runCliCaptured('dump', '--db', location);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function withPlan<T>(location: string, fn: (db: PlanDb) => Promise<T>): Promise<T> {
  const opened = await reopen(location);
  try {
    return await fn(opened.db);
  } finally {
    await opened.db.close();
  }
}

/** The change log, every column of every row in id order. */
const changeLog = (location: string) =>
  withPlan(location, async (db) => ({
    sets: await db.q.selectFrom('change_set').selectAll().orderBy('id').execute(),
    changes: await db.q.selectFrom('change').selectAll().orderBy('id').execute(),
  }));

/** The test server's password (in every URL the tests give), never in what a command prints. */
const noPassword = (r: { stdout: string; stderr: string }) => {
  const password = decodeURIComponent(new URL(testServerUrl()).password);
  expect(password.length).toBeGreaterThan(3);
  expect(`${r.stdout}\n${r.stderr}`).not.toContain(password);
};

describe('copy between a file and PostgreSQL', { timeout: 300_000 }, () => {
  it('seed file → PostgreSQL → a new file: the dumps of the three are byte-identical, and so is the change log', async () => {
    const pgDb = await database();
    const back = join(t.dir, 'back', 'copied.plandb');
    const there = await runCliCaptured('copy', '--from', seedFile, '--to', pgDb.url);
    expect(there.code, there.stderr).toBe(0);
    expect(there.stdout).toContain(`copied ${seedFile} to ${pgDb.location.display}`);
    expect(there.stdout).toMatch(/^ {2}change: [1-9]\d*$/m);
    noPassword(there);
    const again = await runCliCaptured('copy', '--from', pgDb.url, '--to', back);
    expect(again.code, again.stderr).toBe(0);
    noPassword(again);
    // A plan file, renamed into place: nothing left beside it.
    expect(readdirSync(join(t.dir, 'back'))).toEqual(['copied.plandb']);

    const original = await dumpOf(seedFile);
    expect(original.length).toBeGreaterThan(1000);
    expect(await dumpOf(pgDb.url)).toBe(original);
    expect(await dumpOf(back)).toBe(original);
    const log = await changeLog(seedFile);
    expect(log.changes.length).toBeGreaterThan(0);
    expect(await changeLog(pgDb.url)).toEqual(log);
    expect(await changeLog(back)).toEqual(log);
  });

  it('an edited plan on PostgreSQL copied to another database and back keeps its edit and its undo history', async () => {
    const a = await database();
    const b = await database();
    expect((await runCliCaptured('copy', '--from', seedFile, '--to', a.url)).code).toBe(0);
    await withPlan(a.url, async (db) => {
      const row = await db.q.selectFrom('action_row').select('id').orderBy('id').executeTakeFirstOrThrow();
      await applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: '共有した計画で直した値' }]);
    });
    const r = await runCliCaptured('copy', '--from', a.url, '--to', b.url);
    expect(r.code, r.stderr).toBe(0);
    const file = join(t.dir, 'edited.plandb');
    expect((await runCliCaptured('copy', '--from', b.url, '--to', file)).code).toBe(0);
    const dump = await dumpOf(a.url);
    expect(dump).toContain('共有した計画で直した値');
    expect(await dumpOf(b.url)).toBe(dump);
    expect(await dumpOf(file)).toBe(dump);
    expect(await changeLog(file)).toEqual(await changeLog(a.url));
  });

  it('refuses a target that holds a plan without --force, changing nothing; with --force replaces it after a backup', async () => {
    const pgDb = await database();
    expect((await runCliCaptured('copy', '--from', seedFile, '--to', pgDb.url)).code).toBe(0);
    const other = join(t.dir, 'other.plandb');
    await (await createDatabase(other, { ...realSeeds() })).db.close();
    await withPlan(other, async (db) => {
      const row = await db.q.selectFrom('action_row').select('id').orderBy('id').executeTakeFirstOrThrow();
      await applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: '上書きされる側の値' }]);
    });
    for (const [from, to] of [
      [other, pgDb.url],
      [pgDb.url, other],
    ] as const) {
      const before = await locationState(to);
      const r = await runCliCaptured('copy', '--from', from, '--to', to);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^エラー: .*--force を付けてください.*何も変更していません。$/m);
      expect(r.stderr).toMatch(/^error: /m);
      noPassword(r);
      expect(await locationState(to)).toEqual(before);
    }
    expect(readdirSync(t.dir).filter((f) => f.startsWith('.other'))).toEqual([]);

    // --force: the PostgreSQL plan becomes the file's, the plan it held is kept as a backup.
    const forced = await runCliCaptured('copy', '--from', other, '--to', pgDb.url, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/kept as backup \d{8}-\d{9}-replace\.plandb/);
    noPassword(forced);
    expect(await dumpOf(pgDb.url)).toBe(await dumpOf(other));
    const backups = listBackups(backupFolder(join(t.dir, 'userdata'), pgDb.location.display));
    expect(backups.map((b) => b.reason)).toEqual(['replace']);
    // The backup is a plan file holding what the database held: the seed plan.
    expect(await dumpOf(backups[0]!.path)).toBe(await dumpOf(seedFile));

    // And a file replaced with --force, backed up too.
    const fileForced = await runCliCaptured('copy', '--from', seedFile, '--to', other, '--force');
    expect(fileForced.code, fileForced.stderr).toBe(0);
    expect(await dumpOf(other)).toBe(await dumpOf(seedFile));
    expect(listBackups(backupFolder(join(t.dir, 'userdata'), other)).map((b) => b.reason)).toEqual(['replace']);
  });

  it('refuses a missing --to', async () => {
    const r = await runCliCaptured('copy', '--from', seedFile);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^エラー: .*--to/m);
  });
});

/** `location` copied to and from each of its other spellings: refused as itself, --force or not, not a byte or row changed. */
async function refusedAsItself(location: string, spellings: string[]): Promise<void> {
  for (const other of spellings)
    for (const [from, to] of [
      [location, other],
      [other, location],
    ] as const) {
      const before = await locationState(location);
      const r = await runCliCaptured('copy', '--from', from, '--to', to, '--force');
      expect(r.code, `${from} → ${to}`.replace(/:[^:@/]*@/g, ':***@')).toBe(1);
      expect(r.stderr).toMatch(/^エラー: コピー元とコピー先が同じデータベースです。何も変更していません。$/m);
      noPassword(r);
      expect(await locationState(location)).toEqual(before);
    }
}

describe('copy onto itself, however each side is written', { timeout: 300_000 }, () => {
  it('a file: by a relative path, through .., a symlink, a hard link (the same inode)', async () => {
    const folder = join(t.dir, 'self');
    mkdirSync(folder, { recursive: true });
    const plan = join(folder, 'plan.plandb');
    expect((await runCliCaptured('copy', '--from', seedFile, '--to', plan)).code).toBe(0);
    symlinkSync(plan, join(folder, 'link.plandb'));
    linkSync(plan, join(folder, 'hard.plandb'));
    const dotted = `./${relative(process.cwd(), plan)}`;
    await refusedAsItself(plan, [plan, dotted, join(folder, '..', 'self', 'plan.plandb'), join(folder, 'link.plandb'), join(folder, 'hard.plandb')]);
    // Not by name: a file of the same name in another folder is another database (copied, with --force, as asked).
    const elsewhere = join(t.dir, 'elsewhere', 'plan.plandb');
    expect((await runCliCaptured('copy', '--from', seedFile, '--to', elsewhere)).code).toBe(0);
    const r = await runCliCaptured('copy', '--from', plan, '--to', elsewhere, '--force');
    expect(r.code, r.stderr).toBe(0);
  });

  it('PostgreSQL: localhost for 127.0.0.1, a unix socket, the environment, a .pgconn file, and another role without superuser', async () => {
    const pgDb = await database();
    expect((await runCliCaptured('copy', '--from', seedFile, '--to', pgDb.url)).code).toBe(0);
    const url = new URL(pgDb.url);
    const password = decodeURIComponent(url.password);
    const socketDir = await onServer(async (c) => (await c.query<{ d: string }>("select current_setting('unix_socket_directories') as d")).rows[0]!.d.split(',')[0]!.trim());
    expect(socketDir).not.toBe('');
    // A role of its own that may connect (PUBLIC may, to a new database) and nothing else: not a superuser.
    const role = `plan_copy_${randomBytes(4).toString('hex')}`;
    await onServer((c) => c.query(`create role "${role}" login password 'role-secret-1234'`));
    cleanups.push(() => onServer((c) => c.query(`drop role if exists "${role}"`)));
    const pgconn = join(t.dir, 'self.pgconn');
    writeFileSync(pgconn, JSON.stringify({ host: url.hostname, port: Number(url.port), database: pgDb.name, user: url.username, password }), { mode: 0o600 });
    // `postgres:` alone: the database the environment names, as psql reads it.
    const env = { PGHOST: url.hostname, PGPORT: url.port, PGDATABASE: pgDb.name, PGUSER: url.username, PGPASSWORD: password };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      await refusedAsItself(pgDb.url, [
        pgDb.url.replace('127.0.0.1', 'localhost'),
        `postgres://${url.username}:${url.password}@/${pgDb.name}?host=${encodeURIComponent(socketDir)}&port=${url.port}`,
        'postgres:',
        pgconn,
        `postgres://${role}:role-secret-1234@${url.host}/${pgDb.name}`,
      ]);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    // An empty database given twice is refused as that too (before anything is opened, so not as empty).
    const empty = await database();
    await refusedAsItself(empty.url, [empty.url.replace('127.0.0.1', 'localhost')]);
    expect(await locationState(empty.url)).toEqual({});
  });
});

describe('init and check on PostgreSQL', { timeout: 300_000 }, () => {
  it('init fills an empty database from the seeds (the dump of a file made by init), refuses one holding a plan without --force', async () => {
    const pgDb = await database();
    const r = await runCliCaptured('init', '--db', pgDb.url);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^created ${pgDb.location.display.replace(/[.?]/g, '\\$&')} \\(schema version \\d+\\)`));
    noPassword(r);
    const file = join(t.dir, 'init.plandb');
    expect((await runCliCaptured('init', '--db', file)).code).toBe(0);
    // Built by the same builder: the same plan, ids, and change log (times apart).
    const normalise = (dump: string) => dump.replace(/"\d{4}-\d\d-\d\dT[^"]*"/g, '"<time>"');
    expect(normalise(await dumpOf(pgDb.url))).toBe(normalise(await dumpOf(file)));

    const before = await locationState(pgDb.url);
    const again = await runCliCaptured('init', '--db', pgDb.url);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');
    expect(await locationState(pgDb.url)).toEqual(before);
    const forced = await runCliCaptured('init', '--db', pgDb.url, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^replaced .*kept as backup/);
    noPassword(forced);
  });

  it('check reports the format row, the schema version, the rows checked, and that the server enforces the constraints', async () => {
    const pgDb = await database();
    expect((await runCliCaptured('copy', '--from', seedFile, '--to', pgDb.url)).code).toBe(0);
    const before = await locationState(pgDb.url);
    const r = await runCliCaptured('check', '--db', pgDb.url);
    expect(r.code, r.stderr).toBe(0);
    noPassword(r);
    const result = JSON.parse(r.stdout) as { database: string; format: { application: string; version: number }[]; schemaVersion: number; rows: Record<string, number>; constraints: string; ok: boolean };
    expect(result.database).toBe(pgDb.location.display);
    expect(result.format).toEqual([{ application: 'plan-workbench', version: result.schemaVersion }]);
    expect(result.rows.unit).toBeGreaterThan(0);
    expect(result.constraints).toContain('PostgreSQL サーバー');
    expect(result.ok).toBe(true);
    expect(await locationState(pgDb.url)).toEqual(before);
  });
});

/** A copy of the seed plan whose last change points at a change set that is not there: a row every plan database refuses, the last one copied. */
async function sourceRefusedAtTheEnd(): Promise<string> {
  const path = join(t.dir, `orphan-${randomBytes(3).toString('hex')}.plandb`);
  expect((await runCliCaptured('copy', '--from', seedFile, '--to', path)).code).toBe(0);
  const raw = new Database(path);
  try {
    // Foreign keys not enforced on this connection: a row the app never writes.
    raw.pragma('foreign_keys = OFF');
    raw.prepare(`insert into change (set_id, table_name, row_id, op, column_name, old_value, new_value) values (2147483000, 'unit', 'x', 'update', 'name', '"a"', '"b"')`).run();
  } finally {
    raw.close();
  }
  return path;
}

describe.each(engines)('a copy --force that fails midway leaves the target (%s) exactly as it was', { timeout: 300_000 }, (engine) => {
  const target = usePlan(engine);
  beforeEach(async () => {
    // The target's plan is not the source's: a copy that went through would show.
    const row = await target.db.q.selectFrom('action_row').select('id').orderBy('id').executeTakeFirstOrThrow();
    await applyGridEdits(target.db, 'セルの編集', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: '残るはずの値' }]);
  });

  /** Copies `from` onto the target with --force: refused as `why` says, the target's every row (a file's every byte) as before. The check, for more. */
  async function failsLeavingItAsItWas(from: string, why: RegExp): Promise<() => Promise<void>> {
    const unchanged = await unchangedCheck(target);
    const r = await runCliCaptured('copy', '--from', from, '--to', target.location, '--force');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(why);
    noPassword(r);
    await unchanged();
    return unchanged;
  }

  it('a row the target refuses, in the last table copied', async () => {
    const unchanged = await failsLeavingItAsItWas(await sourceRefusedAtTheEnd(), /^error: .*foreign key constraint/im);
    // The same copy from a sound source goes through, and the check sees it: it could have failed.
    const r = await runCliCaptured('copy', '--from', seedFile, '--to', target.location, '--force');
    expect(r.code, r.stderr).toBe(0);
    await expect(unchanged()).rejects.toThrow();
  });

  it.runIf(engine === 'postgres')('a constraint the target adds, and the connection dropping, halfway through the change log', async () => {
    const client = new pg.Client({ connectionString: target.location });
    await client.connect();
    try {
      const { rows } = await client.query<{ half: number }>('select (max(id) / 2)::int as half from "change"');
      const half = rows[0]!.half;
      expect(half).toBeGreaterThan(10);
      // Not valid: the rows there now are not checked; every row the copy writes is.
      await client.query(`alter table "change" add constraint copy_test_refuses check (id < ${half}) not valid`);
      await failsLeavingItAsItWas(seedFile, /^error: .*violates check constraint "copy_test_refuses"/m);
      await client.query('alter table "change" drop constraint copy_test_refuses');
      // The server ends the copy's own connection when it reaches the row.
      await client.query(`create function copy_test_drop() returns trigger language plpgsql as $$
        begin if new.id >= ${half} then perform pg_terminate_backend(pg_backend_pid()); end if; return new; end $$`);
      await client.query('create trigger copy_test_drop before insert on "change" for each row execute function copy_test_drop()');
      const unchanged = await failsLeavingItAsItWas(seedFile, /^エラー: データベースサーバーとの接続が切れました/m);
      await client.query('drop trigger copy_test_drop on "change"; drop function copy_test_drop()');
      expect((await runCliCaptured('copy', '--from', seedFile, '--to', target.location, '--force')).code).toBe(0);
      await expect(unchanged()).rejects.toThrow();
    } finally {
      await client.end();
    }
  });
});
