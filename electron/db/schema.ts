import type { Generated } from 'kysely';

/**
 * The typed tables of a plan database (Kysely). Column names are snake_case as in SQL; every table
 * has a UUID `id` so that the change log, imports and merges can name any row.
 */
export interface PlanTable {
  id: string;
  title: string;
  period_label: string;
  start_year: number;
  end_year: number;
  slogan: string;
  slogan_subtitle: string;
  missions_title: string;
  vision_title: string;
  challenges_title: string;
  common_goal_title: string;
  financial_title: string;
}

/** Short ordered lists of the plan: missions ('mission'), branch common goals ('common_goal'). */
export interface PlanListItemTable {
  id: string;
  plan_id: string;
  list: 'mission' | 'common_goal';
  position: number;
  text: string;
}

export interface ChallengeGroupTable {
  id: string;
  plan_id: string;
  position: number;
  heading: string;
}

export interface ChallengeTable {
  id: string;
  group_id: string;
  position: number;
  no: number;
  text: string;
}

export interface PillarTable {
  id: string;
  plan_id: string;
  key: string;
  kind: 'pillar' | 'principle';
  no: number;
  name: string;
  position: number;
}

export interface UnitTable {
  id: string;
  kind: 'committee' | 'department' | 'branch' | 'section' | 'womens_association' | 'youth_group' | 'group';
  name: string;
  short_name: string | null;
  position: number;
}

export interface ActionRowTable {
  id: string;
  plan_id: string;
  key: string | null;
  page: number;
  position: number;
  heading: string | null;
  band_pillar_id: string | null;
  term_plan: string;
}

export interface ThemeTable {
  id: string;
  row_id: string;
  key: string | null;
  position: number;
  text: string;
  pillar_id: string | null;
}

export interface YearPlanTable {
  id: string;
  row_id: string;
  fiscal_year: number;
  text: string;
}

export interface AssignmentTable {
  id: string;
  row_id: string;
  unit_id: string;
  position: number;
}

export interface TargetTable {
  id: string;
  row_id: string | null;
  theme_id: string | null;
  /** Targets of a branch (page ⑦) belong to the branch's focus, not to an action row. */
  unit_id: string | null;
  key: string | null;
  position: number;
  label: string;
  unit: string;
  kind: 'cumulative' | 'level' | 'final_volume' | 'rate' | 'maintain' | 'money';
  direction: 'at_least' | 'more_than' | 'at_most' | 'less_than';
  baseline_value: number | null;
  baseline_year: number | null;
  baseline_text: string | null;
  term_goal_value: number | null;
  term_goal_text: string | null;
  note: string | null;
}

export interface TargetValueTable {
  id: string;
  target_id: string;
  fiscal_year: number;
  plan_value: number | null;
  plan_text: string | null;
  actual_value: number | null;
}

/** A unit's focus for a period: 'term' (3 years) or a fiscal year. One text may be shared by several units. */
export interface UnitFocusTable {
  id: string;
  plan_id: string;
  period: string;
  group_heading: string | null;
  position: number;
  text: string;
}

export interface UnitFocusUnitTable {
  id: string;
  focus_id: string;
  unit_id: string;
  position: number;
}

export interface JointProjectTable {
  id: string;
  plan_id: string;
  key: string | null;
  fiscal_year: number;
  position: number;
  title: string;
  project_names: string;
  text: string;
}

export interface JointProjectUnitTable {
  id: string;
  project_id: string;
  unit_id: string;
  position: number;
}

export interface OverviewSectionTable {
  id: string;
  plan_id: string;
  key: string | null;
  fiscal_year: number;
  position: number;
  title: string;
  subtitle: string | null;
}

export interface OverviewGroupTable {
  id: string;
  section_id: string;
  position: number;
  heading: string | null;
  category: string | null;
}

export interface OverviewItemTable {
  id: string;
  group_id: string;
  position: number;
  no: number | null;
  text: string;
  is_new: number;
  row_id: string | null;
}

export interface FinancialYearTable {
  id: string;
  plan_id: string;
  fiscal_year: number;
  text: string;
  amount_yen: number | null;
}

/** One user action: an edit, a paste, an import, an undo. */
export interface ChangeSetTable {
  id: Generated<number>;
  at: string;
  user: string;
  label: string;
  source: string | null;
  /** For an undo: the change set it reverses; for a redo: the undo it reverses. */
  reverts_id: number | null;
}

export interface ChangeTable {
  id: Generated<number>;
  set_id: number;
  table_name: string;
  row_id: string;
  op: 'insert' | 'update' | 'delete';
  column_name: string | null;
  old_value: string | null;
  new_value: string | null;
}

export interface DB {
  plan: PlanTable;
  plan_list_item: PlanListItemTable;
  challenge_group: ChallengeGroupTable;
  challenge: ChallengeTable;
  pillar: PillarTable;
  unit: UnitTable;
  action_row: ActionRowTable;
  theme: ThemeTable;
  year_plan: YearPlanTable;
  assignment: AssignmentTable;
  target: TargetTable;
  target_value: TargetValueTable;
  unit_focus: UnitFocusTable;
  unit_focus_unit: UnitFocusUnitTable;
  joint_project: JointProjectTable;
  joint_project_unit: JointProjectUnitTable;
  overview_section: OverviewSectionTable;
  overview_group: OverviewGroupTable;
  overview_item: OverviewItemTable;
  financial_year: FinancialYearTable;
  change_set: ChangeSetTable;
  change: ChangeTable;
}

/** Tables whose rows are plan data (logged in the change log, exported, dumped). */
export type DataTable = Exclude<keyof DB, 'change_set' | 'change'>;
