import type { Client } from '../../shared/contract/client';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import { parseFiscalYear } from '../../shared/model/input/fiscal-year';
import { resolveUnitName } from '../../shared/model/input/unit-names';

/**
 * The command line's --year and --unit, read by the input layer (shared/model/input) as the grid,
 * the services and the import readers read a fiscal year and a unit name.
 */

/** --year as a fiscal year (2021, ２０２１年度, 令和3年度); undefined when it was not given. */
export function fiscalYearOption(raw: string | boolean | undefined): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const year = parseFiscalYear(raw);
  if (!year.ok) throw new AppError('invalid_arguments', `--year: ${year.message}`, `--year: ${year.log}`);
  return year.value;
}

/** The unit --unit names (its name, or a short name only it has), from the plan's units as the app lists them. */
export async function unitIdOption(api: Client, raw: string): Promise<string> {
  const found = resolveUnitName(await api['units.list']({}), raw);
  if (found.ok) return found.unit.id;
  // An unknown name is said as the command line has always said it; an ambiguous one names the candidates.
  if (found.log.startsWith('unknown unit')) throw new AppError('not_found', `組織「${excerpt(raw)}」は見つかりません。`, found.log);
  throw new AppError('invalid_arguments', found.message, found.log);
}
