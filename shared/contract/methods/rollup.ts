import { z } from 'zod';
import { FiscalYear, Uuid } from '../../domain/ids';
import { RollupResult } from '../../rollup/result';

/** Cross-year rollups and progress (進捗・集計). */
export const rollupMethods = {
  'rollup.get': {
    description: 'Per target: plan and actual per year, the term figures, the gaps to the term goal and the status as of a fiscal year; per unit, pillar and year: the counts',
    args: z.object({
      /** The fiscal year the status is judged as of; the plan's first year when left out. */
      fiscalYear: FiscalYear.optional(),
      /** Narrow to one unit's targets and themes. */
      unitId: Uuid.optional(),
    }),
    result: RollupResult,
  },
} as const;
