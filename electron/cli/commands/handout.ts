import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { openPlanDatabaseReadOnly } from '../../db/open-read-only';
import { writeHandoutWorkbook } from '../../import/handout-workbook';
import { type CliCommand, dbPathOf } from '../command';
import { writeFileWhole } from '../../files/write-whole';

/** `npm run plan -- handout --db FILE --unit NAME --year YYYY --out PATH`: a unit's fill-in workbook (記入用ブック). */
export const handoutCommand: CliCommand = {
  name: 'handout',
  usage:
    'handout --db FILE --unit NAME --year YYYY --out PATH\n' +
    '                                                 the fill-in workbook (記入用ブック) of a unit, to send out and import back',
  options: { unit: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' } },
  async run(opts) {
    if (typeof opts.unit !== 'string') throw new AppError('invalid_arguments', '--unit に組織名を指定してください。', '--unit NAME is required');
    const year = typeof opts.year === 'string' ? opts.year.normalize('NFKC').replace(/年度?$/, '') : '';
    if (!/^\d{4}$/.test(year)) throw new AppError('invalid_arguments', '--year には年度を4桁で指定してください（例: --year 2021）。', '--year YYYY is required');
    if (typeof opts.out !== 'string') throw new AppError('invalid_arguments', '--out に保存先（ファイルかフォルダー）を指定してください。', '--out PATH is required');
    const opened = openPlanDatabaseReadOnly(dbPathOf(opts));
    try {
      const unit = opened.sqlite.prepare('select id from unit where name = ? or short_name = ? order by position limit 1').get(opts.unit, opts.unit) as { id: string } | undefined;
      if (!unit) throw new AppError('not_found', `組織「${opts.unit}」は見つかりません。`, `unknown unit "${opts.unit}"`);
      const file = await writeHandoutWorkbook(opened.sqlite, { unitId: unit.id, fiscalYear: Number(year), appVersion: process.env.npm_package_version ?? 'cli' });
      const out = resolve(opts.out);
      const path = existsSync(out) && statSync(out).isDirectory() ? join(out, file.fileName) : out;
      mkdirSync(dirname(path), { recursive: true });
      writeFileWhole(path, file.bytes);
      console.log(path);
      return 0;
    } finally {
      opened.sqlite.close();
    }
  },
};
