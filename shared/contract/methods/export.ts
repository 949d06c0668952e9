import { z } from 'zod';
import { FiscalYear, Uuid } from '../../domain/ids';
import { JobKey } from './jobs';

/** Official exports (Excel, PDF) in the documents' layouts, the print page and printing. */

export const ExportLayout = z.enum(['action-plan', 'overview', 'unit', 'rollup']);
export type ExportLayout = z.infer<typeof ExportLayout>;
export const ExportFormat = z.enum(['xlsx', 'pdf']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Which document: the layout, the fiscal year (the plan's first year, or the first with data, when left out) and the unit. */
export const ExportRequest = z.object({
  layout: ExportLayout.default('action-plan'),
  fiscalYear: FiscalYear.optional(),
  /** The unit of the unit layout; narrows the rollup too. */
  unitId: Uuid.optional(),
});
export type ExportRequest = z.input<typeof ExportRequest>;

export const ExportLayoutInfo = z.object({
  id: ExportLayout,
  /** Japanese name, e.g. 「アクションプラン（中期事業計画・年度事業活動計画）」. */
  label: z.string(),
  description: z.string(),
  /** The fiscal years this layout can be made for. */
  fiscalYears: z.array(FiscalYear),
  needsUnit: z.boolean(),
});

export const ExportedFile = z.object({
  format: ExportFormat,
  fileName: z.string(),
  byteLength: z.number().int(),
  /** Browser mode only: the file itself, for the page to offer as a download. */
  base64: z.string().optional(),
});

export const exportMethods = {
  'export.layouts': {
    description: 'The layouts that can be exported or printed, with the fiscal years each can be made for',
    args: z.object({}),
    result: z.object({ layouts: z.array(ExportLayoutInfo), formats: z.array(z.object({ id: ExportFormat, label: z.string() })) }),
  },
  'export.printHtml': {
    description: 'The print page (self-contained HTML) of a layout: what the PDF and the printout show; for the print preview',
    args: ExportRequest,
    result: z.object({
      title: z.string(),
      html: z.string(),
      sheets: z.array(z.object({ name: z.string(), paper: z.enum(['A4', 'A3']) })),
      /** An action plan: how many of its printed rows have no plan text for the year (printed 「（未記入）」); null for other layouts. */
      emptyYears: z.object({ fiscalYear: FiscalYear, rows: z.number().int().min(0), branches: z.number().int().min(0) }).nullable(),
    }),
  },
  'export.save': {
    description:
      'Writes the layout as Excel and/or PDF. In the app the shell asks where with the OS save dialog; in browser mode the files come back to be downloaded',
    args: ExportRequest.extend({ formats: z.array(ExportFormat).min(1).max(2).default(['xlsx']), jobKey: JobKey.optional() }),
    result: z.object({ status: z.enum(['saved', 'cancelled', 'download']), files: z.array(ExportedFile) }),
  },
  'export.openSaved': {
    description: 'Opens a file the last export saved (by its place in that export, never by path) with its usual program',
    args: z.object({ index: z.number().int().min(0).max(1).default(0) }),
    result: z.object({ opened: z.boolean() }),
  },
  'export.print': {
    description: 'Prints the layout through the OS print dialog (app); in browser mode answers handled: false and the page prints its preview',
    args: ExportRequest,
    result: z.object({ handled: z.boolean(), printed: z.boolean() }),
  },
} as const;
