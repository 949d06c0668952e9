import { type ChildProcess, fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError, type AppErrorShape } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import { makePrivateTemp } from '../files/private-temp';
import type { PlanDb } from '../db/plan-db';
import type { ChangeSetRow, ExpectedPlan, ForeignPlan } from './foreign-read';
import type { BaseRef, Incoming } from './incoming';
import { planStateAt } from '../model/plan-state';

/**
 * Reads another plan database file (a colleague's copy of the app's data). It is never opened
 * where it lies: the bytes are copied to a private temporary folder (0700, removed on every path;
 * a killed process's folder is swept at the next start) and read there by a child process
 * (foreign-read.ts) that is killed at a deadline — a recursive view or a huge table cannot hang
 * the app or the server. The common base is the newest change set both logs share, as a prefix:
 * the same ids with the same time, user and label. Without one, every difference is a conflict.
 */

export interface DatabaseBytes {
  name: string;
  bytes: Buffer;
  /** The file's write-ahead log when it was picked from disk with one beside it (recent edits not yet in the main file). */
  walBytes?: Buffer;
}

/**
 * How long reading a colleague's database may take: 10 s, and more for a larger file (a plan of
 * 100x the seed, 82 MB, took 4–7 s on a 2-core machine under heavy load, 18 s allowed).
 */
export const foreignReadLimits = { deadlineMs: 10_000, perMegabyteMs: 100 };
const deadlineFor = (bytes: number) => foreignReadLimits.deadlineMs + Math.ceil(bytes / 1024 / 1024) * foreignReadLimits.perMegabyteMs;

/** The newest change set at which both logs are still the same history. */
export function commonBase(mine: ChangeSetRow[], theirs: ChangeSetRow[]): ChangeSetRow | null {
  let base: ChangeSetRow | null = null;
  for (let i = 0; i < Math.min(mine.length, theirs.length); i++) {
    const a = mine[i]!;
    const b = theirs[i]!;
    if (a.id !== b.id || a.at !== b.at || a.user !== b.user || a.label !== b.label) break;
    base = a;
  }
  return base;
}

/** tsx's loader by its full path, so the child starts whatever the working folder is (the command line, the tests). */
function tsxLoader(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return 'tsx';
  }
}

/** The child's script: beside this module in the sources (run through tsx), in out/main in the build. */
function childEntry(): { script: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { script: join(dirname(here), 'foreign-read-child.ts'), execArgv: ['--import', tsxLoader()] };
  const candidates = [join(dirname(here), 'foreign-read-child.js'), join(dirname(here), '..', 'foreign-read-child.js')];
  return { script: candidates.find((c) => existsSync(c)) ?? candidates[0]!, execArgv: [] };
}

const timedOut = (name: string, ms: number) =>
  new AppError(
    'bad_file',
    `「${excerpt(name)}」の読み込みが ${Math.round(ms / 1000)} 秒で終わらないため中止しました。ファイルが大きすぎるか、ほかのプログラムで作り替えられています。開いている計画は変更していません。`,
    `${name}: foreign database read killed after ${ms} ms`,
  );

/** A reader that finished its last request, kept for the next one (unreferenced: it does not keep this process alive). */
let idle: ChildProcess | null = null;

function takeReader(): ChildProcess {
  const ready = idle;
  idle = null;
  if (ready && ready.connected && ready.exitCode === null && ready.signalCode === null) {
    ready.ref();
    ready.channel?.ref();
    (ready.stderr as unknown as { ref?: () => void } | null)?.ref?.();
    return ready;
  }
  const { script, execArgv } = childEntry();
  return fork(script, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
}

function keepReader(child: ChildProcess): void {
  child.removeAllListeners('message');
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  child.stderr?.removeAllListeners('data');
  child.on('error', () => {});
  if (idle) {
    child.kill('SIGKILL');
    return;
  }
  idle = child;
  child.on('exit', () => {
    if (idle === child) idle = null;
  });
  child.unref();
  child.channel?.unref();
  // The stderr pipe is a handle too: left referenced it kept a finished command line from exiting.
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
}

type Answer = { ok: true; value: ForeignPlan } | { ok: false; error: AppErrorShape };

function settleAnswer(answer: Answer, name: string, resolve: (v: ForeignPlan) => void, reject: (e: unknown) => void): void {
  if (answer.ok) resolve(answer.value);
  else if (answer.error.code === 'internal')
    reject(new AppError('internal', `「${excerpt(name)}」を読み込めませんでした（予期しないエラー）。開いている計画は変更していません。`, `${name}: reader failed: ${answer.error.logMessage}`));
  else reject(new AppError(answer.error.code, answer.error.message, answer.error.logMessage, answer.error.where));
}

/**
 * The app's flavour: inside Electron a Node child cannot be forked once the packaged app's
 * `runAsNode` fuse is off (electron-builder.yml), so the reader runs in a worker thread.
 * `terminate()` stops it at its next JavaScript step, not inside one native query: at the deadline
 * the caller is answered at once and the copy removed, but a query already running keeps its
 * thread until it returns. What could make one query endless (views, triggers) is dropped from the
 * copy before any query runs (foreign-schema.ts), so what is left is bounded by the file's size.
 */
export function readInWorker(path: string, name: string, mine: ExpectedPlan | null, deadlineMs: number): Promise<ForeignPlan> {
  return new Promise<ForeignPlan>((resolve, reject) => {
    const { script, execArgv } = childEntry();
    const worker = new Worker(script, { execArgv });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(timedOut(name, deadlineMs))), deadlineMs);
    worker.on('message', (message) => settle(() => settleAnswer(message as Answer, name, resolve, reject)));
    worker.on('error', (e) => settle(() => reject(new AppError('internal', `「${excerpt(name)}」を読み込めませんでした（読み込み処理が途中で終了しました）。開いている計画は変更していません。`, `${name}: reader worker: ${e.message}`))));
    worker.on('exit', (code) => settle(() => reject(new AppError('internal', `「${excerpt(name)}」を読み込めませんでした（読み込み処理が途中で終了しました）。開いている計画は変更していません。`, `${name}: reader worker exited (${code}) without an answer`))));
    worker.postMessage({ path, name, mine });
  });
}

/** Reads the private copy at `path` in a child process (a worker thread inside Electron); kills it at the deadline. */
export function readInChild(path: string, name: string, mine: ExpectedPlan | null, deadlineMs: number): Promise<ForeignPlan> {
  if (process.versions.electron) return readInWorker(path, name, mine, deadlineMs);
  return new Promise<ForeignPlan>((resolve, reject) => {
    const child = takeReader();
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString('utf8');
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(timedOut(name, deadlineMs)));
    }, deadlineMs);
    child.on('message', (message) => {
      const answer = message as Answer;
      keepReader(child);
      settle(() => settleAnswer(answer, name, resolve, reject));
    });
    child.on('error', (e) => settle(() => reject(new AppError('internal', 'データベースを読み込む処理を開始できませんでした。', `${name}: reader process: ${e.message}`))));
    child.on('exit', (code, signal) =>
      settle(() =>
        reject(
          new AppError(
            'internal',
            `「${excerpt(name)}」を読み込めませんでした（読み込み処理が途中で終了しました）。開いている計画は変更していません。`,
            `${name}: reader process exited (${signal ?? code}) without an answer: ${stderr.slice(0, 1000)}`,
          ),
        ),
      ),
    );
    child.send({ path, name, mine });
  });
}

/** The file's version of the plan, against the open plan `db` (the file itself is read in a child: readInChild). */
export async function databaseIncoming(db: PlanDb, file: DatabaseBytes): Promise<Incoming> {
  const myPlan: ExpectedPlan | undefined = await db.q.selectFrom('plan').select(['id', 'title']).executeTakeFirst();
  const temp = makePrivateTemp('import-copy');
  let theirs: ForeignPlan;
  try {
    const path = join(temp.dir, 'incoming.plandb');
    writeFileSync(path, file.bytes, { mode: 0o600 });
    if (file.walBytes) writeFileSync(`${path}-wal`, file.walBytes, { mode: 0o600 });
    theirs = await readInChild(path, file.name, myPlan ?? null, deadlineFor(file.bytes.length + (file.walBytes?.length ?? 0)));
  } finally {
    temp.remove();
  }
  if (!myPlan || myPlan.id !== theirs.plan.id)
    throw new AppError(
      'bad_file',
      `「${excerpt(file.name)}」は別の計画（${excerpt(theirs.plan.title)}）のデータベースです。開いている計画（${excerpt(myPlan?.title ?? 'なし')}）には取り込めません。`,
      `${file.name}: plan ${theirs.plan.id}, open plan ${myPlan?.id ?? 'none'}`,
    );
  // The log and the plan at the common base, as one view of the plan.
  const { common, baseState } = await db.snapshot(async (tx) => {
    const mine: ChangeSetRow[] = await tx.q.selectFrom('change_set').select(['id', 'at', 'user', 'label']).orderBy('id').execute();
    const common = commonBase(mine, theirs.changeSets);
    return { common, baseState: common ? await planStateAt(tx, common.id) : null };
  });
  const base: BaseRef | null = common ? { revision: common.id, at: common.at, label: common.label, how: 'common' } : null;
  return {
    kind: 'database',
    label: `計画データベース（${excerpt(theirs.plan.title)}）`,
    base,
    baseState,
    theirs: theirs.theirs,
    places: new Map(),
    sheetOrder: [],
    notes: common
      ? [`2つのデータベースが最後に同じだった時点（${new Date(common.at).toLocaleString('ja-JP')}「${excerpt(common.label)}」）から、それぞれの変更を比べています。`]
      : ['2つのデータベースには共通の履歴がないため、違いはすべて「競合」として表示します。どちらを残すか一つずつ選んでください。'],
  };
}
