import { z } from 'zod';
import { capMessage, truncate } from '../text/excerpt';

/**
 * Errors cross the transport as values, never as thrown exceptions, so the renderer can show
 * the Japanese message and the log keeps the English one.
 */
export const ErrorCode = z.enum([
  'invalid_arguments', // the contract's zod schema refused the arguments
  'invalid_value', // a cell value that does not parse (e.g. a number)
  'not_found',
  'conflict',
  'unknown_method',
  'forbidden',
  'database_newer', // written by a newer version of the app
  'database_foreign', // not a plan database
  'database_busy', // opened by another process
  'bad_file',
  'internal',
  'disk_full', // no space left on the disk (ENOSPC, SQLITE_FULL)
  'read_only', // the file or folder cannot be written (EACCES, EPERM, EROFS, SQLITE_READONLY)
  'bad_request', // a request body the server cannot read (bad JSON, too large, cut off)
  'lock_unverified', // the writer lock is another computer's or unreadable: taken over only when the user says so
  'cancelled', // the user cancelled a long call (jobs.cancel); nothing was changed
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppErrorShape = z.object({
  code: ErrorCode,
  /** Japanese, for the user. */
  message: z.string(),
  /** English, for logs. */
  logMessage: z.string(),
  /** Where the problem is, when there is one (sheet, row, cell, field). */
  where: z.string().optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;

/** The English log message and `where` are capped too: a 12 MB value must not become a 12 MB log line. */
export const LOG_MESSAGE_MAX_CHARS = 2000;
const WHERE_MAX_CHARS = 200;

/**
 * Thrown by service code; turned into an AppErrorShape by the handler. One rule for every message:
 * the Japanese message is at most MESSAGE_MAX_CHARS characters (quote user data with `excerpt()`,
 * shared/text/excerpt.ts); a longer one is cut here so no path can make a huge alert.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly messageJa: string;
  readonly where: string | undefined;
  constructor(code: ErrorCode, messageJa: string, logMessage: string, where?: string) {
    super(truncate(logMessage, LOG_MESSAGE_MAX_CHARS));
    this.name = 'AppError';
    this.code = code;
    this.messageJa = capMessage(messageJa);
    this.where = where === undefined ? undefined : truncate(where, WHERE_MAX_CHARS);
  }
  toShape(): AppErrorShape {
    return { code: this.code, message: this.messageJa, logMessage: this.message, ...(this.where ? { where: this.where } : {}) };
  }
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
