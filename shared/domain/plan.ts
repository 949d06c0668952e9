import { z } from 'zod';
import { FiscalYear, Uuid } from './ids';

export const PillarKind = z.enum(['pillar', 'principle']);
export const Pillar = z.object({
  id: Uuid,
  key: z.string(),
  kind: PillarKind,
  no: z.number().int(),
  name: z.string(),
});
export type Pillar = z.infer<typeof Pillar>;

export const FiscalYearInfo = z.object({
  fiscalYear: FiscalYear,
  /** 1 for the first year of the plan: 「中期事業計画１年目」. */
  ordinal: z.number().int(),
});
export type FiscalYearInfo = z.infer<typeof FiscalYearInfo>;

export const PlanSummary = z.object({
  id: Uuid,
  title: z.string(),
  periodLabel: z.string(),
  startYear: FiscalYear,
  endYear: FiscalYear,
  fiscalYears: z.array(FiscalYearInfo),
  pillars: z.array(Pillar),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

/** The fiscal years of a plan period with their N年目. */
export function fiscalYearsOf(startYear: number, endYear: number): FiscalYearInfo[] {
  const years: FiscalYearInfo[] = [];
  for (let y = startYear; y <= endYear; y++) years.push({ fiscalYear: y, ordinal: y - startYear + 1 });
  return years;
}
