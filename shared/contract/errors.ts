import { z } from 'zod';

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

/** Thrown by service code; turned into an AppErrorShape by the handler. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly messageJa: string;
  readonly where: string | undefined;
  constructor(code: ErrorCode, messageJa: string, logMessage: string, where?: string) {
    super(logMessage);
    this.name = 'AppError';
    this.code = code;
    this.messageJa = messageJa;
    this.where = where;
  }
  toShape(): AppErrorShape {
    return { code: this.code, message: this.messageJa, logMessage: this.message, ...(this.where ? { where: this.where } : {}) };
  }
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
