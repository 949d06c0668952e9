import { resolve } from 'node:path';
import { defaultDatabasePath } from '../services/paths';

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

export const dbPathOf = (opts: CliOptions) => resolve(typeof opts.db === 'string' ? opts.db : defaultDatabasePath());
