import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { backupFolder, listBackups } from '../../electron/db/backup';
import { openPlanDatabaseReadOnly } from '../../electron/db/open-read-only';
import type { PlanDb } from '../../electron/db/plan-db';
import { postgresSchemaVersion } from '../../electron/db/postgres-schema';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { dumpPlan } from '../../electron/seed/dump';
import { createDatabaseFile } from '../../electron/workspace/create-database';
import { openLocationReadOnly } from '../../electron/workspace/read-location';
import { Workspace } from '../../electron/workspace/workspace';
import { postgresUntouchedCheck } from '../helpers/engines';
import { countRows } from '../helpers/plan-sql';
import { freshPostgresDatabase, type FreshDatabase } from '../helpers/pg-database';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * The workspace on a plan in a real PostgreSQL database (the test server): created from the seeds
 * (built as a file, copied in one transaction), backed up as .plandb snapshots a planner can open
 * offline, restored in one transaction, copied to a file; and every refusal (an empty database
 * without seeds, another application's, a newer schema, a server that does not answer, a wrong
 * password, a URL it cannot read) says so in Japanese, leaves the plan that was open in place, and
 * leaves the refused database as it was (every object and row fingerprinted before and after).
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fresh(): Promise<FreshDatabase> {
  const db = await freshPostgresDatabase();
  cleanups.push(db.drop);
  return db;
}

function folders() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return { dir: t.dir, userData: join(t.dir, 'userdata') };
}

function workspace(userData?: string): Workspace {
  const ws = new Workspace('t', userData);
  cleanups.push(() => ws.close());
  return ws;
}

/** Runs `fn` on a connection of its own to the database at `url` (as another program would). */
async function onDatabase<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const firstRow = (db: PlanDb) => db.q.selectFrom('action_row').select(['id', 'term_plan']).orderBy('id').limit(1).executeTakeFirstOrThrow();

/** A seed plan as a file, for comparing (its dump is the one the PostgreSQL plan must have). */
async function seedDump(dir: string) {
  const path = join(dir, 'seed.plandb');
  createDatabaseFile(path, realSeeds());
  const opened = openPlanDatabaseReadOnly(path);
  try {
    return await dumpPlan(opened.db);
  } finally {
    await opened.db.close();
  }
}

describe('a workspace on PostgreSQL', () => {
  it('creates the plan from the seeds in an empty database, shows the display (no password), takes no lock, and backs up a .plandb once a day', async () => {
    const base = await fresh();
    const { dir, userData } = folders();
    const ws = workspace(userData);
    const opened = await ws.open(base.url, { createFrom: realSeeds });
    expect(opened.db.engine).toBe('postgres');
    expect(ws.current.path).toBe(base.location.display);
    expect(ws.fileName).toBe(base.location.display);
    expect(ws.fileName).not.toContain('plan-test-password');
    expect(ws.location).toBe(base.url);
    expect(ws.readOnly).toBe(false);
    expect(await dumpPlan(ws.current.db)).toEqual(await seedDump(dir));
    // No lock file anywhere: the folder of the backups holds .plandb files only.
    const folder = backupFolder(userData, ws.current.path);
    expect(readdirSync(folder).filter((n) => !n.endsWith('.plandb'))).toEqual([]);
    const daily = listBackups(folder);
    expect(daily.map((b) => b.reason)).toEqual(['daily']);
    expect(folder).not.toContain('plan-test-password');
    // The snapshot opens offline as a plan file, with the same plan.
    const offline = openPlanDatabaseReadOnly(daily[0]!.path);
    cleanups.push(() => offline.db.close());
    expect(await dumpPlan(offline.db)).toEqual(await dumpPlan(ws.current.db));
    // Opened again (another day's start, another workspace): no second daily backup, the same plan, not filled twice.
    await ws.close();
    const again = workspace(userData);
    await again.open(base.url, { createFrom: realSeeds });
    expect(listBackups(folder)).toHaveLength(1);
    expect(await countRows(again.current.db, 'plan')).toBe(1);
  });

  it('an empty database without seeds is refused, and the plan open before stays open', async () => {
    const base = await fresh();
    const { dir } = folders();
    const file = join(dir, 'plan.plandb');
    createDatabaseFile(file, realSeeds());
    const ws = workspace();
    await ws.open(file);
    const untouched = await postgresUntouchedCheck(base.url);
    const e = await ws.open(base.url).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).messageJa).toContain('空です');
    expect(ws.current.db.engine).toBe('sqlite');
    expect(ws.fileName).toBe('plan.plandb');
    // And nothing was created in it.
    const tables = await onDatabase(base.url, async (c) => (await c.query<{ n: number }>("select count(*)::int as n from pg_tables where schemaname = 'public'")).rows[0]!.n);
    expect(tables).toBe(0);
    await untouched();
  });

  it('restores a backup in one transaction: the later edit is gone, the change log is the backup’s, the state before is kept and restorable', async () => {
    const base = await fresh();
    const { userData } = folders();
    const ws = workspace(userData);
    await ws.open(base.url, { createFrom: realSeeds });
    const row = await firstRow(ws.current.db);
    const before = await ws.backupNow('manual');
    const changesBefore = await countRows(ws.current.db, 'change_set');
    await applyGridEdits(ws.current.db, 'edit', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'バックアップ後の変更' }]);
    expect((await firstRow(ws.current.db)).term_plan).toBe('バックアップ後の変更');

    const report = await ws.restore(before.id);
    expect(report.restoredFrom).toBe(before.id);
    expect(report.safetyBackup.reason).toBe('restore');
    expect(ws.current.db.engine).toBe('postgres');
    expect((await firstRow(ws.current.db)).term_plan).toBe(row.term_plan);
    expect(await countRows(ws.current.db, 'change_set')).toBe(changesBefore);
    // Undo the restore by restoring the safety backup.
    await ws.restore(report.safetyBackup.id);
    expect((await firstRow(ws.current.db)).term_plan).toBe('バックアップ後の変更');
    // The ids go on past the restored change log: a new edit is logged.
    await applyGridEdits(ws.current.db, 'edit', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: '復元後の編集' }]);
    expect(await countRows(ws.current.db, 'change_set')).toBe(changesBefore + 2);
  });

  it('refuses to restore a backup this app cannot open, before changing anything', async () => {
    const base = await fresh();
    const { userData } = folders();
    const ws = workspace(userData);
    await ws.open(base.url, { createFrom: realSeeds });
    const entry = await ws.backupNow('manual');
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(entry.path);
    raw.pragma('user_version = 999');
    raw.close();
    const dump = await dumpPlan(ws.current.db);
    const reasons = ws.backups().map((b) => b.reason);
    const e = await ws.restore(entry.id).catch((err: unknown) => err);
    expect((e as AppError).code).toBe('database_newer');
    expect(await dumpPlan(ws.current.db)).toEqual(dump);
    expect(ws.backups().map((b) => b.reason)).toEqual(reasons);
  });

  it('saves a copy as a .plandb file a planner can open offline, with the same plan', async () => {
    const base = await fresh();
    const { dir } = folders();
    const ws = workspace();
    await ws.open(base.url, { createFrom: realSeeds });
    const row = await firstRow(ws.current.db);
    await applyGridEdits(ws.current.db, 'edit', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'コピーに入る変更' }]);
    const target = join(dir, '計画のコピー.plandb');
    await ws.saveCopy(target);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    const copy = workspace();
    await copy.open(target);
    expect(await dumpPlan(copy.current.db)).toEqual(await dumpPlan(ws.current.db));
    expect(await countRows(copy.current.db, 'change')).toBe(await countRows(ws.current.db, 'change'));
    expect(existsSync(`${target}.lock`)).toBe(true);
  });

  it('File › New on PostgreSQL backs the plan up, then replaces it with the seeds in one step', async () => {
    const base = await fresh();
    const { dir, userData } = folders();
    const first = workspace(userData);
    await first.open(base.url, { createFrom: realSeeds });
    const row = await firstRow(first.current.db);
    await applyGridEdits(first.current.db, 'edit', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: '置き換え前の変更' }]);
    await first.close();
    const ws = workspace(userData);
    await ws.create(base.url, realSeeds());
    expect(await dumpPlan(ws.current.db)).toEqual(await seedDump(dir));
    const kept = ws.backups().find((b) => b.reason === 'replace')!;
    const old = openPlanDatabaseReadOnly(kept.path);
    cleanups.push(() => old.db.close());
    expect((await firstRow(old.db)).term_plan).toBe('置き換え前の変更');
  });

  it('the job workers’ read-only opening refuses writes on the server and reads the plan', async () => {
    const base = await fresh();
    const ws = workspace();
    await ws.open(base.url, { createFrom: realSeeds });
    const reader = await openLocationReadOnly(ws.location);
    cleanups.push(() => reader.db.close());
    expect(reader.readOnly).toBe(true);
    expect(reader.schemaVersion).toBe(postgresSchemaVersion);
    expect(await countRows(reader.db, 'action_row')).toBe(await countRows(ws.current.db, 'action_row'));
    const row = await firstRow(reader.db);
    await expect(reader.db.transaction((tx) => tx.q.updateTable('action_row').set({ term_plan: 'x' }).where('id', '=', row.id).execute())).rejects.toThrow(/read-only/);
  });
});

describe('refusals when opening a plan on PostgreSQL: in Japanese, nothing changed, the open plan stays', () => {
  async function withFileOpen() {
    const { dir } = folders();
    const file = join(dir, 'plan.plandb');
    createDatabaseFile(file, realSeeds());
    const ws = workspace();
    await ws.open(file);
    return ws;
  }
  /** Opens `location`, refused; `reachable` (the refused database, as the test itself reaches it) fingerprinted before and after. */
  async function refusal(ws: Workspace, location: string, reachable?: string): Promise<AppError> {
    const untouched = reachable === undefined ? undefined : await postgresUntouchedCheck(reachable);
    const e = await ws.open(location, { createFrom: realSeeds }).catch((err: unknown) => err);
    await untouched?.();
    expect(e).toBeInstanceOf(AppError);
    expect(ws.fileName).toBe('plan.plandb');
    expect(await countRows(ws.current.db, 'plan')).toBe(1);
    const error = e as AppError;
    expect(`${error.messageJa} ${error.message}`).not.toContain('plan-test-password');
    expect(`${error.messageJa} ${error.message}`).not.toContain('wrong-secret');
    return error;
  }

  it('a server that refuses the connection', async () => {
    const ws = await withFileOpen();
    // A port nobody listens on (the test server's own port is another).
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const e = await refusal(ws, `postgres://plan:plan-test-password@127.0.0.1:${port}/nothing`);
    expect(e.messageJa).toContain('接続できません');
  });

  it('a wrong password', async () => {
    const base = await fresh();
    const ws = await withFileOpen();
    const url = new URL(base.url);
    url.password = 'wrong-secret';
    const e = await refusal(ws, url.toString(), base.url);
    expect(e.messageJa).toContain('パスワードが違います');
  });

  it('a URL it cannot read (an sslmode it does not know), naming a plan that is there', async () => {
    const base = await fresh();
    const seeded = workspace();
    await seeded.open(base.url, { createFrom: realSeeds });
    await seeded.close();
    const ws = await withFileOpen();
    const e = await refusal(ws, `${base.url}?sslmode=sometimes`, base.url);
    expect(e.code).toBe('invalid_arguments');
    expect(e.messageJa).toContain('URL を読めません');
  });

  it('a database of another application', async () => {
    const base = await fresh();
    await onDatabase(base.url, (c) => c.query("create table invoices (id serial primary key, customer text); insert into invoices (customer) values ('a'), ('b')"));
    const ws = await withFileOpen();
    const e = await refusal(ws, base.url, base.url);
    expect(e.code).toBe('database_foreign');
    expect(e.messageJa).toContain('計画ワークベンチのデータベースではありません');
  });

  it('a plan of a newer schema', async () => {
    const base = await fresh();
    const seeded = workspace();
    await seeded.open(base.url, { createFrom: realSeeds });
    await seeded.close();
    await onDatabase(base.url, (c) => c.query('update plan_format set version = version + 1'));
    const ws = await withFileOpen();
    const e = await refusal(ws, base.url, base.url);
    expect(e.code).toBe('database_newer');
    expect(e.messageJa).toContain('新しいバージョン');
  });
});
