import { z } from 'zod';
import { FiscalYear, Uuid } from './ids';

export const ThemeView = z.object({
  id: Uuid,
  text: z.string(),
  pillarId: Uuid.nullable(),
});
export type ThemeView = z.infer<typeof ThemeView>;

/**
 * One table row of the action plan as printed: several themes may share its goal cell, its
 * fiscal-year cell and its 主な担当 cell.
 */
export const ActionRowView = z.object({
  id: Uuid,
  page: z.number().int(),
  position: z.number().int(),
  heading: z.string().nullable(),
  bandPillarId: Uuid.nullable(),
  themes: z.array(ThemeView),
  termPlan: z.string(),
  fiscalYear: FiscalYear,
  /** The year cell for the requested fiscal year; null when the plan has none for that year. */
  yearPlan: z.string().nullable(),
  unitIds: z.array(Uuid),
});
export type ActionRowView = z.infer<typeof ActionRowView>;
