import type { UnitKind } from '../domain/units';

/**
 * Everything the official layouts print, as plain data read by one service query
 * (electron/model/queries/document-queries.ts). Lists are in document order.
 */
export interface PlanDocumentData {
  plan: {
    title: string;
    periodLabel: string;
    startYear: number;
    endYear: number;
    slogan: string;
    sloganSubtitle: string;
    missionsTitle: string;
    visionTitle: string;
    challengesTitle: string;
    commonGoalTitle: string;
    financialTitle: string;
  };
  missions: string[];
  commonGoals: string[];
  challengeGroups: { heading: string; challenges: { no: number; text: string }[] }[];
  pillars: { id: string; key: string; kind: 'pillar' | 'principle'; no: number; name: string }[];
  units: { id: string; kind: UnitKind; name: string; shortName: string | null }[];
  actionRows: DocumentActionRow[];
  /** Focus texts: period 'term' or a fiscal year ('2020'); groupHeading set for the 部会・委員会… table. */
  unitFocus: { id: string; period: string; groupHeading: string | null; text: string; unitIds: string[] }[];
  jointProjects: { id: string; fiscalYear: number; title: string; projectNames: string[]; text: string; unitIds: string[] }[];
  overviewSections: DocumentOverviewSection[];
  financialYears: { fiscalYear: number; text: string; amountYen: number | null }[];
}

export interface DocumentActionRow {
  id: string;
  page: number;
  heading: string | null;
  bandPillarId: string | null;
  themes: { id: string; text: string }[];
  termPlan: string;
  /** Fiscal year (as a string key) → the year cell. */
  yearPlans: Record<string, string>;
  /** 主な担当 in printed order. */
  unitIds: string[];
}

export interface DocumentOverviewSection {
  id: string;
  fiscalYear: number;
  title: string;
  subtitle: string | null;
  groups: { heading: string | null; category: string | null; items: { no: number | null; text: string; isNew: boolean }[] }[];
}

/**
 * The branch focus text (a focus without a group heading) of each unit for a period: the first in
 * document order that names the unit. One pass over the focus texts; a search per branch grew with
 * branches × texts.
 */
export function branchFocusByUnit(data: Pick<PlanDocumentData, 'unitFocus'>, period: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of data.unitFocus) {
    if (f.period !== period || f.groupHeading !== null) continue;
    for (const id of f.unitIds) if (!out.has(id)) out.set(id, f.text);
  }
  return out;
}
