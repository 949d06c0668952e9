import { id, key, optional, period, position, ref, text, year } from './field-kinds';
import { byPosition, cascade, ofPlan, type PlanTableName, table, type TableDraft } from './table-entry';

/**
 * The registry's tables of the units' focus (重点取組内容) and the branches' joint projects
 * (支部連携事業), each with its list of units.
 */

export const branchTables = {
  /** A unit's focus for a period: 'term' (3 years) or a fiscal year. One text may be shared by several units. */
  unit_focus: table({
    noun: '重点取組内容',
    section: '重点取組内容',
    columns: { id: id(), plan_id: ref('plan'), period: period(), group_heading: optional('line'), position: position(), text: text('paragraph', { emphasis: true }) },
    labels: { text: '重点取組内容', period: '期間', group_heading: 'グループ' },
    parent: ofPlan,
    references: [cascade('plan_id', 'plan')],
    ordering: byPosition('period'),
    goesWithLastLink: 'unit_focus_unit',
    units: { via: 'links', table: 'unit_focus_unit' },
  }),
  unit_focus_unit: table({
    noun: '重点取組内容の組織',
    section: '重点取組内容',
    columns: { id: id(), focus_id: ref('unit_focus'), unit_id: ref('unit'), position: position() },
    labels: {},
    parent: { column: 'focus_id', table: 'unit_focus' },
    references: [cascade('focus_id', 'unit_focus'), cascade('unit_id', 'unit')],
    ordering: byPosition('focus_id'),
    links: { parentColumn: 'focus_id', unitColumn: 'unit_id', label: '組織' },
    units: { via: 'column', column: 'unit_id' },
  }),
  joint_project: table({
    noun: '支部連携事業',
    section: '支部連携事業',
    columns: {
      id: id(),
      plan_id: ref('plan'),
      key: key(),
      fiscal_year: year(),
      position: position(),
      title: text('line', { nonEmpty: true }),
      project_names: text('paragraph'),
      text: text('paragraph', { nonEmpty: true, emphasis: true }),
    },
    labels: { title: '事業名', text: '内容', project_names: '事業' },
    parent: ofPlan,
    references: [cascade('plan_id', 'plan')],
    ordering: byPosition('fiscal_year'),
    units: { via: 'links', table: 'joint_project_unit' },
  }),
  joint_project_unit: table({
    noun: '支部連携事業の支部',
    section: '支部連携事業',
    columns: { id: id(), project_id: ref('joint_project'), unit_id: ref('unit'), position: position() },
    labels: {},
    parent: { column: 'project_id', table: 'joint_project' },
    references: [cascade('project_id', 'joint_project'), cascade('unit_id', 'unit')],
    ordering: byPosition('project_id'),
    links: { parentColumn: 'project_id', unitColumn: 'unit_id', label: '支部' },
    units: { via: 'column', column: 'unit_id' },
  }),
} satisfies Partial<Record<PlanTableName, TableDraft>>;
