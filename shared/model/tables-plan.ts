import { choice, id, int, key, number, position, ref, text, year } from './field-kinds';
import { byPosition, cascade, ofPlan, type PlanTableName, table, type TableDraft } from './table-entry';

/**
 * The registry's tables of the plan as a whole (section 計画): the plan itself, its missions and
 * common goals, challenges, pillars and principles, and the financial plan by fiscal year.
 */

export const planPartTables = {
  plan: table({
    noun: '計画',
    section: '計画',
    columns: {
      id: id(),
      title: text('line', { nonEmpty: true }),
      period_label: text('line', { nonEmpty: true }),
      start_year: year(),
      end_year: year(),
      slogan: text('line', { nonEmpty: true }),
      slogan_subtitle: text('line'),
      missions_title: text('line'),
      vision_title: text('line'),
      challenges_title: text('line'),
      common_goal_title: text('line'),
      financial_title: text('line'),
    },
    labels: {
      title: '計画名',
      period_label: '期間の名称',
      start_year: '開始年度',
      end_year: '終了年度',
      slogan: 'スローガン',
      slogan_subtitle: 'スローガンの副題',
      missions_title: 'ミッションの見出し',
      vision_title: 'ビジョンの見出し',
      challenges_title: '挑戦の見出し',
      common_goal_title: '共通目標の見出し',
      financial_title: '財政計画の見出し',
    },
    parent: null,
    references: [],
    ordering: null,
    units: { via: 'plan' },
  }),
  /** Short ordered lists of the plan: missions ('mission'), branch common goals ('common_goal'). */
  plan_list_item: table({
    noun: '項目',
    section: '計画',
    columns: { id: id(), plan_id: ref('plan'), list: choice(['mission', 'common_goal']), position: position(), text: text('paragraph', { nonEmpty: true }) },
    labels: { text: '項目' },
    parent: ofPlan,
    references: [cascade('plan_id', 'plan')],
    ordering: byPosition('plan_id', 'list'),
    units: { via: 'plan' },
  }),
  challenge_group: table({
    noun: '挑戦のグループ',
    section: '計画',
    columns: { id: id(), plan_id: ref('plan'), position: position(), heading: text('line', { nonEmpty: true }) },
    labels: { heading: '見出し' },
    parent: ofPlan,
    references: [cascade('plan_id', 'plan')],
    ordering: byPosition('plan_id'),
    units: { via: 'plan' },
  }),
  challenge: table({
    noun: '挑戦',
    section: '計画',
    columns: { id: id(), group_id: ref('challenge_group'), position: position(), no: int(), text: text('paragraph', { nonEmpty: true }) },
    labels: { text: '挑戦' },
    parent: { column: 'group_id', table: 'challenge_group' },
    references: [cascade('group_id', 'challenge_group')],
    ordering: byPosition('group_id'),
    units: { via: 'plan' },
  }),
  pillar: table({
    noun: '柱・指針',
    section: '計画',
    columns: { id: id(), plan_id: ref('plan'), key: key(false), kind: choice(['pillar', 'principle']), no: int(), name: text('line', { nonEmpty: true }), position: position() },
    labels: { name: '名称' },
    parent: ofPlan,
    references: [cascade('plan_id', 'plan')],
    ordering: byPosition('plan_id'),
    units: { via: 'plan' },
  }),
} satisfies Partial<Record<PlanTableName, TableDraft>>;

/** The financial plan: one text (and amount) per fiscal year. Last in the table order, as in the schema. */
export const financialTables = {
  financial_year: table({
    noun: '財政計画の年度',
    section: '計画',
    columns: { id: id(), plan_id: ref('plan'), fiscal_year: year(), text: text('paragraph', { nonEmpty: true }), amount_yen: number() },
    labels: { text: '財政計画', amount_yen: '金額（円）' },
    parent: ofPlan,
    references: [cascade('plan_id', 'plan')],
    ordering: null,
    units: { via: 'plan' },
  }),
} satisfies Partial<Record<PlanTableName, TableDraft>>;
