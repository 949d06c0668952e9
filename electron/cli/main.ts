import { parseArgs } from 'node:util';
import { SeedError } from '../seed/read-seeds';
import { asAppError } from '../api/known-failures';
import { defaultDatabasePath } from '../files/paths';
import { type CliCommand, commonOptions } from './command';
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
  --db FILE           the plan database (default: the app's default database, ${defaultDatabasePath()})
  --take-over-lock    commands that write: take over the writer lock of another computer (or an unreadable one)
                      when you are sure nobody uses the file there
  --help              this text
`;
}

/** Longest English detail line printed with an error (the Japanese line says what to do). */
const DETAIL_MAX_CHARS = 240;
const oneLine = (s: string) => {
  const line = s.split(/\r?\n/, 1)[0] ?? '';
  return line.length > DETAIL_MAX_CHARS ? `${line.slice(0, DETAIL_MAX_CHARS - 1)}…` : line;
};

/**
 * A failure as two short lines — Japanese for the planner, English for whoever reads logs — never a
 * stack trace (set PLAN_DEBUG=1 to get one). Seed problems: the count, the first few, the rest counted.
 */
export function failureText(e: unknown): string {
  if (e instanceof SeedError) {
    const shown = e.problems.slice(0, 3).map((p) => `  ${oneLine(p)}`);
    const more = e.problems.length > 3 ? [`  … (+${e.problems.length - 3})`] : [];
    return [`エラー: 計画データに誤りがあります（${e.problems.length} 件）。示された箇所を直してから、もう一度実行してください。何も変更していません。`, 'error: seed data is invalid:', ...shown, ...more].join('\n');
  }
  const error = asAppError(e, '予期しないエラーが発生しました。何も変更していない可能性が高いですが、check コマンドでファイルを確かめてください。');
  const debug = process.env.PLAN_DEBUG && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  return `エラー: ${error.messageJa}\nerror: ${oneLine(error.message)}${debug}`;
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
    return await command.run(values);
  } catch (e) {
    console.error(failureText(e));
    return 1;
  }
}

if (process.argv[1] && /cli[\\/]main\.[cm]?[jt]s$/.test(process.argv[1])) process.exitCode = await runCli(process.argv.slice(2));
