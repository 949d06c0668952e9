import { z } from 'zod';
import { Uuid } from '../../domain/ids';

/**
 * Long calls (reading a file to import, applying it, exports, hand-out workbooks) carry a job key
 * the page makes up (a UUID). While the call runs, the page asks how far it has got and may cancel
 * it by that key. A cancelled call answers with the error code 'cancelled' and has changed nothing.
 */

export const JobKey = Uuid;

/** What a long call is doing right now (the progress bar's text). */
export const JobPhase = z.enum(['check', 'read', 'compare', 'backup', 'apply', 'layout', 'xlsx', 'pdf', 'write']);
export type JobPhase = z.infer<typeof JobPhase>;

export const JobProgress = z.object({
  /** null: not started yet, or already finished. */
  phase: JobPhase.nullable(),
  /** 0…1 when known. */
  fraction: z.number().min(0).max(1).nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/** The job key of a call's arguments (one rule for every method, so the handler needs no list of long methods). */
export function jobKeyOf(args: unknown): string | undefined {
  if (typeof args !== 'object' || args === null) return undefined;
  const { jobKey } = args as { jobKey?: unknown };
  return typeof jobKey === 'string' ? jobKey : undefined;
}

export const jobMethods = {
  'jobs.progress': {
    description: 'How far the long call started with this job key has got (phase and fraction), for its progress bar',
    args: z.object({ key: JobKey }),
    result: JobProgress,
  },
  'jobs.cancel': {
    description: 'Cancels the long call started with this job key: it ends with the error code cancelled and changes nothing (an import already writing finishes)',
    args: z.object({ key: JobKey }),
    result: z.object({ cancelled: z.boolean() }),
  },
} as const;
