import { bool, id, int, intRange, key, optional, position, ref, text, year } from './field-kinds';
import { byPosition, cascade, nullify, ofPlan, type PlanTableName, table, type TableDraft } from './table-entry';

/** The registry's tables of the year's overview (事業活動計画（概要）): its chapters, groups and items. */

export const overviewTables = {
  overview_section: table({
    noun: '概要の章',
    section: '事業活動計画（概要）',
    columns: { id: id(), plan_id: ref('plan'), key: key(), fiscal_year: year(), position: position(), title: text('line', { nonEmpty: true }), subtitle: optional('line') },
    labels: { title: '章の題', subtitle: '副題' },
    parent: ofPlan,
    references: [cascade('plan_id', 'plan')],
    ordering: byPosition('fiscal_year'),
    units: { via: 'plan' },
  }),
  overview_group: table({
    noun: '概要のグループ',
    section: '事業活動計画（概要）',
    columns: { id: id(), section_id: ref('overview_section'), position: position(), heading: optional('line'), category: optional('line') },
    labels: { heading: '見出し', category: '分類' },
    parent: { column: 'section_id', table: 'overview_section' },
    references: [cascade('section_id', 'overview_section')],
    ordering: byPosition('section_id'),
    units: { via: 'plan' },
  }),
  overview_item: table({
    noun: '概要の項目',
    section: '事業活動計画（概要）',
    columns: {
      id: id(),
      group_id: ref('overview_group'),
      position: position(),
      no: int(intRange.min, true),
      text: text('paragraph'),
      is_new: bool(),
      row_id: ref('action_row', true),
    },
    labels: { text: '本文', is_new: '新', no: '番号', row_id: 'つながる表の行' },
    parent: { column: 'group_id', table: 'overview_group' },
    references: [cascade('group_id', 'overview_group'), nullify('row_id', 'action_row')],
    ordering: byPosition('group_id'),
    newRow: { inherit: ['group_id'], values: { text: '', is_new: 0 } },
    units: { via: 'plan' },
  }),
} satisfies Partial<Record<PlanTableName, TableDraft>>;
