import type { z } from 'zod';
import { backupMethods } from './methods/backup';
import { coreMethods } from './methods/core';
import { editingMethods } from './methods/editing';
import { exportMethods } from './methods/export';
import { importMethods } from './methods/import';
import { jobMethods } from './methods/jobs';
import { rollupMethods } from './methods/rollup';

/**
 * The API contract: every method the renderer may call, with zod schemas for its arguments and
 * its result. Electron IPC and the browser-mode HTTP transport both carry exactly this table, and
 * the handler validates arguments before any service code runs. Each feature keeps its methods in
 * methods/<feature>.ts; this is the one table they form.
 */
export const contract = {
  ...coreMethods,
  ...backupMethods,
  ...editingMethods,
  ...exportMethods,
  ...importMethods,
  ...jobMethods,
  ...rollupMethods,
} as const;


export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodArgs<M extends MethodName> = z.input<Contract[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<Contract[M]['result']>;

export const methodNames = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/** The single IPC channel the shell registers and the preload invokes. */
export const IPC_CHANNEL = 'plan-workbench:invoke';
