import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import { excerpt } from '../../../shared/contract/excerpt';
import type { DeleteImpact, MoveDirection, RowKind, RowOpResult } from '../../../shared/domain/editing';
import { unitKindLabels } from '../../../shared/domain/units';
import { type ChangeWriter, withChange } from '../../db/change-writer';
import type { Sqlite } from '../../db/open';
import { qb } from '../../db/query-builder';
import type { DataTable } from '../../db/schema';
import { all, first } from '../../db/sql';

/**
 * Row operations of the grids: add a row below, delete a row (and what hangs on it), move a row up
 * or down. Each is one transaction and one change set, so one undo step.
 */

const gone = (what: string, id: string): never => {
  throw new AppError('not_found', `${what}が見つかりません（削除された可能性があります）。`, `no ${what} ${id}`);
};

interface Positioned {
  id: string;
  position: number;
}

/**
 * Makes room at `at` among siblings: every sibling at or after it moves down by one (one sort and
 * one write per moved row: each move is logged for undo). Bottom first, so that no two rows ever
 * share a position on the way.
 */
function makeRoom(w: ChangeWriter, table: DataTable, siblings: Positioned[], at: number): void {
  for (const s of siblings.filter((x) => x.position >= at).sort((a, b) => b.position - a.position)) w.update(table, s.id, { position: s.position + 1 } as never);
}

/** Swaps a row with its neighbour among siblings (by position); false when it is already first/last. */
function swapWithNeighbour(w: ChangeWriter, table: DataTable, siblings: Positioned[], id: string, direction: MoveDirection): boolean {
  const sorted = [...siblings].sort((a, b) => a.position - b.position);
  const i = sorted.findIndex((s) => s.id === id);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= sorted.length) return false;
  const a = sorted[i]!;
  const b = sorted[j]!;
  // Equal positions (possible in hand-made data) would not swap: use the indexes then.
  const [pa, pb] = a.position === b.position ? [j, i] : [b.position, a.position];
  w.update(table, a.id, { position: pa } as never);
  w.update(table, b.id, { position: pb } as never);
  return true;
}

const themeRow = (sqlite: Sqlite, id: string) => first(sqlite, qb.selectFrom('theme').selectAll().where('id', '=', id)) ?? gone('テーマ', id);
const actionRow = (sqlite: Sqlite, id: string) => first(sqlite, qb.selectFrom('action_row').selectAll().where('id', '=', id)) ?? gone('表の行', id);
const themesOf = (sqlite: Sqlite, rowId: string) => all(sqlite, qb.selectFrom('theme').select(['id', 'position', 'text']).where('row_id', '=', rowId).orderBy('position'));
const actionRowsInOrder = (sqlite: Sqlite) => all(sqlite, qb.selectFrom('action_row').select(['id', 'page', 'position']).orderBy('page').orderBy('position'));
const targetRow = (sqlite: Sqlite, id: string) => first(sqlite, qb.selectFrom('target').selectAll().where('id', '=', id)) ?? gone('目標', id);
const unitRow = (sqlite: Sqlite, id: string) => first(sqlite, qb.selectFrom('unit').selectAll().where('id', '=', id)) ?? gone('組織', id);
const itemRow = (sqlite: Sqlite, id: string) => first(sqlite, qb.selectFrom('overview_item').selectAll().where('id', '=', id)) ?? gone('項目', id);
const targetSiblings = (sqlite: Sqlite, t: { row_id: string | null; unit_id: string | null }) =>
  t.row_id
    ? all(sqlite, qb.selectFrom('target').select(['id', 'position']).where('row_id', '=', t.row_id))
    : all(sqlite, qb.selectFrom('target').select(['id', 'position']).where('row_id', 'is', null).where('unit_id', '=', t.unit_id ?? ''));

// ── insert ──────────────────────────────────────────────────────────────────────────────

function insertTheme(sqlite: Sqlite, w: ChangeWriter, afterId: string): string {
  const after = themeRow(sqlite, afterId);
  makeRoom(w, 'theme', themesOf(sqlite, after.row_id), after.position + 1);
  const id = randomUUID();
  w.insert('theme', { id, row_id: after.row_id, key: null, position: after.position + 1, text: '', pillar_id: after.pillar_id });
  return id;
}

/** A new table row (its own goal, year and 主な担当 cells) below the row of `afterThemeId`, with one empty theme. */
function insertActionRow(sqlite: Sqlite, w: ChangeWriter, afterThemeId: string): string {
  const theme = themeRow(sqlite, afterThemeId);
  const after = actionRow(sqlite, theme.row_id);
  const samePage = all(sqlite, qb.selectFrom('action_row').select(['id', 'position']).where('page', '=', after.page));
  makeRoom(w, 'action_row', samePage, after.position + 1);
  const rowId = randomUUID();
  w.insert('action_row', { id: rowId, plan_id: after.plan_id, key: null, page: after.page, position: after.position + 1, heading: null, band_pillar_id: after.band_pillar_id, term_plan: '' });
  const lastTheme = themesOf(sqlite, after.id).at(-1);
  const pillar = lastTheme ? themeRow(sqlite, lastTheme.id).pillar_id : theme.pillar_id;
  const id = randomUUID();
  w.insert('theme', { id, row_id: rowId, key: null, position: 0, text: '', pillar_id: pillar });
  return id;
}

function insertTarget(sqlite: Sqlite, w: ChangeWriter, afterId: string): string {
  const after = targetRow(sqlite, afterId);
  makeRoom(w, 'target', targetSiblings(sqlite, after), after.position + 1);
  const id = randomUUID();
  w.insert('target', {
    id, row_id: after.row_id, theme_id: after.theme_id, unit_id: after.unit_id, key: null, position: after.position + 1, label: '', unit: after.unit, kind: after.kind,
    direction: after.direction, baseline_value: null, baseline_year: null, baseline_text: null, term_goal_value: null, term_goal_text: null, note: null,
  });
  return id;
}

function insertUnit(sqlite: Sqlite, w: ChangeWriter, afterId: string): string {
  const after = unitRow(sqlite, afterId);
  const names = new Set(all(sqlite, qb.selectFrom('unit').select('name')).map((u) => u.name));
  const base = `新しい${unitKindLabels[after.kind]}`;
  let name = base;
  for (let n = 2; names.has(name); n++) name = `${base}${n}`;
  makeRoom(w, 'unit', all(sqlite, qb.selectFrom('unit').select(['id', 'position'])), after.position + 1);
  const id = randomUUID();
  w.insert('unit', { id, kind: after.kind, name, short_name: null, position: after.position + 1 });
  return id;
}

function insertOverviewItem(sqlite: Sqlite, w: ChangeWriter, afterId: string): string {
  const after = itemRow(sqlite, afterId);
  makeRoom(w, 'overview_item', all(sqlite, qb.selectFrom('overview_item').select(['id', 'position']).where('group_id', '=', after.group_id)), after.position + 1);
  const id = randomUUID();
  w.insert('overview_item', { id, group_id: after.group_id, position: after.position + 1, no: null, text: '', is_new: 0, row_id: null });
  return id;
}

const insertLabels: Record<RowKind, string> = { theme: 'テーマの追加', actionRow: '表の行の追加', target: '目標の追加', unit: '組織の追加', overviewItem: '項目の追加' };

export function insertRow(sqlite: Sqlite, kind: RowKind, afterId: string): RowOpResult {
  const r = withChange(sqlite, { label: insertLabels[kind] }, (w) => {
    switch (kind) {
      case 'theme':
        return insertTheme(sqlite, w, afterId);
      case 'actionRow':
        return insertActionRow(sqlite, w, afterId);
      case 'target':
        return insertTarget(sqlite, w, afterId);
      case 'unit':
        return insertUnit(sqlite, w, afterId);
      case 'overviewItem':
        return insertOverviewItem(sqlite, w, afterId);
    }
  });
  return { id: r.result, changeSetId: r.changeSetId, changed: r.changed };
}

// ── delete ──────────────────────────────────────────────────────────────────────────────

function deleteTargetWithValues(sqlite: Sqlite, w: ChangeWriter, targetId: string): void {
  for (const v of all(sqlite, qb.selectFrom('target_value').select('id').where('target_id', '=', targetId))) w.delete('target_value', v.id);
  w.delete('target', targetId);
}

/** A table row and everything that belongs to it; overview items that continued it keep their text and lose the link. */
function deleteActionRow(sqlite: Sqlite, w: ChangeWriter, rowId: string): void {
  for (const t of all(sqlite, qb.selectFrom('target').select('id').where('row_id', '=', rowId))) deleteTargetWithValues(sqlite, w, t.id);
  for (const y of all(sqlite, qb.selectFrom('year_plan').select('id').where('row_id', '=', rowId))) w.delete('year_plan', y.id);
  for (const a of all(sqlite, qb.selectFrom('assignment').select('id').where('row_id', '=', rowId))) w.delete('assignment', a.id);
  for (const i of all(sqlite, qb.selectFrom('overview_item').select('id').where('row_id', '=', rowId))) w.update('overview_item', i.id, { row_id: null });
  for (const t of themesOf(sqlite, rowId)) w.delete('theme', t.id);
  w.delete('action_row', rowId);
}

function deleteTheme(sqlite: Sqlite, w: ChangeWriter, themeId: string): void {
  const theme = themeRow(sqlite, themeId);
  if (themesOf(sqlite, theme.row_id).length === 1) return deleteActionRow(sqlite, w, theme.row_id);
  // The theme's targets stay with the table row they were read from.
  for (const t of all(sqlite, qb.selectFrom('target').select('id').where('theme_id', '=', themeId))) w.update('target', t.id, { theme_id: null });
  w.delete('theme', themeId);
}

function deleteUnit(sqlite: Sqlite, w: ChangeWriter, unitId: string): void {
  unitRow(sqlite, unitId);
  for (const a of all(sqlite, qb.selectFrom('assignment').select('id').where('unit_id', '=', unitId))) w.delete('assignment', a.id);
  for (const link of all(sqlite, qb.selectFrom('unit_focus_unit').select(['id', 'focus_id']).where('unit_id', '=', unitId))) {
    w.delete('unit_focus_unit', link.id);
    const others = first(sqlite, qb.selectFrom('unit_focus_unit').select('id').where('focus_id', '=', link.focus_id));
    if (!others) w.delete('unit_focus', link.focus_id);
  }
  for (const p of all(sqlite, qb.selectFrom('joint_project_unit').select('id').where('unit_id', '=', unitId))) w.delete('joint_project_unit', p.id);
  for (const t of all(sqlite, qb.selectFrom('target').select('id').where('unit_id', '=', unitId))) {
    const target = targetRow(sqlite, t.id);
    if (target.row_id) w.update('target', t.id, { unit_id: null });
    else deleteTargetWithValues(sqlite, w, t.id);
  }
  w.delete('unit', unitId);
}

const deleteLabels: Record<RowKind, string> = { theme: 'テーマの削除', actionRow: '表の行の削除', target: '目標の削除', unit: '組織の削除', overviewItem: '項目の削除' };

export function deleteRow(sqlite: Sqlite, kind: RowKind, id: string): RowOpResult {
  const r = withChange(sqlite, { label: deleteLabels[kind] }, (w) => {
    switch (kind) {
      case 'theme':
        return deleteTheme(sqlite, w, id);
      case 'actionRow':
        actionRow(sqlite, id);
        return deleteActionRow(sqlite, w, id);
      case 'target':
        targetRow(sqlite, id);
        return deleteTargetWithValues(sqlite, w, id);
      case 'unit':
        return deleteUnit(sqlite, w, id);
      case 'overviewItem':
        itemRow(sqlite, id);
        return w.delete('overview_item', id);
    }
  });
  return { id: null, changeSetId: r.changeSetId, changed: r.changed };
}

const short = (text: string) => excerpt(text) || '（空欄）';
const count = (sqlite: Sqlite, sql: string, ...params: unknown[]) => (sqlite.prepare(sql).get(...params) as { n: number }).n;

/** What a delete would take with it, for the confirmation. */
export function deleteImpact(sqlite: Sqlite, kind: RowKind, id: string): DeleteImpact {
  switch (kind) {
    case 'theme':
    case 'actionRow': {
      const rowId = kind === 'theme' ? themeRow(sqlite, id).row_id : id;
      const themes = themesOf(sqlite, rowId);
      if (kind === 'theme' && themes.length > 1) {
        const targets = count(sqlite, 'select count(*) as n from target where theme_id = ?', id);
        return {
          what: `テーマ「${short(themeRow(sqlite, id).text)}」を削除します。`,
          details: ['到達目標・事業活動計画・主な担当は同じ表の行の他のテーマに残ります。', ...(targets ? [`このテーマの目標 ${targets}件は表の行に残ります。`] : [])],
        };
      }
      const years = count(sqlite, 'select count(*) as n from year_plan where row_id = ?', rowId);
      const units = count(sqlite, 'select count(*) as n from assignment where row_id = ?', rowId);
      const targets = count(sqlite, 'select count(*) as n from target where row_id = ?', rowId);
      const items = count(sqlite, 'select count(*) as n from overview_item where row_id = ?', rowId);
      return {
        what: `表の行（テーマ「${short(themes[0]?.text ?? '')}」${themes.length > 1 ? ` ほか${themes.length - 1}件` : ''}）を削除します。`,
        details: [
          '到達目標・３年間のアクションプランも削除されます。',
          ...(years ? [`年度の事業活動計画 ${years}件`] : []),
          ...(units ? [`主な担当 ${units}件`] : []),
          ...(targets ? [`目標 ${targets}件（計画値・実績値を含む）`] : []),
          ...(items ? [`年度計画の項目 ${items}件はこの行とのつながりがなくなります（本文は残ります）。`] : []),
        ],
      };
    }
    case 'target': {
      const t = targetRow(sqlite, id);
      const values = count(sqlite, 'select count(*) as n from target_value where target_id = ?', id);
      return { what: `目標「${short(t.label)}」を削除します。`, details: values ? [`年度の計画値・実績値 ${values}年度分も削除されます。`] : [] };
    }
    case 'unit': {
      const u = unitRow(sqlite, id);
      const rows = count(sqlite, 'select count(*) as n from assignment where unit_id = ?', id);
      const focus = count(sqlite, 'select count(*) as n from unit_focus_unit where unit_id = ?', id);
      const targets = count(sqlite, 'select count(*) as n from target where unit_id = ? and row_id is null', id);
      return {
        what: `${unitKindLabels[u.kind]}「${short(u.name)}」を削除します。`,
        details: [...(rows ? [`主な担当から外れる行 ${rows}件`] : []), ...(focus ? [`重点取組内容 ${focus}件`] : []), ...(targets ? [`目標 ${targets}件`] : [])],
      };
    }
    case 'overviewItem':
      return { what: `項目「${short(itemRow(sqlite, id).text)}」を削除します。`, details: [] };
  }
}

// ── move ────────────────────────────────────────────────────────────────────────────────

/** Swaps a table row with the one above or below in document order (across pages: it takes the other's place). */
function moveActionRow(sqlite: Sqlite, w: ChangeWriter, rowId: string, direction: MoveDirection): boolean {
  const rows = actionRowsInOrder(sqlite);
  const i = rows.findIndex((r) => r.id === rowId);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= rows.length) return false;
  const a = rows[i]!;
  const b = rows[j]!;
  if (a.page === b.page) return swapWithNeighbour(w, 'action_row', rows.filter((r) => r.page === a.page), a.id, direction);
  w.update('action_row', a.id, { page: b.page, position: b.position });
  w.update('action_row', b.id, { page: a.page, position: a.position });
  return true;
}

/** A theme moves among the themes of its table row; at the edge of the row, the whole table row moves. */
function moveTheme(sqlite: Sqlite, w: ChangeWriter, themeId: string, direction: MoveDirection): boolean {
  const theme = themeRow(sqlite, themeId);
  return swapWithNeighbour(w, 'theme', themesOf(sqlite, theme.row_id), themeId, direction) || moveActionRow(sqlite, w, theme.row_id, direction);
}

const moveLabels: Record<RowKind, string> = { theme: 'テーマの移動', actionRow: '表の行の移動', target: '目標の移動', unit: '組織の移動', overviewItem: '項目の移動' };

export function moveRow(sqlite: Sqlite, kind: RowKind, id: string, direction: MoveDirection): RowOpResult {
  const r = withChange(sqlite, { label: moveLabels[kind] }, (w) => {
    switch (kind) {
      case 'theme':
        return moveTheme(sqlite, w, id, direction);
      case 'actionRow':
        actionRow(sqlite, id);
        return moveActionRow(sqlite, w, id, direction);
      case 'target':
        return swapWithNeighbour(w, 'target', targetSiblings(sqlite, targetRow(sqlite, id)), id, direction);
      case 'unit': {
        const u = unitRow(sqlite, id);
        return swapWithNeighbour(w, 'unit', all(sqlite, qb.selectFrom('unit').select(['id', 'position']).where('kind', '=', u.kind)), id, direction);
      }
      case 'overviewItem': {
        const item = itemRow(sqlite, id);
        return swapWithNeighbour(w, 'overview_item', all(sqlite, qb.selectFrom('overview_item').select(['id', 'position']).where('group_id', '=', item.group_id)), id, direction);
      }
    }
  });
  if (!r.result) throw new AppError('conflict', direction === 'up' ? 'これ以上、上へは移動できません。' : 'これ以上、下へは移動できません。', `cannot move ${kind} ${id} ${direction}`);
  return { id, changeSetId: r.changeSetId, changed: r.changed };
}
