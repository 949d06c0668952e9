import type { z } from 'zod';
import type { Workspace } from './workspace';

/** A feature's method table (shared/contract/methods/<feature>.ts). */
export type MethodTable = Record<string, { args: z.ZodType; result: z.ZodType; description: string }>;

/** What the services need to answer a call. */
export interface ServiceContext {
  ws: Workspace;
  transport: 'ipc' | 'http';
}

/** The implementations of one feature's methods, typed by its table: parsed arguments in, result out. */
export type ImplementationOf<T extends MethodTable> = {
  [M in keyof T]: (args: z.output<T[M]['args']>) => z.input<T[M]['result']> | Promise<z.input<T[M]['result']>>;
};
