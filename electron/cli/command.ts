export type CliOptions = Record<string, string | boolean | undefined>;

/** What a command does, loaded only when it runs (electron/cli/commands/<name>.ts). */
export interface CommandRun {
  /** Returns the exit code; throws AppError for a message to the user. */
  run(opts: CliOptions): number | Promise<number>;
}

/**
 * One `npm run plan -- <name>` command: its name, --help line and options here; what it does in
 * its own module, imported when it runs, so that `--help` and every command start without loading
 * the code of the others (Excel, Chromium, the services).
 */
export interface CliCommand {
  name: string;
  /** The usage line(s) for --help. */
  usage: string;
  /** Options it takes besides --db (parseArgs types). --db is a file or a PostgreSQL location (location.ts). */
  options?: Record<string, { type: 'string' | 'boolean' }>;
  load(): Promise<CommandRun>;
}

/** Options every command takes. */
export const commonOptions = {
  db: { type: 'string' },
  help: { type: 'boolean' },
  /** Take over a writer lock that cannot be proven stale (another computer's, unreadable): on purpose only. */
  'take-over-lock': { type: 'boolean' },
} as const;

/** `--take-over-lock` as the lock option of the service layer. */
export const lockRequest = (opts: CliOptions) => ({ takeOverLock: opts['take-over-lock'] === true });

/** The version the command line writes into what it makes (a hand-out's record), as the app writes its own. */
export const cliVersion = () => process.env.npm_package_version ?? 'cli';
