import { resolve } from 'node:path';
import { canonicalPath } from '../db/real-path';
import { defaultDatabasePath } from '../files/paths';

export type CliOptions = Record<string, string | boolean | undefined>;

/** One `npm run plan -- <name>` command. */
export interface CliCommand {
  name: string;
  /** The usage line(s) for --help. */
  usage: string;
  /** Options it takes besides --db (parseArgs types). */
  options?: Record<string, { type: 'string' | 'boolean' }>;
  /** Returns the exit code; throws AppError for a message to the user. */
  run(opts: CliOptions): number | Promise<number>;
}

/** Options every command takes. */
export const commonOptions = {
  db: { type: 'string' },
  help: { type: 'boolean' },
  /** Take over a writer lock that cannot be proven stale (another computer's, unreadable): on purpose only. */
  'take-over-lock': { type: 'boolean' },
} as const;

/** The database a command works on, as its real path (a symlink reaches the same file, lock and backups). */
export const dbPathOf = (opts: CliOptions) => canonicalPath(resolve(typeof opts.db === 'string' ? opts.db : defaultDatabasePath()));

/** `--take-over-lock` as the lock option of the service layer. */
export const lockRequest = (opts: CliOptions) => ({ takeOverLock: opts['take-over-lock'] === true });
