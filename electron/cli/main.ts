import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/contract/errors';
import { latestSchemaVersion } from '../db/migrations/index';
import { checkIntegrity, openPlanDatabase } from '../db/open';
import { dumpPlan } from '../seed/dump';
import { readSeedDirectory, readSeedDump, SeedError } from '../seed/read-seeds';
import { createDatabase } from '../services/create-database';
import { defaultDatabasePath } from '../services/paths';
import { seedsDirectory } from '../services/seeds-location';

const help = `計画ワークベンチ コマンドライン / Plan Workbench command line

usage: npm run plan -- <command> [options]

commands:
  init   --db FILE [--from DUMP.json] [--force]   create a plan database from the embedded seeds (or a dump);
                                                 refuses to overwrite an existing file without --force
  check  --db FILE                               integrity check and schema version
  dump   --db FILE [--out FILE]                  the whole plan as JSON in the seed shape

options:
  --db FILE   the plan database (default: the app's default database, ${defaultDatabasePath()})
  --help      this text
`;

type Command = (opts: Record<string, string | boolean | undefined>) => number;

const dbPath = (opts: Record<string, string | boolean | undefined>) => resolve(typeof opts.db === 'string' ? opts.db : defaultDatabasePath());

const commands: Record<string, Command> = {
  init(opts) {
    const path = dbPath(opts);
    const bundle = typeof opts.from === 'string' ? readSeedDump(resolve(opts.from)) : readSeedDirectory(seedsDirectory());
    const opened = createDatabase(path, bundle, { force: opts.force === true, source: typeof opts.from === 'string' ? opts.from : 'seeds/' });
    opened.sqlite.close();
    console.log(`created ${path} (schema version ${latestSchemaVersion})`);
    return 0;
  },
  check(opts) {
    const path = dbPath(opts);
    const opened = openPlanDatabase(path, { create: false });
    try {
      const problems = checkIntegrity(opened.sqlite);
      const result = { file: path, schemaVersion: opened.schemaVersion, appSchemaVersion: latestSchemaVersion, migrated: opened.migrated, ok: problems.length === 0, problems };
      console.log(JSON.stringify(result, null, 2));
      return problems.length === 0 ? 0 : 1;
    } finally {
      opened.sqlite.close();
    }
  },
  dump(opts) {
    const opened = openPlanDatabase(dbPath(opts), { create: false });
    try {
      const json = JSON.stringify(dumpPlan(opened.sqlite), null, 2) + '\n';
      if (typeof opts.out === 'string') writeFileSync(resolve(opts.out), json);
      else process.stdout.write(json);
      return 0;
    } finally {
      opened.sqlite.close();
    }
  },
};

export function runCli(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { db: { type: 'string' }, from: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (e) {
    console.error(`エラー: 引数が不正です / error: ${e instanceof Error ? e.message : String(e)}\n\n${help}`);
    return 2;
  }
  const [name] = parsed.positionals;
  if (parsed.values.help || !name) {
    console.log(help);
    return name || parsed.values.help ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`エラー: 不明なコマンド「${name}」 / error: unknown command "${name}"\n\n${help}`);
    return 2;
  }
  try {
    return command(parsed.values);
  } catch (e) {
    if (e instanceof AppError) console.error(`エラー: ${e.messageJa}\nerror: ${e.message}`);
    else if (e instanceof SeedError) console.error(`エラー: 計画データに誤りがあります / error: ${e.message}`);
    else console.error(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}

if (process.argv[1] && /cli[\\/]main\.[cm]?[jt]s$/.test(process.argv[1])) process.exitCode = runCli(process.argv.slice(2));
