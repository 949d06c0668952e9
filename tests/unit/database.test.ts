import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { latestSchemaVersion, migrations } from '../../electron/db/migrations/index';
import { checkIntegrity, openPlanDatabase, PLAN_APPLICATION_ID } from '../../electron/db/open';
import { POSTGRES_BASELINE_VERSION, postgresMigrations } from '../../electron/db/postgres-schema';
import { identityFromHeader } from '../../electron/db/untouched';
import { emptyPlan, engines, postgresContent, reopen, seededPlan } from '../helpers/engines';
import { sqliteOf } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function temp() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function refusalOf(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('a plan database file (SQLite)', () => {
  it('is created with WAL, foreign keys, our application id and the latest schema', async () => {
    const path = join(temp(), 'new.plandb');
    const db = openPlanDatabase(path);
    try {
      const sqlite = sqliteOf(db);
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(sqlite.pragma('application_id', { simple: true })).toBe(PLAN_APPLICATION_ID);
      expect(sqlite.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
      // Every migration, in order, from an empty file.
      expect(db.migrated).toEqual(migrations.map((m) => m.version));
      expect(checkIntegrity(sqlite)).toEqual([]);
    } finally {
      await db.db.close();
    }
    // Opening again applies nothing.
    const again = openPlanDatabase(path);
    expect(again.migrated).toEqual([]);
    await again.db.close();
  });

  it('refuses a SQLite file of another application, untouched', () => {
    const path = join(temp(), 'other.sqlite');
    const other = new Database(path);
    other.exec('create table customers (id integer primary key, name text)');
    other.close();
    const before = readFileSync(path);
    const e = errorOf(() => openPlanDatabase(path));
    expect(e.code).toBe('database_foreign');
    expect(e.messageJa).toContain('計画ワークベンチのデータベースではありません');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite at all, untouched', () => {
    const path = join(temp(), 'notes.plandb');
    writeFileSync(path, 'これはデータベースではありません'.repeat(200));
    const before = readFileSync(path);
    const e = errorOf(() => openPlanDatabase(path));
    expect(e.code).toBe('database_foreign');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('does not create a file when asked to open an existing one that is missing', () => {
    const e = errorOf(() => openPlanDatabase(join(temp(), 'missing.plandb'), { create: false }));
    expect(e.code).toBe('not_found');
  });
});

describe.each(engines)('a plan database on %s', (engine) => {
  it('is created at the latest schema from nothing; opened again, it applies nothing', async () => {
    const plan = await emptyPlan(engine);
    try {
      expect(plan.opened.schemaVersion).toBe(latestSchemaVersion);
      // A file runs every migration from an empty file; PostgreSQL starts at its baseline (schema 2).
      expect(plan.opened.migrated).toEqual(engine === 'sqlite' ? migrations.map((m) => m.version) : [POSTGRES_BASELINE_VERSION, ...postgresMigrations.map((m) => m.version)]);
      await plan.db.close();
      const again = await reopen(plan.location);
      expect(again.migrated).toEqual([]);
      expect(again.schemaVersion).toBe(latestSchemaVersion);
      await again.db.close();
    } finally {
      await plan.cleanup();
    }
  });

  it('enforces foreign keys (a theme cannot point to a missing row)', async () => {
    const plan = await emptyPlan(engine);
    try {
      await expect(
        plan.db.q
          .insertInto('theme')
          .values({ id: '00000000-0000-4000-8000-000000000001', row_id: '00000000-0000-4000-8000-000000000002', key: null, position: 0, text: 'x', pillar_id: null })
          .execute(),
      ).rejects.toThrow(/FOREIGN KEY|foreign key/);
    } finally {
      await plan.cleanup();
    }
  });

  it('refuses a plan written by a newer version and leaves it untouched (a file byte-identical)', async () => {
    const plan = await seededPlan(engine);
    try {
      if (plan.db.engine === 'sqlite') {
        plan.db.sqlite.pragma(`user_version = ${latestSchemaVersion + 1}`);
        plan.db.sqlite.pragma('journal_mode = DELETE');
      } else await sql`update plan_format set version = ${latestSchemaVersion + 1}`.execute(plan.db.q);
      await plan.db.close();
      const content = async () => (engine === 'sqlite' ? readFileSync(plan.location).toString('base64') : await postgresContent(plan.location));
      const before = await content();
      const e = await refusalOf(() => reopen(plan.location));
      expect(e.code).toBe('database_newer');
      expect(e.messageJa).toContain('新しいバージョン');
      expect(await content()).toEqual(before);
    } finally {
      await plan.cleanup();
    }
  });
});

describe('telling who wrote a file from its first page (SQLite)', () => {
  it('agrees with SQLite on a plan closed cleanly, and defers to SQLite whenever a -wal or journal may hold a newer first page', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.dir, 'plan.plandb');
      const opened = openPlanDatabase(path);
      sqliteOf(opened).exec('create table if not exists extra_probe (x)');
      // Open with a committed frame in the -wal: the first page on disk may be stale.
      const reader = new Database(path);
      reader.pragma('wal_autocheckpoint = 0');
      reader.exec('insert into extra_probe values (1)');
      expect(identityFromHeader(path)).toBeNull();
      reader.close();
      await opened.db.close();
      const quick = identityFromHeader(path);
      const slow = new Database(path, { readonly: true });
      try {
        expect(quick).toMatchObject({ applicationId: PLAN_APPLICATION_ID, userVersion: slow.pragma('user_version', { simple: true }) });
        expect(quick!.tableCount).toBeGreaterThan(0);
      } finally {
        slow.close();
      }
      // A user_version of 0 (or a file that is not SQLite's) is left to SQLite, which counts the tables for the message.
      writeFileSync(join(dir.dir, 'empty.plandb'), '');
      expect(identityFromHeader(join(dir.dir, 'empty.plandb'))).toBeNull();
      const bare = new Database(join(dir.dir, 'bare.sqlite'));
      bare.exec('create table t (x)');
      bare.close();
      expect(identityFromHeader(join(dir.dir, 'bare.sqlite'))).toBeNull();
    } finally {
      dir.cleanup();
    }
  });
});
