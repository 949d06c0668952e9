import { appendFileSync, chmodSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one place stack traces go: `<user data>/logs/plan-workbench.log`, rotated by size. The page
 * and the HTTP answer carry only the code and the Japanese message (see electron/api/handlers.ts).
 * Written synchronously, one append per entry, so a crash right after an error still leaves its line;
 * a log that cannot be written (full disk, read-only folder) never turns into a second error.
 */

export const LOG_FOLDER = 'logs';
export const LOG_FILE = 'plan-workbench.log';
/** Rotate at 1 MB, keep plan-workbench.log.1 … .3: the newest 4 MB of history at most. */
export const LOG_MAX_BYTES = 1024 * 1024;
export const LOG_KEEP = 3;

export type Logger = (line: string) => void;

export interface LogFileOptions {
  maxBytes?: number;
  keep?: number;
  /** The clock of the time stamps (tests). */
  now?: () => Date;
}

export function logFilePath(userData: string): string {
  return join(userData, LOG_FOLDER, LOG_FILE);
}

function rotate(path: string, keep: number): void {
  rmSync(`${path}.${keep}`, { force: true });
  for (let i = keep - 1; i >= 1; i--) {
    try {
      renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    } catch {
      // that generation does not exist yet
    }
  }
  renameSync(path, `${path}.1`);
}

/** A logger appending time-stamped entries to the log file in `userData`; multi-line entries (stacks) stay together. */
export function createLogFile(userData: string, options: LogFileOptions = {}): Logger {
  const path = logFilePath(userData);
  const maxBytes = options.maxBytes ?? LOG_MAX_BYTES;
  const keep = options.keep ?? LOG_KEEP;
  const now = options.now ?? (() => new Date());
  return (line) => {
    try {
      // The log can hold file names and plan text: readable by this user only.
      mkdirSync(join(userData, LOG_FOLDER), { recursive: true, mode: 0o700 });
      const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
      if (size > 0 && size >= maxBytes) rotate(path, keep);
      appendFileSync(path, `${now().toISOString()} [${process.pid}] ${line}\n`, { mode: 0o600 });
      if (size === 0) chmodSync(path, 0o600);
    } catch {
      // Logging is best effort: the error being logged is already answered to the user.
    }
  };
}

/** Every logger called with each line (the log file and, in the browser mode, the console). */
export function teeLogger(...loggers: Logger[]): Logger {
  return (line) => {
    for (const log of loggers) log(line);
  };
}
