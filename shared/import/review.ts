import { z } from 'zod';

/** The review of an import, as the renderer shows it and the command line prints it: plain JSON. */

export const ReviewItemKind = z.enum(['change', 'order', 'added', 'removed', 'restored']);
export type ReviewItemKind = z.infer<typeof ReviewItemKind>;

export const ReviewCell = z.object({
  /** The column, e.g. 「2021年度 事業活動計画」. */
  column: z.string(),
  /** The cell in the file, e.g. 'D7'; null for a database. */
  cell: z.string().nullable(),
  /** Values as shown (null: empty). `base` is the value when the file was made. */
  base: z.string().nullable(),
  mine: z.string().nullable(),
  theirs: z.string().nullable(),
});
export type ReviewCell = z.infer<typeof ReviewCell>;

export const ReviewItem = z.object({
  id: z.string(),
  kind: ReviewItemKind,
  conflict: z.boolean(),
  /** Why it is a conflict, in Japanese. */
  conflictText: z.string().nullable(),
  /** The sheet of the file (or the part of the plan, for a database). */
  sheet: z.string(),
  /** The row of the sheet, when there is one. */
  row: z.number().int().nullable(),
  /** The row as a person recognises it: a theme's text, a target's name. */
  rowLabel: z.string(),
  /** What the item does: 「セルの変更」「目標の追加」「表の行の削除」. */
  what: z.string(),
  cells: z.array(ReviewCell),
  /** What else happens with it (rows that go along, links that are cleared). */
  details: z.array(z.string()),
  /** Items that must be taken with this one. */
  requires: z.array(z.string()),
  /** Taking it deletes data the plan holds now (rows, or a cell's content): shown as a deletion and not taken by default. */
  deletes: z.boolean().optional(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

export const ImportSourceKind = z.enum(['handout', 'export', 'database']);

export const ReviewBase = z.object({
  revision: z.number().int(),
  at: z.string(),
  label: z.string(),
  how: z.enum(['recorded', 'common', 'estimated', 'current']),
});

export const Review = z.object({
  reviewId: z.string(),
  fileName: z.string(),
  source: ImportSourceKind,
  /** What the file is, e.g. 「記入用ブック（国際部・2021年度）」. */
  sourceLabel: z.string(),
  base: ReviewBase.nullable(),
  notes: z.array(z.string()),
  items: z.array(ReviewItem),
  counts: z.object({
    changes: z.number().int(),
    added: z.number().int(),
    removed: z.number().int(),
    conflicts: z.number().int(),
    /** Cells both sides changed to the same value: nothing to do. */
    same: z.number().int(),
  }),
});
export type Review = z.infer<typeof Review>;

export const ApplyResult = z.object({
  changeSetId: z.number().int().nullable(),
  changed: z.number().int(),
  /** The change log's label: 「取り込み: 国際部.xlsx」. */
  label: z.string(),
  applied: z.number().int(),
  /** The backup taken before applying (its id in the backup list). */
  backupId: z.string().nullable(),
});
export type ApplyResult = z.infer<typeof ApplyResult>;
