import { z } from 'zod';
import { FiscalYear, Uuid } from '../../domain/ids';
import { importLimits, mb } from '../../import/limits';
import { ApplyResult, Review } from '../../import/review';
import { JobKey } from './jobs';

/**
 * Hand-out and return: the fill-in workbook of a unit, and importing a returned workbook, an
 * action-plan export or another plan database with a review of every change before it lands.
 * The renderer never names a path: in the app the shell's dialogs pick files; in browser mode
 * (and for a file dropped on the window) the page sends the file's bytes. After analysis the
 * renderer refers to the review only by the id the service handed out.
 */

/** A little over the upload limit, so that a file just over it gets the service's clear message (the page checks the size first too). */
const base64Limit = Math.ceil((importLimits.uploadBytes + 8 * 1024 * 1024) / 3) * 4 + 4;

/** Standard padded base64, as the page writes it: anything else was cut short or damaged on the way, and is told so (not read as a broken workbook). */
const uploadDamaged = 'アップロードされたファイルのデータが途中で切れているか壊れています。もう一度ファイルを選んで取り込んでください（計画は変更していません）。';
const UploadBase64 = z
  .string()
  .max(base64Limit, `ファイルが大きすぎます（上限 ${mb(importLimits.uploadBytes)}）。`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, uploadDamaged)
  .refine((s) => s.length % 4 === 0, uploadDamaged);

export const ImportSource = z.discriminatedUnion('kind', [
  /** The file's bytes, read by the page (browser mode, or a file dropped on the window). */
  z.object({ kind: z.literal('upload'), fileName: z.string().min(1).max(255), base64: UploadBase64 }),
  /** The app asks with the OS open dialog (Electron only). */
  z.object({ kind: z.literal('dialog') }),
]);
export type ImportSource = z.infer<typeof ImportSource>;

/** Item ids of a review: never more than a review can hold (importLimits.reviewItems). */
const ReviewItemIds = z
  .array(z.string().max(400))
  .max(importLimits.reviewItems, `選んだ項目が多すぎます（上限 ${importLimits.reviewItems.toLocaleString('ja-JP')} 件）。確認画面からもう一度取り込んでください。`);

export const importMethods = {
  'import.handoutWorkbook': {
    description: 'Makes the fill-in workbook (記入用ブック) of a unit for a fiscal year; in the app the save dialog picks where, in browser mode it comes back to be downloaded',
    args: z.object({ unitId: Uuid, fiscalYear: FiscalYear, jobKey: JobKey.optional() }),
    result: z.object({
      status: z.enum(['saved', 'cancelled', 'download']),
      fileName: z.string(),
      byteLength: z.number().int(),
      base64: z.string().optional(),
    }),
  },
  'import.analyze': {
    description: 'Reads a file to import and compares it with the open plan: every change, addition, removal and conflict, for review. Writes nothing',
    /** jobKey: this call's key for jobs.progress and jobs.cancel. */
    args: z.object({ source: ImportSource, jobKey: JobKey.optional() }),
    result: z.object({ status: z.enum(['ready', 'cancelled']), review: Review.nullable() }),
  },
  'import.apply': {
    description: 'Applies the chosen items of a review as one change (one undo step) after a backup; refuses when the plan changed since the analysis',
    args: z.object({
      reviewId: Uuid,
      /** Items to apply, conflicts resolved to the file's value among them (an id named twice counts once). */
      take: ReviewItemIds,
      /** Conflicts resolved to keep the current value. */
      keep: ReviewItemIds,
      /** Cancellable until it starts writing (jobs.cancel). */
      jobKey: JobKey.optional(),
    }),
    result: ApplyResult,
  },
  'import.discard': {
    description: 'Forgets a review (取り込まない)',
    args: z.object({ reviewId: Uuid }),
    result: z.object({}),
  },
} as const;
