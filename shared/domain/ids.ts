import { z } from 'zod';

/** Every stored row has a stable UUID: imports and merges match on it. */
export const Uuid = z.uuid();
export type Uuid = z.infer<typeof Uuid>;

export const FiscalYear = z.number().int().min(1900).max(2200);
export type FiscalYear = z.infer<typeof FiscalYear>;
