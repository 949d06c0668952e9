import { realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultDatabasePath } from '../files/paths';
import { commonOptions } from './command';
import { commands } from './command-list';

/**
 * `npm run plan -- <command>`: the plan database from a terminal. Built like the app (out/cli/main.js,
 * build/cli.mjs) and started by `node`; this module loads only the list of commands, and a
 * command's own code when it runs, so that the command line starts at once.
 */

function helpText(): string {
  return `計画ワークベンチ コマンドライン / Plan Workbench command line

usage: npm run plan -- <command> [options]

commands:
${commands.map((c) => `  ${c.usage}`).join('\n')}

options:
  --db FILE           the plan database (default: the app's default database, ${defaultDatabasePath()}), or on PostgreSQL:
                        postgres://USER@HOST:PORT/DATABASE   (a password in the URL is visible to every user of the
                                                              machine: prefer PGPASSWORD, ~/.pgpass or a .pgconn file)
                        postgres:                            the server of PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD
                        NAME.pgconn                          a connection file (JSON; chmod 600 when it holds a password)
                      a PostgreSQL plan is shown without its password in every message
  --take-over-lock    commands that write: take over the writer lock of another computer (or an unreadable one)
                      when you are sure nobody uses the file there
  --help              this text
`;
}

export async function runCli(argv: string[]): Promise<number> {
  const allOptions = Object.assign({ ...commonOptions }, ...commands.map((c) => c.options ?? {}));
  const [name] = parseArgs({ args: argv, allowPositionals: true, strict: false, options: allOptions }).positionals;
  const command = commands.find((c) => c.name === name);
  if (argv.includes('--help') || !name) {
    console.log(helpText());
    return name || argv.includes('--help') ? 0 : 2;
  }
  if (!command) {
    console.error(`エラー: 不明なコマンド「${name}」 / error: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, allowPositionals: true, options: { ...commonOptions, ...command.options } }).values;
  } catch (e) {
    console.error(`エラー: 引数が不正です / error: ${e instanceof Error ? e.message : String(e)}\n\n${helpText()}`);
    return 2;
  }
  try {
    return await (await command.load()).run(values);
  } catch (e) {
    const { failureText } = await import('./failure-text');
    console.error(failureText(e));
    return 1;
  }
}

/** Waits until what was written to `stream` is out (a pipe is written asynchronously). */
const drained = (stream: NodeJS.WriteStream) => new Promise<void>((done) => stream.write('', () => done()));

/**
 * Runs a command as the program: ends when the command is done and its output written, even when
 * something it used would keep running (the reader of colleagues' databases waits for the next file).
 */
export async function main(argv: string[]): Promise<never> {
  const code = await runCli(argv);
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

/** Whether this module is the program node was started with (not imported by a test or by build/plan.mjs). */
function isProgram(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(import.meta.filename);
  } catch {
    return false;
  }
}

if (isProgram()) await main(process.argv.slice(2));
