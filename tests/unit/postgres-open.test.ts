import { createServer } from 'node:net';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { parseDbLocation, type PostgresLocation } from '../../electron/db/db-location';
import * as m001 from '../../electron/db/migrations/001-initial';
import { v2Columns } from '../../electron/db/migrations/002-field-checks-columns';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import { openPostgresPlan } from '../../electron/db/postgres-open';
import { missingPostgresMigrations, PLAN_APPLICATION, postgresSchemaVersion, v1Indexes } from '../../electron/db/postgres-schema';
import { type FreshDatabase, freshPostgresDatabase, onServer } from '../helpers/pg-database';

/**
 * Opening a plan on a real PostgreSQL server (tests/helpers/pg-global-setup.ts): an empty database
 * becomes a plan at the app's schema in one step; everything that is not ours, not reachable or not
 * allowed is refused with its Japanese message, and leaves the database as it was.
 */

let fresh: FreshDatabase;
beforeEach(async () => {
  fresh = await freshPostgresDatabase();
});
afterEach(async () => {
  await fresh.drop();
});

/** Runs `fn` on a plain connection to the test's database. */
async function onDatabase<T>(fn: (c: pg.Client) => Promise<T>, url = fresh.url): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** What the database holds that opening could change: its relations and plan_format. */
async function state(): Promise<unknown> {
  return onDatabase(async (c) => ({
    relations: (await c.query(`select relname, relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' order by relname`)).rows,
    format: (await c.query(`select to_regclass('plan_format') is not null as has`)).rows[0].has ? (await c.query('select * from plan_format')).rows : null,
  }));
}

async function refused(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const withPassword = (location: PostgresLocation, password: string): PostgresLocation => ({ ...location, config: { ...location.config, password } });

describe('the schema on PostgreSQL', () => {
  it('is at the app’s version, with a migration for every SQLite one after the baseline', () => {
    expect(postgresSchemaVersion).toBe(latestSchemaVersion);
    expect(missingPostgresMigrations()).toEqual([]);
  });

  it('has the indexes of migration 001, as 001 writes them', () => {
    const fromV1 = m001
      .up()
      .map((q) => q.sql)
      .filter((s) => /^create (unique )?index/i.test(s));
    expect([...v1Indexes].sort()).toEqual([...fromV1].sort());
  });
});

describe('opening', () => {
  it('makes an empty database a plan at schema 2: every table and column of schema 2, the change log, the indexes, plan_format', async () => {
    const opened = await openPostgresPlan(fresh.location, { create: true });
    try {
      expect(opened.schemaVersion).toBe(latestSchemaVersion);
      expect(opened.migrated).toEqual([2]);
      expect(opened.path).toBe(fresh.location.display);
      expect(opened.path).not.toContain('plan-test-password');
      expect(opened.db.engine).toBe('postgres');
      const columns = await onDatabase(
        async (c) =>
          (await c.query<{ table_name: string; column_name: string }>(`select table_name, column_name from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`)).rows,
      );
      const byTable = new Map<string, string[]>();
      for (const r of columns) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
      for (const [table, cols] of Object.entries(v2Columns)) expect(byTable.get(table), table).toEqual(Object.keys(cols));
      expect(byTable.get('change_set')).toEqual(['id', 'at', 'user', 'label', 'source', 'reverts_id']);
      expect(byTable.get('change')).toEqual(['id', 'set_id', 'table_name', 'row_id', 'op', 'column_name', 'old_value', 'new_value']);
      expect(byTable.get('plan_format')).toEqual(['application', 'version']);
      expect(byTable.size).toBe(Object.keys(v2Columns).length + 3);
      const indexes = await onDatabase(async (c) => (await c.query<{ indexname: string }>(`select indexname from pg_indexes where schemaname = 'public'`)).rows.map((r) => r.indexname));
      for (const statement of v1Indexes) expect(indexes).toContain(/index "([^"]+)"/.exec(statement)![1]);
      expect(await onDatabase(async (c) => (await c.query('select * from plan_format')).rows)).toEqual([{ application: PLAN_APPLICATION, version: 2 }]);
      // One row only.
      await expect(onDatabase((c) => c.query(`insert into plan_format values ('${PLAN_APPLICATION}', 2)`))).rejects.toThrow(/duplicate key/);
      // The plan is usable: ids of the change log come from the database.
      await opened.db.q.insertInto('change_set').values({ at: '2026-01-01T00:00:00Z', user: 'u', label: 'l', source: null, reverts_id: null }).execute();
      expect((await opened.db.q.selectFrom('change_set').select('id').execute()).map((r) => r.id)).toEqual([1]);
    } finally {
      await opened.db.close();
    }
    const again = await openPostgresPlan(fresh.location, { create: false });
    expect(again.migrated).toEqual([]);
    await again.db.close();
  });

  it('two opening an empty database at once create it once', async () => {
    const both = await Promise.all([openPostgresPlan(fresh.location), openPostgresPlan(fresh.location)]);
    for (const o of both) await o.db.close();
    expect(both.map((o) => o.migrated.length).sort()).toEqual([0, 1]);
    expect(await onDatabase(async (c) => (await c.query('select count(*)::int as n from plan_format')).rows[0].n)).toBe(1);
  });

  it('does not create a plan when told not to', async () => {
    const e = await refused(() => openPostgresPlan(fresh.location, { create: false }));
    expect(e.code).toBe('database_foreign');
    expect(e.messageJa).toMatch(/空です/);
    expect(await state()).toEqual({ relations: [], format: null });
  });
});

describe('refusals change nothing', () => {
  it('a database of another application (tables, no plan_format)', async () => {
    await onDatabase((c) => c.query('create table invoices (id int primary key, amount numeric); insert into invoices values (1, 10)'));
    const before = await state();
    const e = await refused(() => openPostgresPlan(fresh.location));
    expect(e.code).toBe('database_foreign');
    expect(e.messageJa).toMatch(/計画ワークベンチのデータベースではありません/);
    expect(e.message).toMatch(/no plan_format/);
    expect(await state()).toEqual(before);
  });

  it('a plan_format of another application', async () => {
    await onDatabase((c) => c.query(`create table plan_format (application text not null, version integer not null); insert into plan_format values ('other-app', 2)`));
    const before = await state();
    const e = await refused(() => openPostgresPlan(fresh.location));
    expect(e.code).toBe('database_foreign');
    expect(e.message).toMatch(/other-app/);
    expect(await state()).toEqual(before);
  });

  it('a plan of a newer schema', async () => {
    await (await openPostgresPlan(fresh.location)).db.close();
    await onDatabase((c) => c.query('update plan_format set version = $1', [latestSchemaVersion + 1]));
    const before = await state();
    const e = await refused(() => openPostgresPlan(fresh.location));
    expect(e.code).toBe('database_newer');
    expect(e.messageJa).toMatch(/新しいバージョンの計画ワークベンチで作成されています（形式 3、このアプリは 2 まで）/);
    expect(await state()).toEqual(before);
  });

  it('a refused connection, a wrong password, a missing database: each its message, never the password', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const secret = 'Ｐ§wrong-secret';
    const cases: [PostgresLocation, string, RegExp][] = [
      [{ ...fresh.location, config: { ...fresh.location.config, port: closedPort } }, 'not_found', /に接続できません。サーバーが起動しているか/],
      [withPassword(fresh.location, secret), 'forbidden', /パスワードが違います/],
      [{ ...fresh.location, config: { ...fresh.location.config, database: `${fresh.name}_missing` } }, 'not_found', /にありません。先に作成してください/],
      [{ ...fresh.location, config: { ...fresh.location.config, host: 'no-such-host.invalid' } }, 'not_found', /ホスト「no-such-host.invalid」が見つかりません/],
    ];
    for (const [location, code, message] of cases) {
      const e = await refused(() => openPostgresPlan(location));
      expect(e.code, e.message).toBe(code);
      expect(e.messageJa).toMatch(message);
      expect(e.messageJa + e.message).not.toContain(secret);
      expect(e.messageJa + e.message).not.toContain('plan-test-password');
    }
    expect(await state()).toEqual({ relations: [], format: null });
  });

  it('a user without the right to connect, or to create the tables', async () => {
    const role = `plan_test_role_${fresh.name.slice(-8)}`;
    await onServer((c) => c.query(`create role ${role} login password 'role-password'`));
    try {
      const asRole = parseDbLocation(fresh.url, {}) as PostgresLocation;
      const location: PostgresLocation = { ...asRole, config: { ...asRole.config, user: role, password: 'role-password' } };
      // PostgreSQL 15: PUBLIC may connect, but not create in schema public.
      const noCreate = await refused(() => openPostgresPlan(location));
      expect(noCreate.code).toBe('forbidden');
      expect(noCreate.messageJa).toMatch(/権限/);
      expect(await state()).toEqual({ relations: [], format: null });
      await onServer((c) => c.query(`revoke connect on database "${fresh.name}" from public`));
      const noConnect = await refused(() => openPostgresPlan(location));
      expect(noConnect.code).toBe('forbidden');
      expect(noConnect.messageJa).toMatch(/接続する権限がありません/);
      expect(noConnect.messageJa + noConnect.message).not.toContain('role-password');
    } finally {
      await onServer((c) => c.query(`drop role ${role}`));
    }
  });
});
