import { fiscalYearOption, unitIdOption } from '../arguments';
import { type CliOptions } from '../command';
import { dbOf } from '../location';
import { failureText } from '../failure-text';
import { readSession } from '../session';
import { reasonsOf } from '../../../shared/rollup/reasons';

/**
 * `npm run plan -- rollup`: `rollup.get` as JSON, the figures the progress screen shows, each
 * target with the reasons in words the screen shows in its tooltips (the answer leaves them out).
 */
export async function run(opts: CliOptions): Promise<number> {
  if (typeof opts.year !== 'string') {
    console.error('エラー: --year に年度を指定してください（例: --year 2020、--year 令和2年度） / error: --year YYYY is required (e.g. --year 2020)');
    return 2;
  }
  let fiscalYear: number | undefined;
  try {
    fiscalYear = fiscalYearOption(opts.year);
  } catch (e) {
    // A usage error, as a missing --year: exit code 2.
    console.error(failureText(e));
    return 2;
  }
  const session = await readSession(dbOf(opts));
  try {
    const unitId = typeof opts.unit === 'string' ? await unitIdOption(session.api, opts.unit) : undefined;
    const result = await session.api['rollup.get']({ fiscalYear, unitId });
    const targets = result.targets.map((t) => ({ ...t, reasons: reasonsOf(t, result.asOfYear) }));
    process.stdout.write(JSON.stringify({ ...result, targets }, null, 2) + '\n');
    return 0;
  } finally {
    await session.close();
  }
}
