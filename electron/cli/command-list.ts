import type { CliCommand } from './command';

/**
 * Every command of `npm run plan`, in --help order: name, usage and options; each command's code
 * is in commands/<name>.ts and is loaded only when it runs. A feature adds its command here.
 *
 * What the app also offers (export, handout, import, backup, restore, rollup) goes through the
 * app's contract handler (session.ts). init, check, dump and `backup --list` have no method in the
 * app and call their features directly: they must also work on a file the app would refuse to
 * open (a broken plan, an empty folder, a database that needs its backups); so does copy.
 *
 * Every --db (and copy's --from and --to) is a file or a PostgreSQL location (location.ts).
 */
export const commands: CliCommand[] = [
  {
    name: 'init',
    usage:
      'init   --db FILE [--from DUMP.json] [--force]   create a plan database from the embedded seeds (or a dump);\n' +
      '                                                 refuses to overwrite an existing file without --force (the old one is backed up first)',
    options: { from: { type: 'string' }, force: { type: 'boolean' } },
    load: () => import('./commands/init'),
  },
  {
    name: 'check',
    usage: 'check  --db FILE                               integrity check and schema version (reads only: the file is not changed)',
    load: () => import('./commands/check'),
  },
  {
    name: 'dump',
    usage: 'dump   --db FILE [--out FILE]                  the whole plan as JSON in the seed shape',
    options: { out: { type: 'string' } },
    load: () => import('./commands/dump'),
  },
  {
    name: 'backup',
    usage: 'backup --db FILE [--list]                      back the database up now (SQLite online backup) or list its backups',
    options: { list: { type: 'boolean' } },
    load: () => import('./commands/backup'),
  },
  {
    name: 'restore',
    usage: 'restore --db FILE --from BACKUP                replace the database with one of its backups (see backup --list);\n                                                 what is there now is backed up first',
    options: { from: { type: 'string' } },
    load: () => import('./commands/restore'),
  },
  {
    name: 'copy',
    usage:
      'copy   --from DB --to DB [--force]             copy a whole plan with its change log between a file and PostgreSQL (either way);\n' +
      '                                                 refuses a target that holds a plan without --force (it is backed up first)',
    options: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean' } },
    load: () => import('./commands/copy'),
  },
  {
    name: 'rollup',
    usage: 'rollup --db FILE --year YYYY [--unit NAME]     progress and term figures per target, unit, pillar and year as JSON',
    options: { year: { type: 'string' }, unit: { type: 'string' } },
    load: () => import('./commands/rollup'),
  },
  {
    name: 'export',
    usage:
      'export --db FILE --layout action-plan|overview|unit|rollup --year YYYY [--unit NAME] --format xlsx,pdf --out DIR [--check [--json]]\n' +
      '                                                 the official layouts as Excel and PDF files (PDF through Chromium: CHROMIUM_PATH);\n' +
      '                                                 --check reads the files back and prints per sheet the paper, the body size (pt), how full\n' +
      '                                                 each page is (%) and the page count in the PDF and in Excel, with warnings (a page running\n' +
      '                                                 onto another sheet, body text under 8 pt, Excel shrinking or breaking pages unlike the PDF);\n' +
      '                                                 --json prints it as JSON; without --out the files are made in a private temp folder and\n' +
      '                                                 removed. Exit code with --check: 0 when every sheet is fine, 1 when there is a warning (or an error)',
    options: {
      layout: { type: 'string' },
      year: { type: 'string' },
      unit: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      check: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    load: () => import('./commands/export'),
  },
  {
    name: 'handout',
    usage:
      'handout --db FILE --unit NAME --year YYYY --out PATH\n' +
      '                                                 the fill-in workbook (記入用ブック) of a unit, to send out and import back',
    options: { unit: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' } },
    load: () => import('./commands/handout'),
  },
  {
    name: 'import',
    usage:
      'import --db FILE --file PATH [--apply] [--json] [--theirs|--mine] [--deletions]\n' +
      '                                                 shows what a returned workbook, an action-plan export or another plan database would change;\n' +
      '                                                 --apply writes it (one undo step, after a backup); conflicts need --theirs or --mine;\n' +
      '                                                 deletions (removed rows, emptied cells) are left out unless --deletions',
    options: { file: { type: 'string' }, apply: { type: 'boolean' }, json: { type: 'boolean' }, theirs: { type: 'boolean' }, mine: { type: 'boolean' }, deletions: { type: 'boolean' } },
    load: () => import('./commands/import'),
  },
];
