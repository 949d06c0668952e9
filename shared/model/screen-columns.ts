import type { ColumnOf, PlanTableName } from './registry';

/**
 * Which screens show each column of each plan table (renderer/src/screens/registry.ts has the
 * screens; `units` is the unit sidebar). A column the registry gains is a compile error here until
 * someone decides where it is shown ([] for nowhere); a screen that shows it then needs a column in
 * its grid, its view in shared/domain/editing.ts and its field in editable-fields.ts if it is
 * typed into. Ids, parents and orders are shown through the rows they place ([]).
 */
export type ScreenId = 'action-plan' | 'targets' | 'branches' | 'unit-focus' | 'overview' | 'progress' | 'units';

const none = [] as const;

export const screenColumns = {
  plan: {
    id: none,
    title: none,
    period_label: none,
    // The headers of the year and term columns.
    start_year: ['action-plan', 'targets', 'branches', 'unit-focus', 'progress'],
    end_year: ['action-plan', 'targets', 'branches', 'unit-focus', 'progress'],
    slogan: none,
    slogan_subtitle: none,
    missions_title: none,
    vision_title: none,
    challenges_title: none,
    common_goal_title: none,
    financial_title: none,
  },
  plan_list_item: { id: none, plan_id: none, list: none, position: none, text: none },
  challenge_group: { id: none, plan_id: none, position: none, heading: none },
  challenge: { id: none, group_id: none, position: none, no: none, text: none },
  pillar: { id: none, plan_id: none, key: none, kind: none, no: none, name: ['action-plan'], position: none },
  unit: { id: none, kind: ['units', 'unit-focus'], name: ['units', 'action-plan', 'targets', 'branches', 'unit-focus', 'progress'], short_name: ['units'], position: none },
  action_row: { id: none, plan_id: none, key: none, page: ['action-plan'], position: none, heading: ['action-plan'], band_pillar_id: ['action-plan'], term_plan: ['action-plan'] },
  theme: { id: none, row_id: none, key: none, position: none, text: ['action-plan', 'targets', 'overview'], pillar_id: ['action-plan'] },
  year_plan: { id: none, row_id: none, fiscal_year: none, text: ['action-plan'] },
  assignment: { id: none, row_id: none, unit_id: ['action-plan'], position: none },
  target: {
    id: none,
    row_id: none,
    theme_id: ['targets'],
    unit_id: ['targets'],
    key: none,
    position: none,
    label: ['targets', 'progress'],
    unit: ['targets', 'progress'],
    kind: ['targets', 'progress'],
    direction: ['targets', 'progress'],
    baseline_value: ['targets', 'progress'],
    baseline_year: ['targets'],
    baseline_text: none,
    term_goal_value: ['targets', 'progress'],
    term_goal_text: none,
    note: ['targets'],
  },
  target_value: { id: none, target_id: none, fiscal_year: none, plan_value: ['targets', 'progress'], plan_text: none, actual_value: ['targets', 'progress'] },
  unit_focus: { id: none, plan_id: none, period: ['branches', 'unit-focus'], group_heading: ['unit-focus'], position: none, text: ['branches', 'unit-focus'] },
  unit_focus_unit: { id: none, focus_id: none, unit_id: ['branches', 'unit-focus'], position: none },
  joint_project: { id: none, plan_id: none, key: none, fiscal_year: none, position: none, title: none, project_names: none, text: none },
  joint_project_unit: { id: none, project_id: none, unit_id: none, position: none },
  overview_section: { id: none, plan_id: none, key: none, fiscal_year: ['overview'], position: none, title: ['overview'], subtitle: none },
  overview_group: { id: none, section_id: none, position: none, heading: ['overview'], category: ['overview'] },
  overview_item: { id: none, group_id: none, position: none, no: ['overview'], text: ['overview'], is_new: ['overview'], row_id: ['overview'] },
  financial_year: { id: none, plan_id: none, fiscal_year: none, text: none, amount_yen: none },
} as const satisfies { readonly [T in PlanTableName]: { readonly [C in ColumnOf<T>]: readonly ScreenId[] } };
