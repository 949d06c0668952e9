import { z } from 'zod';
import { ActionRowView } from '../../domain/action-plan';
import { FiscalYear, Uuid } from '../../domain/ids';
import { PlanSummary } from '../../domain/plan';
import { UnitWithCounts } from '../../domain/units';

/** The foundation: app and plan information, the units, the action-plan rows. (Edits: methods/editing.ts.) */
export const coreMethods = {
  'app.info': {
    description: 'Version, schema version and the open database file',
    args: z.object({}),
    result: z.object({
      appVersion: z.string(),
      schemaVersion: z.number().int(),
      dbFileName: z.string(),
      transport: z.enum(['ipc', 'http']),
      /** The file could only be opened for reading (read-only media or permissions): edits are refused. */
      readOnly: z.boolean(),
      /** Why today's automatic backup could not be made (the session goes on), or null. */
      backupProblem: z.string().nullable(),
    }),
  },
  'plan.summary': {
    description: 'The plan: title, period, fiscal years, pillars and principles',
    args: z.object({}),
    result: PlanSummary,
  },
  'units.list': {
    description: 'All units in sidebar order, with how many rows, targets and focus texts each has',
    args: z.object({}),
    result: z.array(UnitWithCounts),
  },
  'actionRows.list': {
    description: 'The action-plan table rows in document order, with the year cell of one fiscal year',
    args: z.object({ fiscalYear: FiscalYear, unitId: Uuid.optional() }),
    result: z.array(ActionRowView),
  },
} as const;
