import { AppError } from '../../../shared/errors/app-error';
import type { RollupResult } from '../../../shared/rollup/result';
import { computeRollup } from '../../../shared/rollup/rollup';
import type { PlanDb } from '../../db/plan-db';
import { readRollupInput } from './rollup-queries';

/**
 * The rollup of the open plan as of a fiscal year, optionally narrowed to one unit by its id (the
 * command line finds the id of a name as everyone else does: shared/model/input/unit-names.ts).
 * An unknown unit or a year outside the plan is an AppError.
 */
export async function rollupOf(db: PlanDb, options: { fiscalYear?: number | undefined; unitId?: string | undefined }): Promise<RollupResult> {
  const input = await readRollupInput(db);
  const asOfYear = options.fiscalYear ?? input.startYear;
  if (asOfYear < input.startYear || asOfYear > input.endYear)
    throw new AppError(
      'invalid_arguments',
      `${asOfYear}年度は計画期間（${input.startYear}〜${input.endYear}年度）の外です。`,
      `fiscal year ${asOfYear} is outside the plan period ${input.startYear}-${input.endYear}`,
    );
  const unitId = options.unitId ?? null;
  if (unitId !== null && !input.units.some((u) => u.id === unitId)) throw new AppError('not_found', '指定された組織は見つかりません。', `unknown unit id ${unitId}`);
  return computeRollup(input, { asOfYear, unitId });
}
