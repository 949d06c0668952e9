import { openPlanDatabaseReadOnly } from '../../db/open-read-only';
import { rollupOf } from '../../model/queries/rollup';
import { type CliCommand, dbPathOf } from '../command';

export const rollupCommand: CliCommand = {
  name: 'rollup',
  usage: 'rollup --db FILE --year YYYY [--unit NAME]     progress and term figures per target, unit, pillar and year as JSON',
  options: { year: { type: 'string' }, unit: { type: 'string' } },
  run(opts) {
    const yearText = typeof opts.year === 'string' ? opts.year.normalize('NFKC').replace(/年度?$/, '') : '';
    if (!/^\d{4}$/.test(yearText)) {
      console.error('エラー: --year に年度を4桁で指定してください（例: --year 2020） / error: --year YYYY is required (e.g. --year 2020)');
      return 2;
    }
    const opened = openPlanDatabaseReadOnly(dbPathOf(opts));
    try {
      const result = rollupOf(opened.sqlite, { fiscalYear: Number(yearText), unitName: typeof opts.unit === 'string' ? opts.unit : undefined });
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return 0;
    } finally {
      opened.sqlite.close();
    }
  },
};
