import type { PlanState } from '../../shared/import/state';

/**
 * What a source (a returned fill-in workbook, an action-plan export, another plan database) hands
 * the merge: the plan as the file has it, the base to compare against, and where each value sits
 * in the file so the review can name the sheet, row and cell.
 */

/** Where a value sits in the file. */
export interface Place {
  sheet: string;
  /** The sheet's row number (1-based), or null for a database. */
  row: number | null;
  /** The cell, e.g. 'D7'. */
  cell?: string;
}

export interface BaseRef {
  /** The change set the file was made from. */
  revision: number;
  at: string;
  label: string;
  /** How it was found: written in the file, the newest change set both databases share, estimated from the file's creation time, or none (the plan now). */
  how: 'recorded' | 'common' | 'estimated' | 'current';
}

export interface Incoming {
  kind: 'handout' | 'export' | 'database';
  /** What the file is, in Japanese: 「記入用ブック（国際部・2021年度）」. */
  label: string;
  /** null: no common base; every difference is then a conflict. */
  base: BaseRef | null;
  baseState: PlanState | null;
  theirs: PlanState;
  /** Places by `table|id|column` (a cell) and `table|id` (a row). */
  places: Map<string, Place>;
  /** Sheets in the file's order, for sorting the review. */
  sheetOrder: string[];
  /** What the user should know about the comparison (Japanese). */
  notes: string[];
}

export const cellKey = (table: string, id: string, column: string) => `${table}|${id}|${column}`;
export const rowKey = (table: string, id: string) => `${table}|${id}`;
