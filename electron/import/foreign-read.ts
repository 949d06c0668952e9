import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import type { PlanState } from '../../shared/import/state';
import { changeSetRules, checkStored, placeJa } from '../../shared/model/field-rules';
import { latestSchemaVersion } from '../db/migrations/index';
import { openPlanDatabase, PLAN_APPLICATION_ID, type Sqlite } from '../db/open';
import { badValueJa, badValueLog, findBadValue } from '../db/row-checks';
import { sanitizeForeignSchema } from './foreign-schema';
import { readPlanState } from '../model/plan-state';

/**
 * Reads a private copy of another plan database (a colleague's copy), in this order: who wrote it
 * (application id, version), its schema (foreign-schema.ts: only our tables and columns, nothing
 * that runs code), its pages (integrity check), every value of every row against the field rules
 * and every reference, and only then brings it to this app's schema (a migration on the copy) and
 * reads it. Any problem refuses the whole file with a short message naming table, row and column.
 * Runs in a child process (database-read.ts) that is killed at a deadline.
 */

export interface ChangeSetRow {
  id: number;
  at: string;
  user: string;
  label: string;
}

export interface ForeignPlan {
  plan: { id: string; title: string };
  theirs: PlanState;
  changeSets: ChangeSetRow[];
  /** What was removed from the copy before reading (views, triggers, …), for the log. */
  dropped: string[];
}

export function sqliteCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

export const damaged = (name: string, why: string) =>
  new AppError('bad_file', `「${excerpt(name)}」は壊れているため読めません（計画データベースとして開けません）。`, `${name}: damaged database: ${why}`);

const refusedValue = (name: string, whereJa: string, log: string) =>
  new AppError(
    'bad_file',
    `「${excerpt(name)}」は取り込めません。${whereJa}（ほかのプログラムで書き換えられた可能性があります）。開いている計画は変更していません。`,
    `${name}: value refused: ${log}`,
  );

/** SQLite's own errors about the file as the "damaged" message. */
function damagedOr(name: string, e: unknown): unknown {
  if (e instanceof AppError) return e;
  const code = sqliteCode(e);
  if (code.startsWith('SQLITE_')) return damaged(name, `${code}: ${e instanceof Error ? e.message : String(e)}`);
  return e;
}

/** Runs `read`, turning SQLite's own errors about the file into the "damaged" message. */
function asDamaged<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw damagedOr(name, e);
  }
}

function checkIdentity(path: string, name: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    if (applicationId !== PLAN_APPLICATION_ID)
      throw new AppError('bad_file', `「${excerpt(name)}」は計画ワークベンチのデータベースではありません（ほかのアプリの SQLite ファイルです）。`, `${name}: application_id ${applicationId}`);
    if (userVersion > latestSchemaVersion)
      throw new AppError(
        'bad_file',
        `「${excerpt(name)}」は新しいバージョンの計画ワークベンチで作られています（形式 ${userVersion}、このアプリは ${latestSchemaVersion} まで）。アプリを更新してから取り込んでください。`,
        `${name}: schema version ${userVersion}, newer than ${latestSchemaVersion}`,
      );
    if (userVersion < 1) throw damaged(name, `user_version ${userVersion}`);
    return userVersion;
  } finally {
    db.close();
  }
}

function checkChangeSets(sqlite: Sqlite, name: string): ChangeSetRow[] {
  const rows = sqlite.prepare('select id, at, user, label from change_set order by id').all() as Record<string, unknown>[];
  rows.forEach((row, i) => {
    for (const [column, rule] of Object.entries(changeSetRules)) {
      const reason = checkStored(rule, row[column]);
      if (reason) throw refusedValue(name, `${placeJa('change_set', column, { index: i + 1, id: row.id })}: ${reason}`, `change_set row ${i + 1} ${column}: ${reason}`);
    }
  });
  return rows as unknown as ChangeSetRow[];
}

/** The open plan, which the file must be a copy of. */
export interface ExpectedPlan {
  id: string;
  title: string;
}

/** The file's plan must be the open one: said before any value is checked (another plan's values are not the question). */
function checkSamePlan(sqlite: Sqlite, name: string, mine: ExpectedPlan | null): void {
  const plan = sqlite.prepare('select id, title from plan').get() as { id: unknown; title: unknown } | undefined;
  if (!plan) throw new AppError('bad_file', `「${excerpt(name)}」には計画が入っていません。`, `${name}: no plan row`);
  if (mine && plan.id !== mine.id)
    throw new AppError(
      'bad_file',
      `「${excerpt(name)}」は別の計画（${excerpt(plan.title)}）のデータベースです。開いている計画（${excerpt(mine.title)}）には取り込めません。`,
      `${name}: plan ${excerpt(plan.id)}, open plan ${mine.id}`,
    );
}

/**
 * The checks on an open connection to the copy, before anything reads its data: schema (what is
 * not ours is dropped), pages, plan, every value and reference. Returns what was dropped.
 */
export function checkForeignCopy(raw: Sqlite, version: number, name: string, mine: ExpectedPlan | null): string[] {
  return asDamaged(name, () => {
    // Before anything else: nothing of the file's own may run (no implicit DELETE of a DROP, no function of the schema).
    raw.pragma('foreign_keys = OFF');
    raw.pragma('trusted_schema = OFF');
    const { dropped } = sanitizeForeignSchema(raw, version, name);
    // quick_check: every page and record is sound (O(N)); whether indexes match their tables does not matter for reading.
    const problems = (raw.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).filter((p) => p !== 'ok');
    // A value the schema's own checks refuse is named below by the field rules (table, row, column).
    const valueProblems = problems.filter((p) => /^(CHECK constraint failed|NULL value in)/.test(p));
    if (problems.length > valueProblems.length) throw damaged(name, problems.slice(0, 5).join('; '));
    checkSamePlan(raw, name, mine);
    const bad = findBadValue(raw);
    if (bad) throw refusedValue(name, badValueJa(bad), badValueLog(bad));
    if (valueProblems.length > 0) throw damaged(name, valueProblems.slice(0, 5).join('; '));
    checkChangeSets(raw, name);
    return dropped;
  });
}

/**
 * Checks and reads the private copy at `path` (it is changed: sanitized, then migrated). The checks
 * run synchronously on a connection of their own; the checked copy is read as a plan (the model's
 * reader, asynchronous like every read of a plan).
 */
export async function readForeignCopy(path: string, name: string, mine: ExpectedPlan | null = null): Promise<ForeignPlan> {
  const version = asDamaged(name, () => checkIdentity(path, name));
  let dropped: string[];
  const raw = asDamaged(name, () => new Database(path, { fileMustExist: true }));
  try {
    dropped = checkForeignCopy(raw, version, name, mine);
  } finally {
    raw.close();
  }
  const opened = asDamaged(name, () => openPlanDatabase(path, { create: false }));
  const db = opened.db;
  try {
    const plan = await db.q.selectFrom('plan').select(['id', 'title']).executeTakeFirst();
    if (!plan) throw new AppError('bad_file', `「${excerpt(name)}」には計画が入っていません。`, `${name}: no plan row`);
    const changeSets: ChangeSetRow[] = await db.q.selectFrom('change_set').select(['id', 'at', 'user', 'label']).orderBy('id').execute();
    return { plan, theirs: await readPlanState(db), changeSets, dropped };
  } catch (e) {
    throw damagedOr(name, e);
  } finally {
    await db.close();
  }
}
