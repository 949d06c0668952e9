/**
 * The crash test, on both engines in one run:
 *
 * - `sqlite-kill`: a worker writes to a plan file and is killed with SIGKILL at a random moment;
 * - `postgres-kill`: the same against a plan in a fresh PostgreSQL database;
 * - `postgres-stop`: one worker writes to another fresh PostgreSQL plan while the server is stopped
 *   under it with an immediate shutdown (`pg_ctl stop -m immediate`: the server processes quit at
 *   once, as in a power cut) and started again; the writer must be answered with an error while the
 *   server is down (not left hanging) and write again once it is back.
 *
 * After every kill or crash the plan is opened afresh and checked (checks.ts): every acknowledged
 * change there, nothing half applied, the change log the data's. The moment is random: after a
 * random number of acknowledged actions (every other time only after an import, so that imports are
 * acknowledged and interrupted too), a random pause of up to two actions' average length. Counting
 * acknowledgements rather than milliseconds keeps every kill a kill while writing, however busy the
 * machine. PostgreSQL runs on a cluster of this run's own (pg-server.ts): the test stops it.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDbLocation } from '../../electron/db/db-location';
import { openPlanDatabase } from '../../electron/db/open';
import { copyPlan } from '../../electron/db/plan-copy';
import type { PlanDb } from '../../electron/db/plan-db';
import { openPostgresPlan } from '../../electron/db/postgres-open';
import { readSeedDirectory } from '../../electron/seed/read-seeds';
import { createDatabaseFile } from '../../electron/workspace/create-database';
import { buildWorker } from './bundle';
import { type Baseline, baselineOf, checkPlan } from './checks';
import { type CrashServer, startCrashServer } from './pg-server';
import { type Acks, copyAcks, noAcks, Victim } from './victim';

const root = join(import.meta.dirname, '..', '..');

export type CrashPart = 'sqlite-kill' | 'postgres-kill' | 'postgres-stop';
export const crashParts: readonly CrashPart[] = ['sqlite-kill', 'postgres-kill', 'postgres-stop'];

export interface PartReport {
  part: CrashPart;
  kills: number;
  acknowledged: number;
  /** Whether any import was acknowledged (imports are one action in six). */
  imports: boolean;
  /** postgres-stop: the distinct errors the writer was answered with while the server was down. */
  errorsWhileDown: string[];
  problems: string[];
  seconds: number;
}

/** A wait that should end at once: past this the run reports a hang instead of waiting for ever. */
const HANG_MS = 120_000;

async function orHang(wait: Promise<void>, what: string, bad: (why: string) => void): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), HANG_MS)));
  const ok = await Promise.race([wait.then(() => true as const), hung]);
  clearTimeout(timer);
  if (!ok) bad(`hang: ${what} (nothing for ${HANG_MS / 1000} s)`);
  return ok;
}

const randomInt = (n: number) => Math.floor(Math.random() * n);

/** Waits for the moment to strike: some acknowledged actions (after an import, when `afterImport`), then a random pause. */
async function randomMoment(victim: Victim, afterImport: boolean, bad: (why: string) => void): Promise<boolean> {
  const started = Date.now();
  const { acked, importsAcked } = victim;
  const wanted = acked + 1 + randomInt(4);
  if (afterImport && !(await orHang(victim.until(() => victim.importsAcked > importsAcked), 'no import acknowledged', bad))) return false;
  const more = afterImport ? victim.acked + randomInt(3) : wanted;
  if (!(await orHang(victim.until(() => victim.acked >= more), 'no action acknowledged', bad))) return false;
  await sleep(Math.random() * 2 * ((Date.now() - started) / Math.max(1, victim.acked - acked)));
  return true;
}

async function openPlan(location: string): Promise<PlanDb> {
  const parsed = parseDbLocation(location, {});
  return parsed.kind === 'file' ? openPlanDatabase(parsed.path, { create: false }).db : (await openPostgresPlan(parsed, { create: false })).db;
}

/** Opens the plan afresh (as the app would after the crash) and checks it against what was acknowledged before now. */
async function check(location: string, acks: Acks, baseline: Baseline): Promise<string[]> {
  const before = copyAcks(acks);
  const db = await openPlan(location);
  try {
    return await checkPlan(db, before, baseline);
  } finally {
    await db.close();
  }
}

interface PartContext {
  script: string;
  location: string;
  /** The colleague's copy the worker imports from. */
  colleague: string;
  baseline: Baseline;
  log: (line: string) => void;
}

async function killPart(part: CrashPart, kills: number, c: PartContext): Promise<PartReport> {
  const started = Date.now();
  const acks = noAcks();
  const problems: string[] = [];
  for (let i = 0; i < kills; i++) {
    const bad = (why: string) => problems.push(`${part} kill ${i + 1}: ${why}`);
    // Every run starts a new op sequence: a run killed before its first ack must not repeat the same ops.
    const victim = new Victim(c.script, [c.location, String(acks.last + 1_000_000 * (i + 1)), c.colleague], root, acks);
    const t0 = Date.now();
    let t1 = t0;
    try {
      if (await orHang(victim.until(() => victim.ready), 'the worker did not start', bad)) {
        t1 = Date.now();
        await randomMoment(victim, i % 2 === 1, bad);
      }
    } catch (e) {
      bad(e instanceof Error ? e.message : String(e));
    } finally {
      await victim.kill();
    }
    const t2 = Date.now();
    for (const p of await check(c.location, acks, c.baseline)) bad(p);
    for (const f of victim.failures) {
      c.log(`  ${part} ${i + 1}: op ${f.op} failed: ${f.code} ${f.message}`);
      if (f.code === 'internal') bad(`op ${f.op} failed unexpectedly: ${f.message}`);
    }
    c.log(
      `${part} ${i + 1}/${kills}: ${acks.count} acknowledged so far (${acks.imports >= 0 ? 'imports included' : 'no import yet'}), ${problems.length} problems` +
        ` [start ${t1 - t0} ms, writing ${t2 - t1} ms, check ${Date.now() - t2} ms]`,
    );
  }
  return { part, kills, acknowledged: acks.count, imports: acks.imports >= 0, errorsWhileDown: [], problems, seconds: (Date.now() - started) / 1000 };
}

async function stopPart(stops: number, server: CrashServer, c: PartContext): Promise<PartReport> {
  const started = Date.now();
  const part = 'postgres-stop';
  const acks = noAcks();
  const problems: string[] = [];
  const errors = new Set<string>();
  const victim = new Victim(c.script, [c.location, '1', c.colleague], root, acks);
  try {
    if (!(await orHang(victim.until(() => victim.ready), 'the worker did not start', (why) => problems.push(`${part}: ${why}`)))) stops = 0;
    for (let i = 0; i < stops; i++) {
      const bad = (why: string) => problems.push(`${part} ${i + 1}: ${why}`);
      if (!(await randomMoment(victim, i % 2 === 1, bad))) break;
      const failed = victim.failures.length;
      server.crash();
      // The writer is answered while the server is down: its next action fails with an error.
      if (!(await orHang(victim.until(() => victim.failures.length > failed), 'the writer got no answer while the server was down', bad))) break;
      for (const f of victim.failures.slice(failed)) {
        errors.add(`${f.code} ${f.message}`);
        // A clear message says the server is out of reach; 「予期しないエラー」 (internal) leaves the user guessing.
        if (f.code === 'internal') bad(`while the server was down the writer was told only 「${f.message}」 (internal)`);
      }
      server.restart();
      try {
        for (const p of await check(c.location, acks, c.baseline)) bad(p);
      } catch (e) {
        throw new Error(`${e instanceof Error ? e.message : String(e)}\n${server.logTail()}`, { cause: e });
      }
      // …and writes again once it is back (its pool drops the connections the crash broke).
      const acked = victim.acked;
      if (!(await orHang(victim.until(() => victim.acked > acked), 'the writer did not write again after the restart', bad))) break;
      c.log(`${part} ${i + 1}/${stops}: ${acks.count} acknowledged so far (${acks.imports >= 0 ? 'imports included' : 'no import yet'}), ${problems.length} problems`);
    }
  } catch (e) {
    problems.push(`${part}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await victim.kill();
    server.ensureRunning();
  }
  // The last crash's writes and whatever came after: checked once more with the worker gone.
  for (const p of await check(c.location, acks, c.baseline)) problems.push(`${part} at the end: ${p}`);
  return { part, kills: stops, acknowledged: acks.count, imports: acks.imports >= 0, errorsWhileDown: [...errors], problems, seconds: (Date.now() - started) / 1000 };
}

/** A plan in a fresh database of the crash server: the seed plan copied in, change log included. */
async function postgresPlan(server: CrashServer, name: string, seedFile: string): Promise<string> {
  const url = await server.freshDatabase(name);
  const location = parseDbLocation(url, {});
  if (location.kind !== 'postgres') throw new Error(`not a PostgreSQL location: ${name}`);
  const target = (await openPostgresPlan(location)).db;
  const source = openPlanDatabase(seedFile, { create: false }).db;
  try {
    await copyPlan(source, target);
  } finally {
    await source.close();
    await target.close();
  }
  return url;
}

/** Runs `counts[part]` kills of each part (0 skips it); a line per kill through `log`. */
export async function crashTest(counts: Partial<Record<CrashPart, number>>, log: (line: string) => void = () => {}): Promise<PartReport[]> {
  const dir = mkdtempSync(join(tmpdir(), 'plan-crash-'));
  const worker = await buildWorker();
  let server: CrashServer | null = null;
  const reports: PartReport[] = [];
  try {
    const seedFile = join(dir, 'seed.plandb');
    createDatabaseFile(seedFile, readSeedDirectory(join(root, 'seeds')));
    if ((counts['postgres-kill'] ?? 0) > 0 || (counts['postgres-stop'] ?? 0) > 0) server = await startCrashServer();
    for (const part of crashParts) {
      const n = counts[part] ?? 0;
      if (n <= 0) continue;
      const partDir = mkdtempSync(join(dir, `${part}-`));
      let location: string;
      if (part === 'sqlite-kill') {
        location = join(partDir, 'crash.plandb');
        // The seed plan file is closed and whole (its WAL checkpointed into it): a copy is the same plan.
        copyFileSync(seedFile, location);
      } else location = await postgresPlan(server!, `crash_${part.replace('-', '_')}`, seedFile);
      const first = await openPlan(location);
      const colleague = join(partDir, 'colleague.plandb');
      let baseline: Baseline;
      try {
        baseline = await baselineOf(first);
        // A colleague's copy, taken now: a backup file as the app writes one (for PostgreSQL, a snapshot copied into a new plan file).
        if (first.engine === 'sqlite') await first.sqlite.backup(colleague);
        else {
          const target = openPlanDatabase(colleague).db;
          await copyPlan(first, target).finally(() => target.close());
        }
      } finally {
        await first.close();
      }
      const context = { script: worker.script, location, colleague, baseline, log };
      reports.push(part === 'postgres-stop' ? await stopPart(n, server!, context) : await killPart(part, n, context));
    }
  } finally {
    server?.remove();
    worker.remove();
    rmSync(dir, { recursive: true, force: true });
  }
  return reports;
}
