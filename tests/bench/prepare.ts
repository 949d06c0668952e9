/**
 * One scale's plans for `npm run bench`, in their own process: the synthetic plan `factor` times
 * the seed as a SQLite file, and the same plan copied with copyPlan (the `plan copy` command's
 * code) into a new database on the bench's PostgreSQL server, so both engines hold the same rows.
 * Prints one JSON object on stdout: the sizes, the build and copy times, and both locations.
 *
 * Usage: PLAN_BENCH_SERVER=<server url> prepare.ts <factor> <work folder>
 */
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { parseDbLocation } from '../../electron/db/db-location';
import { openPlanDatabase } from '../../electron/db/open';
import { copyPlan } from '../../electron/db/plan-copy';
import type { PlanDb } from '../../electron/db/plan-db';
import { openPostgresPlan } from '../../electron/db/postgres-open';
import { readSeedDirectory } from '../../electron/seed/read-seeds';
import { createDatabase } from '../../electron/workspace/create-database';
import { timeIt } from './measure';
import { scaleBundle } from './synthetic';

const [factorArg, dir] = process.argv.slice(2);
const serverUrl = process.env.PLAN_BENCH_SERVER!;
const factor = Number(factorArg);
const root = join(import.meta.dirname, '..', '..');
const path = join(dir!, `plan-${factor}x.plandb`);

/** The URL of database `name` on the server of `url` (same user and password). */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const build = await timeIt(async () => (await createDatabase(path, scaleBundle(readSeedDirectory(join(root, 'seeds')), factor), { force: true })).db.close());
const file = openPlanDatabase(path, { create: false }).db;
const count = async (db: PlanDb, t: string) => Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(db.q)).rows[0]!.n);
const size = {
  rows: await count(file, 'action_row'),
  themes: await count(file, 'theme'),
  targets: await count(file, 'target'),
  targetValues: await count(file, 'target_value'),
  units: await count(file, 'unit'),
  changes: await count(file, 'change'),
};

const name = `plan_bench_${factor}x_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`create database "${name}"`);
await admin.end();
const pgUrl = databaseUrl(serverUrl, name);
const location = parseDbLocation(pgUrl, {});
if (location.kind !== 'postgres') throw new Error('not a PostgreSQL location');
const target = (await openPostgresPlan(location)).db;
const copy = await timeIt(() => copyPlan(file, target, { force: true }));
// Statistics for the planner, as autovacuum would gather them a minute later on a real server.
await sql`analyze`.execute(target.q);
await target.close();
await file.close();

process.stdout.write(JSON.stringify({ factor, size, buildMs: build.ms, copyMs: copy.ms, sqlite: path, postgres: pgUrl, pgDatabase: name }) + '\n');
