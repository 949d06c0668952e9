import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import { latestSchemaVersion } from '../db/migrations/index';
import { checkIntegrity, openPlanDatabase, PLAN_APPLICATION_ID, type Sqlite } from '../db/open';
import type { BaseRef, Incoming } from './incoming';
import { planStateAt, readPlanState } from './plan-state';

/**
 * Reads another plan database file (a colleague's copy of the app's data). It is never opened
 * where it lies: the bytes are copied to a temporary folder, checked (ours, not newer, sound),
 * brought to this app's schema there if older, read, and the copy is deleted. The common base is
 * the newest change set both logs share, as a prefix: the same ids with the same time, user and
 * label. Without one, every difference is a conflict.
 */

export interface DatabaseBytes {
  name: string;
  bytes: Buffer;
  /** The file's write-ahead log when it was picked from disk with one beside it (recent edits not yet in the main file). */
  walBytes?: Buffer;
}

interface SetRow {
  id: number;
  at: string;
  user: string;
  label: string;
}

function sqliteCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

const damaged = (name: string, why: string) =>
  new AppError('bad_file', `「${name}」は壊れているため読めません（計画データベースとして開けません）。`, `${name}: damaged database: ${why}`);

function checkIdentity(path: string, name: string): void {
  let db: Sqlite | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    if (applicationId !== PLAN_APPLICATION_ID)
      throw new AppError('bad_file', `「${name}」は計画ワークベンチのデータベースではありません（ほかのアプリの SQLite ファイルです）。`, `${name}: application_id ${applicationId}`);
    if (userVersion > latestSchemaVersion)
      throw new AppError(
        'bad_file',
        `「${name}」は新しいバージョンの計画ワークベンチで作られています（形式 ${userVersion}、このアプリは ${latestSchemaVersion} まで）。アプリを更新してから取り込んでください。`,
        `${name}: schema version ${userVersion}, newer than ${latestSchemaVersion}`,
      );
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = sqliteCode(e);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw damaged(name, code);
    throw e;
  } finally {
    db?.close();
  }
}

function changeSets(sqlite: Sqlite): SetRow[] {
  return sqlite.prepare('select id, at, user, label from change_set order by id').all() as SetRow[];
}

/** The newest change set at which both logs are still the same history. */
export function commonBase(mine: SetRow[], theirs: SetRow[]): SetRow | null {
  let base: SetRow | null = null;
  for (let i = 0; i < Math.min(mine.length, theirs.length); i++) {
    const a = mine[i]!;
    const b = theirs[i]!;
    if (a.id !== b.id || a.at !== b.at || a.user !== b.user || a.label !== b.label) break;
    base = a;
  }
  return base;
}

export function databaseIncoming(master: Sqlite, file: DatabaseBytes): Incoming {
  const dir = mkdtempSync(join(tmpdir(), 'plan-import-'));
  const path = join(dir, 'incoming.plandb');
  try {
    writeFileSync(path, file.bytes);
    if (file.walBytes) writeFileSync(`${path}-wal`, file.walBytes);
    checkIdentity(path, file.name);
    let opened;
    try {
      opened = openPlanDatabase(path, { create: false });
    } catch (e) {
      if (e instanceof AppError && e.code !== 'database_busy') throw damaged(file.name, e.message);
      throw e;
    }
    const theirsDb = opened.sqlite;
    try {
      let problems: string[];
      try {
        problems = checkIntegrity(theirsDb);
      } catch (e) {
        throw damaged(file.name, sqliteCode(e) || String(e));
      }
      if (problems.length > 0) throw damaged(file.name, problems.slice(0, 5).join('; '));
      const myPlan = master.prepare('select id, title from plan').get() as { id: string; title: string } | undefined;
      const theirPlan = theirsDb.prepare('select id, title from plan').get() as { id: string; title: string } | undefined;
      if (!theirPlan) throw new AppError('bad_file', `「${file.name}」には計画が入っていません。`, `${file.name}: no plan row`);
      if (!myPlan || myPlan.id !== theirPlan.id)
        throw new AppError(
          'bad_file',
          `「${file.name}」は別の計画（${theirPlan.title}）のデータベースです。開いている計画（${myPlan?.title ?? 'なし'}）には取り込めません。`,
          `${file.name}: plan ${theirPlan.id}, open plan ${myPlan?.id ?? 'none'}`,
        );
      let theirs;
      try {
        theirs = readPlanState(theirsDb);
      } catch (e) {
        throw damaged(file.name, e instanceof Error ? e.message : String(e));
      }
      const common = commonBase(changeSets(master), changeSets(theirsDb));
      const base: BaseRef | null = common ? { revision: common.id, at: common.at, label: common.label, how: 'common' } : null;
      return {
        kind: 'database',
        label: `計画データベース（${theirPlan.title}）`,
        base,
        baseState: common ? planStateAt(master, common.id) : null,
        theirs,
        places: new Map(),
        sheetOrder: [],
        notes: common
          ? [`2つのデータベースが最後に同じだった時点（${new Date(common.at).toLocaleString('ja-JP')}「${common.label}」）から、それぞれの変更を比べています。`]
          : ['2つのデータベースには共通の履歴がないため、違いはすべて「競合」として表示します。どちらを残すか一つずつ選んでください。'],
      };
    } finally {
      theirsDb.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
