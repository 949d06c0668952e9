import { AppError, type ErrorCode } from '../../shared/errors/app-error';

/**
 * Errors that are not AppErrors but whose cause is known — a full disk, a read-only folder, a
 * database held by another program — get a short Japanese message saying what happened and what to
 * do, instead of 「予期しないエラー」. The English detail (and the stack) goes to the log only.
 */

interface Known {
  code: ErrorCode;
  messageJa: string;
}

const diskFull: Known = {
  code: 'disk_full',
  messageJa: 'ディスクの空き容量が足りないため書き込めませんでした。空き容量を増やしてから、もう一度操作してください。',
};
const noPermission: Known = {
  code: 'read_only',
  messageJa: 'ファイルまたはフォルダーに書き込む権限がありません。書き込める場所を選ぶか、権限を確認してください。',
};
const readOnly: Known = {
  code: 'read_only',
  messageJa: '読み取り専用の場所にあるため書き込めません。書き込める場所にコピーしてから操作してください。',
};
const busy: Known = {
  code: 'database_busy',
  messageJa: '計画データベースをほかのプログラムが使用中です。しばらく待ってから、もう一度操作してください。',
};
const damaged: Known = {
  code: 'bad_file',
  messageJa: '計画データベースが壊れているか、計画データベースではありません。バックアップから復元してください。',
};
const ioError: Known = {
  code: 'internal',
  messageJa: 'ディスクの読み書きに失敗しました。ドライブの接続を確認してから、もう一度操作してください。',
};
const missing: Known = {
  code: 'not_found',
  messageJa: 'ファイルまたはフォルダーが見つかりません。移動または削除されていないか確認してください。',
};
const folderNotFile: Known = {
  code: 'bad_file',
  messageJa: 'ファイルの代わりにフォルダーが指定されています（またはその逆です）。場所を確認してください。',
};
const tooManyFiles: Known = {
  code: 'internal',
  messageJa: '開いているファイルが多すぎます。ほかのプログラムを閉じてから、もう一度操作してください。',
};
const tooLarge: Known = {
  code: 'bad_file',
  messageJa: 'データが大きすぎて処理できません。小さく分けてから、もう一度操作してください。',
};

/**
 * The PostgreSQL server went away (stopped, restarting, the network cut): the action may or may not
 * have been saved (the connection can drop right after COMMIT was sent), so the message says how to
 * find out instead of claiming either.
 */
const serverGone: Known = {
  code: 'database_busy',
  messageJa: 'データベースサーバーとの接続が切れました（停止中か再起動中です）。しばらくしてから、もう一度操作してください。直前の操作が保存されたかどうかは、再読み込みして確かめてください。',
};

/** Node's system error codes and SQLite's result codes (better-sqlite3 puts extended codes such as SQLITE_IOERR_WRITE in `code`). */
const byCode: Record<string, Known> = {
  ENOSPC: diskFull,
  EDQUOT: diskFull,
  SQLITE_FULL: diskFull,
  EACCES: noPermission,
  EPERM: noPermission,
  SQLITE_PERM: noPermission,
  SQLITE_AUTH: noPermission,
  SQLITE_CANTOPEN: noPermission,
  EROFS: readOnly,
  SQLITE_READONLY: readOnly,
  SQLITE_BUSY: busy,
  SQLITE_LOCKED: busy,
  EBUSY: busy,
  SQLITE_CORRUPT: damaged,
  SQLITE_NOTADB: damaged,
  EIO: ioError,
  SQLITE_IOERR: ioError,
  ENOENT: missing,
  EISDIR: folderNotFile,
  ENOTDIR: folderNotFile,
  EMFILE: tooManyFiles,
  ENFILE: tooManyFiles,
  SQLITE_TOOBIG: tooLarge,
  ERR_STRING_TOO_LONG: tooLarge,
  ERR_BUFFER_TOO_LARGE: tooLarge,
  ERR_FS_FILE_TOO_LARGE: tooLarge,
  ECONNREFUSED: serverGone,
  ECONNRESET: serverGone,
  EPIPE: serverGone,
  // PostgreSQL's SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now.
  '57P01': serverGone,
  '57P02': serverGone,
  '57P03': serverGone,
  // lock_not_available: a writer waited lock_timeout for its turn or a row (postgres-engine.ts).
  '55P03': busy,
};

/** pg's own words for a connection lost without a code; class 08 SQLSTATEs are connection exceptions. */
function lostConnection(e: unknown, code: string | undefined): boolean {
  if (code !== undefined && /^08[0-9A-Z]{3}$/.test(code)) return true;
  return e instanceof Error && /Connection terminated unexpectedly|Client has encountered a connection error and is not queryable|Connection terminated due to connection timeout/.test(e.message);
}

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `SQLITE_IOERR_WRITE` → `SQLITE_IOERR`, `SQLITE_READONLY_DBMOVED` → `SQLITE_READONLY`. */
function knownCode(code: string): Known | undefined {
  for (let c = code; ; c = c.slice(0, c.lastIndexOf('_'))) {
    if (byCode[c]) return byCode[c];
    if (!c.startsWith('SQLITE_') || c.lastIndexOf('_') <= 'SQLITE'.length) return undefined;
  }
}

/** The known cause of `e` (looking through `cause` chains), if any. */
export function knownFailure(e: unknown): Known | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = codeOf(cur);
    const known = code ? knownCode(code) : undefined;
    if (known) return known;
    if (lostConnection(cur, code)) return serverGone;
    // V8's own words for a string or array it cannot make (a value of hundreds of MB).
    if (cur instanceof RangeError && /Invalid string length|Invalid array length|Array buffer allocation failed/.test(cur.message)) return tooLarge;
  }
  return undefined;
}

/** English for the log: the error's one-line message plus its code. */
export function describeForLog(e: unknown): string {
  if (e instanceof Error) {
    const code = codeOf(e);
    return `${e.name}${code ? ` [${code}]` : ''}: ${e.message}`;
  }
  return String(e);
}

/**
 * Any thrown value as an AppError: an AppError as it is, a known cause with its message,
 * anything else with `fallbackJa` (by default 「予期しないエラー」).
 */
export function asAppError(e: unknown, fallbackJa = '予期しないエラーが発生しました。操作は保存されていません。'): AppError {
  if (e instanceof AppError) return e;
  const known = knownFailure(e);
  return new AppError(known?.code ?? 'internal', known?.messageJa ?? fallbackJa, describeForLog(e));
}
