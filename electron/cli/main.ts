import { parseArgs } from 'node:util';
import { AppError } from '../../shared/contract/errors';
import { SeedError } from '../seed/read-seeds';
import { defaultDatabasePath } from '../services/paths';
import type { CliCommand } from './command';
import { backupCommand } from './commands/backup';
import { checkCommand } from './commands/check';
import { dumpCommand } from './commands/dump';
import { exportCommand } from './commands/export';
import { handoutCommand } from './commands/handout';
import { importCommand } from './commands/import';
import { initCommand } from './commands/init';
import { restoreCommand } from './commands/restore';
import { rollupCommand } from './commands/rollup';

/** Every command of `npm run plan`; a feature adds its command file here. */
export const commands: CliCommand[] = [initCommand, checkCommand, dumpCommand, backupCommand, restoreCommand, rollupCommand, exportCommand, handoutCommand, importCommand];

function helpText(): string {
  return `計画ワークベンチ コマンドライン / Plan Workbench command line

usage: npm run plan -- <command> [options]

commands:
${commands.map((c) => `  ${c.usage}`).join('\n')}

options:
  --db FILE   the plan database (default: the app's default database, ${defaultDatabasePath()})
  --help      this text
`;
}

export async function runCli(argv: string[]): Promise<number> {
  const allOptions = Object.assign({ db: { type: 'string' as const }, help: { type: 'boolean' as const } }, ...commands.map((c) => c.options ?? {}));
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
    values = parseArgs({ args: argv, allowPositionals: true, options: { db: { type: 'string' }, help: { type: 'boolean' }, ...command.options } }).values;
  } catch (e) {
    console.error(`エラー: 引数が不正です / error: ${e instanceof Error ? e.message : String(e)}\n\n${helpText()}`);
    return 2;
  }
  try {
    return await command.run(values);
  } catch (e) {
    if (e instanceof AppError) console.error(`エラー: ${e.messageJa}\nerror: ${e.message}`);
    else if (e instanceof SeedError) console.error(`エラー: 計画データに誤りがあります / error: ${e.message}`);
    else console.error(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}

if (process.argv[1] && /cli[\\/]main\.[cm]?[jt]s$/.test(process.argv[1])) process.exitCode = await runCli(process.argv.slice(2));
