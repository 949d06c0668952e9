import { id, key, optional, position, ref, int, text, year } from './field-kinds';
import { byPosition, cascade, nullify, ofPlan, type PlanTableName, table, type TableDraft } from './table-entry';

/**
 * The registry's tables of the action plan (section アクションプラン): the table rows of the
 * pages, their themes, the plan text of each fiscal year and 主な担当.
 */

const ofRow = { column: 'row_id', table: 'action_row' } as const;

export const actionPlanTables = {
  action_row: table({
    noun: '表の行',
    section: 'アクションプラン',
    columns: {
      id: id(),
      plan_id: ref('plan'),
      key: key(),
      page: int(1, false, 1000),
      position: position(),
      heading: optional('line'),
      band_pillar_id: ref('pillar', true),
      term_plan: text('paragraph'),
    },
    labels: { heading: '見出し', term_plan: '到達目標・３年間のアクションプラン', band_pillar_id: '帯の柱・指針' },
    parent: ofPlan,
    references: [cascade('plan_id', 'plan'), nullify('band_pillar_id', 'pillar')],
    // Rows are numbered per page; a move across a page boundary takes the other row's place.
    ordering: { columns: ['page', 'position'], siblingsBy: ['page'] },
    newRow: { inherit: ['plan_id', 'page', 'band_pillar_id'], values: { term_plan: '' } },
    goesWithLastChild: { child: 'theme', column: 'row_id' },
    units: { via: 'links', table: 'assignment' },
  }),
  theme: table({
    noun: 'テーマ',
    section: 'アクションプラン',
    columns: { id: id(), row_id: ref('action_row'), key: key(), position: position(), text: text('paragraph'), pillar_id: ref('pillar', true) },
    labels: { text: '中期事業計画（テーマ）', pillar_id: '柱・指針', row_id: '表の行' },
    parent: ofRow,
    references: [cascade('row_id', 'action_row'), nullify('pillar_id', 'pillar')],
    ordering: byPosition('row_id'),
    newRow: { inherit: ['row_id', 'pillar_id'], values: { text: '' } },
    units: { via: 'parent' },
  }),
  year_plan: table({
    noun: '年度の事業活動計画',
    section: 'アクションプラン',
    // '' is allowed: earlier versions could store it from an import (a cleared cell is no row at all now).
    columns: { id: id(), row_id: ref('action_row'), fiscal_year: year(), text: text('paragraph') },
    labels: {},
    parent: ofRow,
    references: [cascade('row_id', 'action_row')],
    ordering: null,
    perYear: { yearColumn: 'fiscal_year', values: ['text'] },
    units: { via: 'parent' },
  }),
  assignment: table({
    noun: '主な担当',
    section: 'アクションプラン',
    columns: { id: id(), row_id: ref('action_row'), unit_id: ref('unit'), position: position() },
    labels: {},
    parent: ofRow,
    references: [cascade('row_id', 'action_row'), cascade('unit_id', 'unit')],
    ordering: byPosition('row_id'),
    links: { parentColumn: 'row_id', unitColumn: 'unit_id', label: '主な担当' },
    units: { via: 'column', column: 'unit_id' },
  }),
} satisfies Partial<Record<PlanTableName, TableDraft>>;
