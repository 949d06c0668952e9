import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../../shared/errors/app-error';
import { fiscalYearOption, unitIdOption } from '../arguments';
import { type CliOptions } from '../command';
import { dbOf } from '../location';
import { readSession } from '../session';

/** `npm run plan -- handout --db FILE --unit NAME --year YYYY --out PATH`: a unit's fill-in workbook (記入用ブック), through `import.handoutWorkbook`. */
export async function run(opts: CliOptions): Promise<number> {
  if (typeof opts.unit !== 'string') throw new AppError('invalid_arguments', '--unit に組織名を指定してください。', '--unit NAME is required');
  const fiscalYear = fiscalYearOption(opts.year);
  if (fiscalYear === undefined) throw new AppError('invalid_arguments', '--year に年度を指定してください（例: --year 2021、--year 令和3年度）。', '--year YYYY is required');
  if (typeof opts.out !== 'string') throw new AppError('invalid_arguments', '--out に保存先（ファイルかフォルダー）を指定してください。', '--out PATH is required');
  const out = resolve(opts.out);
  let chosen = '';
  const session = await readSession(dbOf(opts), {
    // The app's save dialog, answered by --out: a file, or a folder to put the workbook in under its own name.
    chooseSavePath: async ({ defaultName }) => {
      chosen = existsSync(out) && statSync(out).isDirectory() ? join(out, defaultName) : out;
      mkdirSync(dirname(chosen), { recursive: true });
      return chosen;
    },
  });
  try {
    const unitId = await unitIdOption(session.api, opts.unit);
    const saved = await session.api['import.handoutWorkbook']({ unitId, fiscalYear });
    console.log(join(dirname(chosen), saved.fileName));
    return 0;
  } finally {
    await session.close();
  }
}
