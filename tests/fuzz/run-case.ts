import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppErrorShape } from '../../shared/errors/app-error';
import { sql } from 'kysely';
import { RollupResult } from '../../shared/rollup/result';
import { planTableNames } from '../../shared/model/registry';
import { runCli } from '../../electron/cli/main';
import { openPlanDatabase } from '../../electron/db/open';
import type { PlanDb } from '../../electron/db/plan-db';
import type { DataTable } from '../../electron/db/schema';
import { dumpPlan } from '../../electron/seed/dump';
import { readSeedDump } from '../../electron/seed/read-seeds';
import { createDatabase } from '../../electron/workspace/create-database';
import { createHandler } from '../../electron/api/handlers';
import { rollupOf } from '../../electron/model/queries/rollup';
import { Workspace } from '../../electron/workspace/workspace';
import type { FuzzCase } from './cases';
import type { Samples } from './samples';

/**
 * Runs one fuzz case against a real plan database and checks what must hold whatever the input:
 * a refused file leaves the database byte-identical (main file and -wal); an accepted analysis
 * writes nothing; every error is an AppError (not 'internal') with a Japanese message of at most
 * 500 characters; after an accepted apply the plan passes integrity_check, its rollup computes,
 * and dump → init --from rebuilds it; a fill-in workbook changes only the rows it was handed out
 * with (and their children) or new rows. The deadline is the caller's (pool.ts kills the process).
 */

export type Outcome = 'refused' | 'no-change' | 'applied' | 'apply-refused' | 'created';

export interface CaseResult {
  outcome: Outcome;
  /** The refusal's Japanese message (shortened), when refused. */
  message?: string;
  problems: string[];
}

const MESSAGE_LIMIT = 500;
const LOG_LIMIT = 20_000;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

const sha = (path: string) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'none');
const fileState = (path: string) => `${sha(path)}/${sha(`${path}-wal`)}`;
const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…(${s.length})` : s).replace(/\n/g, '⏎');

function errorProblems(where: string, e: AppErrorShape): string[] {
  const out: string[] = [];
  if (e.code === 'internal') out.push(`${where}: internal error: ${short(e.logMessage.split('\n')[0] ?? '', 200)}`);
  if (e.message.length > MESSAGE_LIMIT) out.push(`${where}: message of ${e.message.length} characters: ${short(e.message, 120)}`);
  if (!JAPANESE.test(e.message)) out.push(`${where}: message not in Japanese: ${short(e.message)}`);
  if (e.logMessage.length > LOG_LIMIT) out.push(`${where}: log message of ${e.logMessage.length} characters`);
  return out;
}

/** The plan is sound: integrity check, a rollup that satisfies the contract, dump → init --from → the same dump. */
async function planProblems(db: PlanDb, dir: string, where: string): Promise<string[]> {
  const out: string[] = [];
  if (db.engine === 'sqlite') {
    const integrity = db.sqlite.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') out.push(`${where}: integrity_check: ${short(String(integrity))}`);
  }
  try {
    const rollup = RollupResult.safeParse(await rollupOf(db, {}));
    if (!rollup.success) out.push(`${where}: the rollup breaks its contract: ${short(rollup.error.message, 200)}`);
  } catch (e) {
    out.push(`${where}: the rollup fails: ${short(e instanceof Error ? e.message : String(e))}`);
  }
  try {
    const dump = JSON.stringify(await dumpPlan(db), null, 2) + '\n';
    const json = join(dir, 'rebuild.json');
    writeFileSync(json, dump);
    const again = join(dir, 'rebuild.plandb');
    for (const s of ['', '-wal', '-shm']) rmSync(again + s, { force: true });
    const rebuilt = (await createDatabase(again, readSeedDump(json), { source: json })).db;
    try {
      if (JSON.stringify(await dumpPlan(rebuilt), null, 2) + '\n' !== dump) out.push(`${where}: dump → init --from → dump differs`);
    } finally {
      await rebuilt.close();
    }
  } catch (e) {
    out.push(`${where}: dump → init --from fails: ${short(e instanceof Error ? e.message : String(e), 200)}`);
  }
  return out;
}

/** Rows a returned fill-in workbook may change: those it was handed out with and their children (new rows aside). */
async function rowsHandedOut(db: PlanDb, h: Samples['handedOut'][string]): Promise<Map<string, Set<string>>> {
  /** `column` of the rows of `table` whose `by` is in `list`. */
  const ids = async (table: 'target' | 'theme' | 'year_plan' | 'assignment' | 'target_value' | 'unit_focus_unit' | 'overview_item', by: string, list: string[], column = 'id') => {
    if (list.length === 0) return [];
    const rows = await sql<{ id: string }>`select ${sql.ref(column)} as id from ${sql.table(table)} where ${sql.ref(by)} in (${sql.join(list)})`.execute(db.q);
    return rows.rows.map((r) => r.id);
  };
  const targetIds = [...h.targets, ...(await ids('target', 'row_id', h.actionRows))];
  return new Map([
    ['action_row', new Set(h.actionRows)],
    ['theme', new Set(await ids('theme', 'row_id', h.actionRows))],
    ['year_plan', new Set(await ids('year_plan', 'row_id', h.actionRows))],
    ['assignment', new Set(await ids('assignment', 'row_id', h.actionRows))],
    ['target', new Set(targetIds)],
    ['target_value', new Set(await ids('target_value', 'target_id', targetIds))],
    ['unit_focus_unit', new Set(await ids('unit_focus_unit', 'unit_id', h.focus))],
    ['unit_focus', new Set(await ids('unit_focus_unit', 'unit_id', h.focus, 'focus_id'))],
    // An overview item pointing at a removed row loses the link.
    ['overview_item', new Set(await ids('overview_item', 'row_id', h.actionRows))],
  ]);
}

/** The ids in every plan table (the registry's tables: the change log's own are not rows of the plan). */
async function existingIds(db: PlanDb): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const t of planTableNames as readonly DataTable[]) out.set(t, new Set((await db.q.selectFrom(t).select('id').execute()).map((r) => r.id as string)));
  return out;
}

async function importCase(c: FuzzCase, samples: Samples, dir: string): Promise<CaseResult> {
  const problems: string[] = [];
  const userData = join(dir, 'user-data');
  const path = join(dir, 'plan.plandb');
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  copyFileSync(samples.plan, path);
  const ws = new Workspace('fuzz', userData);
  await ws.open(path);
  try {
    const handle = createHandler(ws, 'http', () => {});
    const before = fileState(path);
    const fileName = c.input.split(/[\\/]/).pop()!;
    const analysed = await handle('import.analyze', { source: { kind: 'upload', fileName, base64: readFileSync(c.input).toString('base64') } });
    if (fileState(path) !== before) problems.push(analysed.ok ? 'an accepted analysis wrote to the database' : 'a refused file changed the database');
    if (!analysed.ok) return { outcome: 'refused', message: short(analysed.error.message), problems: [...problems, ...errorProblems('analyze', analysed.error)] };
    const review = (analysed.value as { review: { reviewId: string; items: { id: string }[] } }).review;
    if (review.items.length === 0) return { outcome: 'no-change', problems };
    const handedOut = c.kind === 'handout' ? samples.handedOut[c.from] : undefined;
    const allowed = handedOut ? await rowsHandedOut(ws.current.db, handedOut) : null;
    const existing = handedOut ? await existingIds(ws.current.db) : null;
    const applied = await handle('import.apply', { reviewId: review.reviewId, take: review.items.map((i) => i.id), keep: [] });
    if (!applied.ok) {
      if (fileState(path) !== before) problems.push('a refused apply changed the database');
      return { outcome: 'apply-refused', message: short(applied.error.message), problems: [...problems, ...errorProblems('apply', applied.error)] };
    }
    const db = ws.current.db;
    const setId = (applied.value as { changeSetId: number | null }).changeSetId;
    if (allowed && existing && setId !== null) {
      // Moving other rows down to make room for a new one (position only) is not touching their data.
      const changes = (await sql<{ t: string; id: string }>`select table_name as t, row_id as id from change where set_id = ${setId} and coalesce(column_name, '') <> 'position'`.execute(db.q)).rows;
      const outside = changes.filter((ch) => existing.get(ch.t)?.has(ch.id) && !allowed.get(ch.t)?.has(ch.id));
      if (outside.length > 0)
        problems.push(`a fill-in workbook changed ${outside.length} row(s) it was not handed out with, e.g. ${[...new Set(outside.map((o) => `${o.t} ${o.id}`))].slice(0, 3).join(', ')}`);
    }
    problems.push(...(await planProblems(db, dir, 'after apply')));
    return { outcome: 'applied', problems };
  } finally {
    await ws.close();
  }
}

/** Runs the command line as a user would, catching what it prints. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    return { code: await runCli(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** The Japanese message of a command-line error: the text after 「エラー: 」 up to the English line. */
function cliMessageProblems(err: string, command = 'init'): string[] {
  const at = err.indexOf('エラー: ');
  if (at < 0) return [`${command}: no Japanese error message: ${short(err, 200)}`];
  const rest = err.slice(at + 'エラー: '.length);
  const end = [rest.indexOf('\nerror:'), rest.indexOf(' / error:')].filter((i) => i >= 0);
  const ja = end.length ? rest.slice(0, Math.min(...end)) : rest;
  const out: string[] = [];
  if (ja.length > MESSAGE_LIMIT) out.push(`${command}: message of ${ja.length} characters: ${short(ja, 120)}`);
  if (err.length > LOG_LIMIT) out.push(`${command}: printed ${err.length} characters of error`);
  if (/\n\s+at .+:\d+:\d+\)?/.test(err)) out.push(`${command}: a stack trace is printed: ${short(err.split('\n')[0] ?? '', 120)}`);
  return out;
}

async function dumpCase(c: FuzzCase, samples: Samples, dir: string): Promise<CaseResult> {
  const problems: string[] = [];
  const target = join(dir, c.force ? 'existing.plandb' : join('fresh', 'plan.plandb'));
  for (const s of ['', '-wal', '-shm']) rmSync(target + s, { force: true });
  mkdirSync(join(dir, 'fresh'), { recursive: true });
  if (c.force) copyFileSync(samples.plan, target);
  const before = fileState(target);
  const r = await cli(['init', '--db', target, '--from', c.input, ...(c.force ? ['--force'] : [])]);
  if (r.code !== 0) {
    problems.push(...cliMessageProblems(r.err));
    if (c.force && fileState(target) !== before) problems.push(existsSync(target) ? 'a refused dump changed the existing plan (init --force)' : 'a refused dump deleted the existing plan (init --force)');
    if (!c.force && existsSync(target)) problems.push('a refused dump left a database behind');
    const at = r.err.indexOf('エラー: ');
    return { outcome: 'refused', message: short(at >= 0 ? r.err.slice(at + 5) : r.err), problems };
  }
  const opened = openPlanDatabase(target, { create: false });
  try {
    problems.push(...(await planProblems(opened.db, dir, 'after init --from')));
  } finally {
    await opened.db.close();
  }
  return { outcome: 'created', problems };
}

/** `plan import --db … --file …` without --apply: shows the review or refuses, and never changes a byte of the plan. */
async function dryRunCase(c: FuzzCase, samples: Samples, dir: string): Promise<CaseResult> {
  const path = join(dir, 'dry-run.plandb');
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  copyFileSync(samples.plan, path);
  const before = fileState(path);
  const r = await cli(['import', '--db', path, '--file', c.input]);
  const problems: string[] = [];
  if (fileState(path) !== before) problems.push('`plan import` without --apply changed the database');
  if (r.code === 0) return { outcome: 'no-change', problems };
  problems.push(...cliMessageProblems(r.err, 'import'));
  const at = r.err.indexOf('エラー: ');
  return { outcome: 'refused', message: short(at >= 0 ? r.err.slice(at + 5) : r.err), problems };
}

export async function runCase(c: FuzzCase, samples: Samples, dir: string): Promise<CaseResult> {
  try {
    if (c.dryRunCli) return await dryRunCase(c, samples, dir);
    return c.kind === 'dump' ? await dumpCase(c, samples, dir) : await importCase(c, samples, dir);
  } catch (e) {
    // The harness's own steps (opening the copy, hashing) should never fail: a throw here is a finding too.
    return { outcome: 'refused', problems: [`uncaught: ${short(e instanceof Error ? (e.stack ?? e.message) : String(e), 300)}`] };
  }
}
