import type { z } from 'zod';
import type { CallControl, CallRegistry } from '../calls';
import type { JobRunner } from '../jobs';
import type { Workspace } from '../../workspace/workspace';

/** A feature's method table (shared/contract/methods/<feature>.ts). */
export type MethodTable = Record<string, { args: z.ZodType; result: z.ZodType; description: string }>;

/** What the services need to answer a call. */
export interface ServiceContext {
  ws: Workspace;
  transport: 'ipc' | 'http';
  /** Where the heavy parts of long calls run (electron/api/jobs.ts). */
  jobs: JobRunner;
  /** The long calls running now, by job key (progress, cancel). */
  calls: CallRegistry;
}

/**
 * The implementations of one feature's methods, typed by its table: parsed arguments in, result
 * out; `call` gives a long call its cancel signal and progress.
 */
export type ImplementationOf<T extends MethodTable> = {
  [M in keyof T]: (args: z.output<T[M]['args']>, call: CallControl) => z.input<T[M]['result']> | Promise<z.input<T[M]['result']>>;
};
