/**
 * The rows of one screen a change set changed, read after the write in the shape the screen's list
 * method gives them, so that a write answers with them and the grid updates in place (one request
 * per edit). Which rows a change touches is found from the change log (touched-rows.ts): a theme's
 * text is also the 目標・実績 owner and the 年度計画 orientation of its table row, a focus text is
 * shown by every unit that shares it, and so on. When rows were added, removed or moved, the answer
 * carries the screen's order too; when the change touched very many rows, it is the whole screen.
 */
import type { ScreenChange, ScreenRef } from '../../../shared/domain/editing';
import type { Sqlite } from '../../db/open';
import { qb } from '../../db/query-builder';
import { all } from '../../db/sql';
import { actionRowOrder, listActionRows } from './plan-queries';
import { listOverviewItems, listTargets, listUnitFocus, screenOrder } from './screen-queries';
import type { TouchedRows } from './touched-rows';

/** Above this many rows a screen is read whole: one full read beats long `in (…)` lists (a large paste, an undo of one). */
const MOST_ROWS = 500;

type Candidates = string[] | 'all';

const union = (...lists: string[][]): Candidates => {
  const ids = [...new Set(lists.flat())];
  return ids.length > MOST_ROWS ? 'all' : ids;
};

/** Adds the ids `query` finds for `keys` (rows related to what was touched), or gives up on a partial read. */
function plus(sqlite: Sqlite, ids: Candidates, keys: string[], query: (keys: string[]) => { id: string }[]): Candidates {
  if (ids === 'all' || keys.length === 0) return ids;
  if (keys.length > MOST_ROWS) return 'all';
  return union(ids, query(keys).map((r) => r.id));
}

/** The answer for candidate rows: those still on the screen, those gone, and the order when rows came, went or moved. */
function patch<Row>(candidates: Candidates, moved: boolean, read: (only?: readonly string[]) => Row[], idOf: (row: Row) => string, order: () => string[]) {
  if (candidates === 'all') {
    const rows = read();
    return { rows, removed: [], order: rows.map(idOf) };
  }
  const rows = candidates.length > 0 ? read(candidates) : [];
  const found = new Set(rows.map(idOf));
  return { rows, removed: candidates.filter((id) => !found.has(id)), order: moved ? order() : null };
}

/** What change set `touched` changed on the screen `ref`. */
export function screenChange(sqlite: Sqlite, touched: TouchedRows, ref: ScreenRef): ScreenChange {
  // A filtered screen shows the rows of one unit: a change of 主な担当 may bring rows in or take them out.
  const assignedRows = ref.unitId ? touched.values('assignment', 'row_id') : [];
  switch (ref.name) {
    case 'actionRows': {
      const ids = union(touched.ids('action_row'), touched.values('theme', 'row_id'), touched.values('year_plan', 'row_id'), touched.values('assignment', 'row_id'));
      const moved = touched.addedOrRemoved('action_row') || assignedRows.length > 0 || touched.updated('action_row', 'page', 'position');
      const read = (only?: readonly string[]) => listActionRows(sqlite, ref.fiscalYear, ref.unitId, only);
      return { name: ref.name, ...patch(ids, moved, read, (r) => r.id, () => actionRowOrder(sqlite, ref.unitId)) };
    }
    case 'targets': {
      let ids = union(touched.ids('target'), touched.values('target_value', 'target_id'));
      // The owner column shows the theme's text, the table row's first theme, or the branch's name.
      ids = plus(sqlite, ids, touched.ids('theme'), (themes) => all(sqlite, qb.selectFrom('target').select('id').where('theme_id', 'in', themes)));
      ids = plus(sqlite, ids, [...new Set([...touched.values('theme', 'row_id'), ...assignedRows])], (rows) => all(sqlite, qb.selectFrom('target').select('id').where('row_id', 'in', rows)));
      ids = plus(sqlite, ids, touched.ids('unit'), (units) => all(sqlite, qb.selectFrom('target').select('id').where('row_id', 'is', null).where('unit_id', 'in', units)));
      const moved =
        touched.addedOrRemoved('target') ||
        assignedRows.length > 0 ||
        touched.updated('target', 'position', 'row_id', 'unit_id') ||
        touched.updated('action_row', 'page', 'position') ||
        touched.updated('unit', 'position');
      const read = (only?: readonly string[]) => listTargets(sqlite, ref.unitId, only);
      return { name: ref.name, ...patch(ids, moved, read, (r) => r.id, () => screenOrder.targets(sqlite, ref.unitId)) };
    }
    case 'unitFocus': {
      // A text shared by several units is shown in each of their rows, with the units it is shared with.
      const focusIds = [...new Set([...touched.ids('unit_focus'), ...touched.values('unit_focus_unit', 'focus_id')])];
      let ids = union(touched.ids('unit'), touched.values('unit_focus_unit', 'unit_id'));
      ids = plus(sqlite, ids, focusIds, (focus) => all(sqlite, qb.selectFrom('unit_focus_unit').select('unit_id as id').where('focus_id', 'in', focus)));
      const moved = touched.addedOrRemoved('unit') || touched.updated('unit', 'position', 'kind');
      const read = (only?: readonly string[]) => listUnitFocus(sqlite, ref.which, ref.unitId, only);
      return { name: ref.name, ...patch(ids, moved, read, (r) => r.unitId, () => screenOrder.unitFocus(sqlite, ref.which, ref.unitId)) };
    }
    case 'overview': {
      // An item shows the first theme of its table row.
      let ids = union(touched.ids('overview_item'));
      ids = plus(sqlite, ids, [...new Set([...touched.values('theme', 'row_id'), ...assignedRows])], (rows) =>
        all(sqlite, qb.selectFrom('overview_item').select('id').where('row_id', 'in', rows)),
      );
      const moved = touched.addedOrRemoved('overview_item') || assignedRows.length > 0 || touched.updated('overview_item', 'position', 'group_id', 'row_id');
      const read = (only?: readonly string[]) => listOverviewItems(sqlite, ref.fiscalYear, ref.unitId, only);
      return { name: ref.name, ...patch(ids, moved, read, (r) => r.id, () => screenOrder.overview(sqlite, ref.fiscalYear, ref.unitId)) };
    }
  }
}

/** Whether the units list (the sidebar: names, order, counts of rows, targets and focus texts) may have changed. */
export function unitsChanged(touched: TouchedRows): boolean {
  return (
    touched.ids('unit').length > 0 ||
    touched.ids('assignment').length > 0 ||
    touched.ids('unit_focus_unit').length > 0 ||
    touched.addedOrRemoved('target') ||
    touched.updated('target', 'row_id', 'unit_id')
  );
}
