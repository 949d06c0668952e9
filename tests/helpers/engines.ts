import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, expect } from 'vitest';
import { parseDbLocation, type PostgresLocation } from '../../electron/db/db-location';
import { type OpenedDatabase, openPlanDatabase } from '../../electron/db/open';
import { copiedTables, copyPlan } from '../../electron/db/plan-copy';
import type { PlanDb } from '../../electron/db/plan-db';
import { openPostgresPlan } from '../../electron/db/postgres-open';
import { atRest } from './import-guard';
import { databaseUrl, freshPostgresDatabase, onServer, testServerUrl } from './pg-database';
import { seededDatabase } from './seeded-db';
import { tempDir } from './temp';

/**
 * The two engines a suite of the service layer runs on, and a plan under test on either: the same
 * suite, parameterised (`describe.each(engines)`), never a copy of it. On SQLite the plan is a real
 * file built from the seeds (seeded-db.ts); on PostgreSQL a database of its own on the test server
 * (pg-global-setup.ts) holding the same seed plan, ids and change log included.
 *
 * Why a template: copying the seed plan into a new database (copyPlan, thousands of rows in a few
 * hundred statements) costs far more than PostgreSQL copying a database file by file. So the seed
 * plan is copied once per test run into a template database, and each plan under test is
 * `CREATE DATABASE … TEMPLATE` of it: measured on the test cluster, about 0.25 s against 2.8 s.
 */

export const engines = ['sqlite', 'postgres'] as const;
export type Engine = (typeof engines)[number];

export interface PlanUnderTest {
  engine: Engine;
  /** The plan, as every service takes it. */
  db: PlanDb;
  /** As the workspace holds it (Workspace.use). */
  opened: OpenedDatabase;
  /** What a user would name it (`--db`, File › Open): the file's path, or the database's URL (with the test password). */
  location: string;
  /** A temporary folder of this plan's own (user data, exports, backups); the SQLite file is in it. */
  dir: string;
  /** Closes the plan and removes it (the file and its folder; the database). */
  cleanup(): Promise<void>;
}

/** A plan holding the seed plan, on `engine`. */
export async function seededPlan(engine: Engine): Promise<PlanUnderTest> {
  if (engine === 'sqlite') {
    const s = seededDatabase();
    return { engine, db: s.db.db, opened: s.db, location: s.path, dir: s.dir, cleanup: s.cleanup };
  }
  return fromTemplate(await seedTemplate());
}

/**
 * A plan of its own for each test of the calling `describe` (made before each, removed after):
 * the hooks every suite of the service layer would otherwise repeat. What it returns reads the
 * plan of the test running, so a suite keeps writing `plan.db`, `plan.location`; read only inside
 * tests and hooks (not while the describe is collected, when there is no plan yet). `make` is
 * seededPlan by default.
 */
export function usePlan(engine: Engine, make: (engine: Engine) => Promise<PlanUnderTest> = seededPlan): PlanUnderTest {
  let plan: PlanUnderTest | undefined;
  beforeEach(async () => {
    plan = await make(engine);
  });
  afterEach(async () => {
    const done = plan;
    plan = undefined;
    await done?.cleanup();
  });
  const now = (): PlanUnderTest => {
    if (plan === undefined) throw new Error('usePlan: the plan exists only inside a test (or its beforeEach/afterEach)');
    return plan;
  };
  return {
    engine,
    get db() {
      return now().db;
    },
    get opened() {
      return now().opened;
    },
    get location() {
      return now().location;
    },
    get dir() {
      return now().dir;
    },
    cleanup: () => now().cleanup(),
  };
}

/** A plan database with the schema and no plan in it, on `engine` (what `copy` writes into). */
export async function emptyPlan(engine: Engine): Promise<PlanUnderTest> {
  const t = tempDir();
  if (engine === 'sqlite') {
    const location = join(t.dir, 'empty.plandb');
    const opened = openPlanDatabase(location);
    return { engine, db: opened.db, opened, location, dir: t.dir, cleanup: closeThen(opened, async () => t.cleanup()) };
  }
  const fresh = await freshPostgresDatabase();
  const opened = await openPostgresPlan(fresh.location);
  return { engine, db: opened.db, opened, location: fresh.url, dir: t.dir, cleanup: closeThen(opened, async () => (t.cleanup(), fresh.drop())) };
}

/** Opens the plan at `location` again (after its PlanDb was closed), as a restarted app would. */
export async function reopen(location: string): Promise<OpenedDatabase> {
  const where = parseDbLocation(location, {});
  return where.kind === 'postgres' ? await openPostgresPlan(where, { create: false }) : openPlanDatabase(where.path, { create: false });
}

function postgresLocation(url: string): PostgresLocation {
  const where = parseDbLocation(url, {});
  if (where.kind !== 'postgres') throw new Error(`not a PostgreSQL location: ${url}`);
  return where;
}

function closeThen(opened: OpenedDatabase, after: () => Promise<unknown>): () => Promise<void> {
  return async () => {
    // The test may have closed it, or handed it to a workspace that did.
    await opened.db.close();
    await after();
  };
}

let template: Promise<string> | undefined;
/** This computer, in a template's name (a server may be shared). */
const thisHost = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** Templates of runs that ended without removing theirs (a persistent server named by PLAN_TEST_PG_URL) go after this long. */
const STALE_TEMPLATE_MS = 12 * 3600_000;

/**
 * The template database holding the seed plan, made once per test run: its name has the run's
 * process (the vitest process that forked this test file's worker) and host, so that the files of
 * one run share it and no other run, with other seeds or other code, ever uses it. The first file
 * to need it builds it under an advisory lock, as `…_building` renamed into place, so a file never
 * sees half of it. A throwaway cluster takes it away with itself; on a server of one's own, the
 * templates of runs older than STALE_TEMPLATE_MS are dropped by the next run that builds one.
 */
function seedTemplate(): Promise<string> {
  template ??= (async () => {
    const name = `plan_seed_${process.ppid}_${thisHost}`;
    await onServer(async (c) => {
      await c.query('select pg_advisory_lock(hashtext($1))', [name]);
      try {
        const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount) return;
        await dropStaleTemplates(c);
        const building = `${name}_building`;
        await c.query(`drop database if exists "${building}" with (force)`);
        await c.query(`create database "${building}"`);
        await c.query(`comment on database "${building}" is '${new Date().toISOString()}'`);
        const seed = seededDatabase();
        try {
          const target = await openPostgresPlan(postgresLocation(databaseUrl(testServerUrl(), building)));
          try {
            await copyPlan(seed.db.db, target.db);
          } finally {
            await target.db.close();
          }
        } finally {
          await seed.cleanup();
        }
        await c.query(`alter database "${building}" rename to "${name}"`);
      } finally {
        await c.query('select pg_advisory_unlock(hashtext($1))', [name]);
      }
    });
    return name;
  })();
  return template;
}

/** Whether process `pid` of this computer still runs. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The templates of runs that are over: of this computer, when their run's process is gone; of any, after STALE_TEMPLATE_MS. */
async function dropStaleTemplates(c: pg.Client): Promise<void> {
  const { rows } = await c.query<{ name: string; made: string | null }>(
    `select datname as name, shobj_description(oid, 'pg_database') as made from pg_database where datname like 'plan\\_seed\\_%'`,
  );
  for (const { name, made } of rows) {
    // Each is marked with the time it was made: one without that mark is not this helper's to drop.
    if (made === null) continue;
    const [, pid, host] = /^plan_seed_(\d+)_([0-9a-f]+)/.exec(name) ?? [];
    const over = (host === thisHost && !running(Number(pid))) || !(Date.now() - Date.parse(made) < STALE_TEMPLATE_MS);
    if (over) await c.query(`drop database if exists "${name}" with (force)`);
  }
}

let counter = 0;

async function fromTemplate(templateName: string): Promise<PlanUnderTest> {
  const name = `plan_test_${process.pid}_t${++counter}_${randomBytes(4).toString('hex')}`;
  // The template's own connections are closed (pool.end); one still ending makes CREATE DATABASE wait for it.
  // file_copy: a few hundred milliseconds, where the default (wal_log) writes the whole plan to the WAL (4x slower here).
  await onServer((c) => c.query(`create database "${name}" template "${templateName}" strategy file_copy`));
  const location = databaseUrl(testServerUrl(), name);
  const t = tempDir();
  try {
    const opened = await openPostgresPlan(postgresLocation(location), { create: false });
    return {
      engine: 'postgres',
      db: opened.db,
      opened,
      location,
      dir: t.dir,
      cleanup: closeThen(opened, async () => {
        t.cleanup();
        await onServer((c) => c.query(`drop database if exists "${name}" with (force)`));
      }),
    };
  } catch (e) {
    t.cleanup();
    await onServer((c) => c.query(`drop database if exists "${name}" with (force)`));
    throw e;
  }
}

/** A second connection to a plan, past the app's (another program: it sees only what is committed). */
export interface OtherConnection {
  /** Rows of `text`, with `?` for each parameter on both engines. */
  rows<T>(text: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function otherConnection(plan: PlanUnderTest): Promise<OtherConnection> {
  if (plan.engine === 'sqlite') {
    const reader = new Database(plan.location, { readonly: true });
    return { rows: async <T>(text: string, ...params: unknown[]) => reader.prepare(text).all(...params) as T[], close: async () => void reader.close() };
  }
  const client = new pg.Client({ connectionString: plan.location });
  await client.connect();
  return {
    rows: async <T>(text: string, ...params: unknown[]) => {
      let n = 0;
      return (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
    },
    close: () => client.end(),
  };
}

/** Every row of every table of the plan (the change log and plan_format included) as the server fingerprints it: one query. */
const fingerprintQuery = `select ${[...copiedTables, 'plan_format']
  .map((t) => `(select md5(string_agg(x::text, ',' order by x::text)) from "${t}" x) as "${t}"`)
  .join(', ')}`;

/** What the PostgreSQL database at `url` holds, read past the app (so that it can be read where the app would refuse it). */
export async function postgresContent(url: string): Promise<Record<string, string | null>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, string | null>>(fingerprintQuery)).rows[0]!;
  } finally {
    await client.end();
  }
}

/**
 * The plan at rest, and a check (awaited) that it still is: on SQLite the file's bytes, no WAL
 * frame and the same change log (import-guard.ts's atRest); on PostgreSQL, a fingerprint the server
 * computes of every row of every table, the change log included, in one query.
 */
export async function unchangedCheck(plan: PlanUnderTest): Promise<() => Promise<void>> {
  if (plan.engine === 'sqlite') return atRest(plan.db, plan.location);
  const fingerprint = async () => (await sql.raw<Record<string, string | null>>(fingerprintQuery).execute(plan.db.q)).rows[0];
  const before = await fingerprint();
  return async () => expect(await fingerprint()).toEqual(before);
}

/**
 * What the PostgreSQL database at `url` holds, whatever it is (empty, another application's, a plan
 * of any schema version), read past the app: its schemas, every table, view, index and sequence
 * in them (with the sequences' positions), every function, and every table's rows. Equal before
 * and after: nothing created, dropped, written or advanced.
 */
export async function postgresCatalogueState(url: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const ours = `not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;
  try {
    const list = async (text: string) => (await client.query<{ x: string }>(text)).rows.map((r) => r.x);
    const relations = await client.query<{ schema: string; name: string; kind: string }>(
      `select n.nspname as schema, c.relname as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname ${ours} order by 1, 2`,
    );
    const rows: Record<string, string> = {};
    for (const r of relations.rows.filter((r) => r.kind === 'r' || r.kind === 'p')) {
      const name = `"${r.schema.replace(/"/g, '""')}"."${r.name.replace(/"/g, '""')}"`;
      rows[name] = (await client.query<{ x: string }>(`select coalesce(md5(string_agg(t::text, ',' order by t::text)), 'none') as x from ${name} t`)).rows[0]!.x;
    }
    return {
      schemas: await list(`select n.nspname as x from pg_namespace n where n.nspname ${ours} order by 1`),
      relations: relations.rows.map((r) => `${r.schema}.${r.name} (${r.kind})`),
      functions: await list(`select p.oid::regprocedure::text as x from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname ${ours} order by 1`),
      sequences: await list(`select schemaname || '.' || sequencename || '=' || coalesce(last_value::text, 'unused') as x from pg_sequences order by 1`),
      rows,
    };
  } finally {
    await client.end();
  }
}

/** The database at `url` as it is now, and a check (awaited) that it still is (postgresCatalogueState). */
export async function postgresUntouchedCheck(url: string): Promise<() => Promise<void>> {
  const before = await postgresCatalogueState(url);
  return async () => expect(await postgresCatalogueState(url)).toEqual(before);
}
