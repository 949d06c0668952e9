/**
 * The fill-in workbook's own format, shared by its writer and its reader. Each data sheet has a
 * hidden first row naming the field of every column (so columns are found by meaning, not by
 * position) and a hidden column A with each row's id; the rows after the row marked #header are
 * data. A very hidden sheet `_meta` says what the file is: format, plan, unit, year and the base
 * revision (the change set the plan was at when the file was made) plus the ids handed out.
 */

export const HANDOUT_FORMAT = 'plan-workbench/handout';
/** Raised when the reader must change; a file of a newer version is refused with a message. */
export const HANDOUT_FORMAT_VERSION = 1;

export const META_SHEET = '_meta';
export const HEADER_MARK = '#header';

export type HandoutSheetKind = 'actionRows' | 'targets' | 'focus';
export const sheetMarks: Record<HandoutSheetKind, string> = { actionRows: '#actionRows', targets: '#targets', focus: '#focus' };
export const sheetNames: Record<HandoutSheetKind, string> = { actionRows: 'アクションプラン', targets: '目標・実績', focus: '重点取組内容' };
export const INSTRUCTIONS_SHEET = '記入のしかた';

/** Field keys of the columns (row 1, hidden). Per-year keys end in :YYYY. */
export const fieldKeys = {
  themes: 'themes',
  termPlan: 'termPlan',
  units: 'units',
  owner: 'owner',
  label: 'label',
  unit: 'unit',
  termGoal: 'termGoalValue',
  unitName: 'unitName',
} as const;
export const yearPlanKey = (fy: number) => `yearPlan:${fy}`;
export const planValueKey = (fy: number) => `planValue:${fy}`;
export const actualValueKey = (fy: number) => `actualValue:${fy}`;
export const focusKey = (period: string) => `focus:${period}`;

export interface HandoutMeta {
  format: string;
  formatVersion: number;
  appVersion: string;
  schemaVersion: number;
  planId: string;
  planTitle: string;
  unitId: string;
  unitName: string;
  fiscalYear: number;
  baseRevision: number;
  baseRevisionAt: string;
  createdAt: string;
  /** The ids handed out per sheet: a row missing from the returned file was removed there. */
  ids: Record<HandoutSheetKind, string[]>;
}

/** The themes of a 中期事業計画 cell: one per line starting with ・; other lines continue the theme above. */
export function parseBullets(text: string | null): string[] {
  if (text === null) return [];
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('・')) out.push(line.slice(1));
    else if (out.length > 0) out[out.length - 1] += `\n${line}`;
    else if (line.trim() !== '') out.push(line);
  }
  return out;
}
