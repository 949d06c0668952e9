import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, lstatSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import { processStartOf } from './process-start';
import { canonicalPath } from './real-path';

/** What a lock file holds: who has the database, since when, and when that process started. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /** The holder's process start (boot id and start tick on Linux): a reused PID has another one. */
  start?: string;
}

export interface LockOptions {
  /**
   * Take over a lock that cannot be proven stale (another computer's, an unreadable one), because
   * the user said so (`--take-over-lock`, or the app after asking when the open failed with
   * 'lock_unverified'). A lock of a process that is verifiably running on this computer is never
   * taken over.
   */
  takeOver?: boolean;
  /**
   * Take over this process's own lock, left by a thread of it that is gone: the services restarted
   * in a new worker thread after a crash (electron/api/services.ts). Without it, this process's
   * lock is live in every thread, and a second acquire is refused.
   */
  reclaimOwn?: boolean;
}

type Verdict =
  | { kind: 'stale' }
  | { kind: 'live'; holder: LockHolder }
  /** This very process holds it (this thread or another one): live, and never stale while we run. */
  | { kind: 'own'; holder: LockHolder }
  /** Nobody can tell whether the holder is still using the file. */
  | { kind: 'unverified'; holder: LockHolder | null };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isSafeInteger(v.pid) || (v.pid as number) <= 0 || typeof v.host !== 'string' || v.host === '' || typeof v.since !== 'string') return null;
    return { pid: v.pid!, host: v.host, since: v.since, ...(typeof v.start === 'string' ? { start: v.start } : {}) };
  } catch {
    return null;
  }
}

/**
 * Locks this thread holds. Module state is per thread (a worker thread loads its own copy), so this
 * only helps where no process start token exists (Windows); elsewhere the token tells.
 */
const heldHere = new Set<string>();

/** This process's own start token (the same in every thread of it). */
const myStart = processStartOf(process.pid);

function judge(holder: LockHolder | null, lockPath: string): Verdict {
  if (!holder) return { kind: 'unverified', holder: null };
  if (holder.host !== hostname()) return { kind: 'unverified', holder };
  if (holder.pid === process.pid) {
    // Our PID with our start token: this process wrote it, from this thread or another (a job worker, the services' worker).
    if (heldHere.has(lockPath) || (myStart !== undefined && holder.start === myStart)) return { kind: 'own', holder };
    // Every thread of ours writes our token: without it, or with another one, an earlier process that had our PID wrote it.
    if (myStart !== undefined) return { kind: 'stale' };
    // No token (Windows): an earlier process with our PID, or another thread of ours; nobody can tell.
    return { kind: 'unverified', holder };
  }
  if (!alive(holder.pid)) return { kind: 'stale' };
  const now = processStartOf(holder.pid);
  if (holder.start && now) return now === holder.start ? { kind: 'live', holder } : { kind: 'stale' };
  // Running, but nothing tells whether it is the same process that wrote the lock (Windows, an old lock).
  return { kind: 'unverified', holder };
}

const codeOf = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code;

/** The lock path as found on disk: refuses a folder or a link (nothing this app writes), with what to do. */
function readLockFile(lockPath: string, dbName: string): { text: string; ino: bigint } | null {
  const name = basename(lockPath);
  let st;
  try {
    st = lstatSync(lockPath, { bigint: true });
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return null;
    throw e;
  }
  if (st.isDirectory())
    throw new AppError(
      'bad_file',
      `ロックファイル「${name}」がフォルダーになっているため、「${dbName}」を書き込み用に開けません。そのフォルダーを別の場所へ移すか削除してから、もう一度操作してください。`,
      `${lockPath} is a directory, not a lock file`,
    );
  if (st.isSymbolicLink()) {
    let dangling = false;
    try {
      statSync(lockPath);
    } catch {
      dangling = true;
    }
    throw new AppError(
      'bad_file',
      `ロックファイル「${name}」が${dangling ? '存在しない場所を指す' : '別のファイルを指す'}リンクになっているため、「${dbName}」を書き込み用に開けません。このリンクを削除してから、もう一度操作してください。`,
      `${lockPath} is a ${dangling ? 'dangling ' : ''}symbolic link, not a lock file`,
    );
  }
  try {
    return { text: readFileSync(lockPath, 'utf8'), ino: st.ino };
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Creates the lock file with its whole content in one step: written beside, then hard-linked to the
 * lock name (link fails when the name exists), so nobody ever reads a half-written lock. File systems
 * without hard links (FAT on a USB stick) get an exclusive create and one write.
 */
function createExclusive(lockPath: string, text: string): boolean {
  const tmp = `${lockPath}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  let linked = false;
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    try {
      linkSync(tmp, lockPath);
      linked = true;
    } catch (e) {
      if (codeOf(e) === 'EEXIST') return false;
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(codeOf(e) ?? '')) throw e;
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  if (linked) return true;
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx');
  } catch (e) {
    if (codeOf(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** How long a takeover guard may stand before it is taken for one a crashed process left (a taker holds it for microseconds). */
const GUARD_STALE_MS = 10_000;

/**
 * Removes the stale lock `judged` (and nothing else). Takers go one at a time: each first creates
 * the lock's takeover guard (`<lock>.takeover`, exclusively), and only the guard's holder checks that
 * the lock is still the very file judged (inode and text) and removes it. While the stale file is
 * there nobody can create a lock, and only a guard holder removes one, so the check and the removal
 * cannot be overtaken. (Moving the lock aside to check it, as this did before, left a moment without
 * a lock file in which a third process could take the lock while a second one's was being moved
 * back: two writers.) A taker that finds the guard taken returns; acquire tries again.
 */
function removeStale(lockPath: string, judged: { text: string; ino: bigint }): void {
  const guard = `${lockPath}.takeover`;
  if (!createExclusive(guard, String(process.pid))) {
    try {
      // A guard older than any takeover takes is one a crashed taker left: removed, the next attempt takes it.
      if (Date.now() - statSync(guard).mtimeMs > GUARD_STALE_MS) rmSync(guard, { force: true });
    } catch {
      // Gone meanwhile: the next attempt goes on.
    }
    return;
  }
  try {
    const st = lstatSync(lockPath, { bigint: true });
    if (st.ino === judged.ino && readFileSync(lockPath, 'utf8') === judged.text) rmSync(lockPath, { force: true });
  } catch (e) {
    if (codeOf(e) !== 'ENOENT') throw e;
  } finally {
    rmSync(guard, { force: true });
  }
}

function failedToCreate(e: unknown, lockPath: string, dbName: string): AppError {
  const code = codeOf(e);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new AppError(
      'read_only',
      `「${dbName}」のあるフォルダーに書き込めないため、書き込み用に開けません（読み取り専用の場所です）。書き込める場所にコピーしてから操作してください。`,
      `cannot create ${lockPath}: ${code}`,
    );
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new AppError('not_found', `「${dbName}」のあるフォルダーが見つかりません。場所を確認してください。`, `cannot create ${lockPath}: ${code}`);
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new AppError('disk_full', `ディスクの空き容量が足りないため「${dbName}」を開けません。空き容量を増やしてから、もう一度操作してください。`, `cannot create ${lockPath}: ${code}`);
  return new AppError('internal', `「${dbName}」のロックファイルを作れませんでした。`, `cannot create ${lockPath}: ${e instanceof Error ? e.message : String(e)}`);
}

const overrideHint = '使われていないことが確かなときだけ、ロックを引き継いで開けます（コマンドラインでは --take-over-lock を付けます）。';

function refusal(verdict: Exclude<Verdict, { kind: 'stale' }>, dbPath: string): AppError {
  const name = basename(dbPath);
  const h = verdict.holder;
  if (verdict.kind === 'live' || verdict.kind === 'own')
    return new AppError(
      'database_busy',
      `「${name}」は別の計画ワークベンチ（${excerpt(h!.host)} のプロセス ${h!.pid}、${excerpt(h!.since)} から）が開いています。そちらを閉じてから、もう一度操作してください。`,
      `${dbPath} is locked by pid ${h!.pid} on ${h!.host} since ${h!.since}`,
    );
  if (!h)
    return new AppError(
      'lock_unverified',
      `「${name}」のロックファイル（${name}.lock）の中身が読み取れないため、誰が使っているか分かりません。${overrideHint}`,
      `${dbPath}.lock is not a lock this app wrote; refusing to take it over without --take-over-lock`,
    );
  const elsewhere = h.host !== hostname();
  return new AppError(
    'lock_unverified',
    elsewhere
      ? `「${name}」は別のコンピューター（${excerpt(h.host)}）の計画ワークベンチが ${excerpt(h.since)} から開いています。そちらで閉じてから、もう一度操作してください。${overrideHint}`
      : `「${name}」はプロセス ${h.pid}（${excerpt(h.since)} から）が開いている可能性があります。そちらを閉じてから、もう一度操作してください。${overrideHint}`,
    `${dbPath} is locked by pid ${h.pid} on ${h.host} since ${h.since}; cannot verify whether it still runs`,
  );
}

/**
 * One writer per plan database: whoever writes it (the app, the browser-mode server, a command
 * that replaces it) holds `<real path>.lock`. The key is the real path, so a symlink or another
 * spelling reaches the same lock. A second process is told who has it. A lock of a process that
 * died on this computer, or whose PID now belongs to another process, is taken over; another
 * computer's lock or an unreadable one only on purpose (`takeOver`).
 */
export class WriterLock {
  private released = false;
  private constructor(
    readonly path: string,
    private readonly text: string,
  ) {}

  static lockPathOf(dbPath: string): string {
    return `${canonicalPath(dbPath)}.lock`;
  }

  static acquire(dbPath: string, options: LockOptions = {}): WriterLock {
    const path = WriterLock.lockPathOf(dbPath);
    const dbName = basename(dbPath);
    const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), ...(myStart ? { start: myStart } : {}) };
    const text = JSON.stringify(me);
    for (let attempt = 0; attempt < 8; attempt++) {
      let created: boolean;
      try {
        created = createExclusive(path, text);
      } catch (e) {
        throw failedToCreate(e, path, dbName);
      }
      if (created) {
        heldHere.add(path);
        return new WriterLock(path, text);
      }
      const found = readLockFile(path, dbName);
      if (!found) continue; // released between our attempt and the look: try again
      const holder = parseHolder(found.text);
      const verdict = judge(holder, path);
      const ours = holder !== null && holder.pid === process.pid && holder.host === hostname();
      const mayTakeOver =
        verdict.kind === 'stale' || (verdict.kind === 'unverified' && options.takeOver === true) || (ours && verdict.kind !== 'live' && options.reclaimOwn === true);
      if (!mayTakeOver) throw refusal(verdict, dbPath);
      removeStale(path, found);
    }
    throw new AppError('database_busy', `「${dbName}」を開けません（ほかのプログラムが同時に開こうとしています）。少し待ってから、もう一度操作してください。`, `could not take ${path}`);
  }

  /** Whether a process verifiably running now holds the lock of `dbPath` (for readers that share its WAL). */
  static heldByLiveWriter(dbPath: string): boolean {
    const path = WriterLock.lockPathOf(dbPath);
    try {
      const found = readLockFile(path, basename(dbPath));
      const kind = found === null ? null : judge(parseHolder(found.text), path).kind;
      return kind === 'live' || kind === 'own';
    } catch {
      return false;
    }
  }

  /** Removes the lock file, unless someone took it over on purpose meanwhile (theirs stays). */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.path);
    try {
      if (readFileSync(this.path, 'utf8') === this.text) rmSync(this.path, { force: true });
    } catch {
      // Already gone (or unreadable): nothing of ours to remove.
    }
  }
}
