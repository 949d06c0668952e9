/**
 * The rows of one screen a change set changed, read after the write in the shape the screen's list
 * method gives them, so that a write answers with them and the grid updates in place (one request
 * per edit). Which rows a change touches is found from the change log (touched-rows.ts): a theme's
 * text is also the 目標・実績 owner and the 年度計画 orientation of its table row, a focus text is
 * shown by every unit that shares it, and so on. When rows were added, removed or moved, the answer
 * carries the screen's order too; when the change touched very many rows, it is the whole screen.
 */
import type { ScreenChange, ScreenRef } from '../../../shared/domain/editing';
import type { PlanDb } from '../../db/plan-db';
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
async function plus(ids: Candidates, keys: string[], query: (keys: string[]) => Promise<{ id: string }[]>): Promise<Candidates> {
  if (ids === 'all' || keys.length === 0) return ids;
  if (keys.length > MOST_ROWS) return 'all';
  return union(ids, (await query(keys)).map((r) => r.id));
}

/** The answer for candidate rows: those still on the screen, those gone, and the order when rows came, went or moved. */
async function patch<Row>(
  candidates: Candidates,
  moved: boolean,
  read: (only?: readonly string[]) => Promise<Row[]>,
  idOf: (row: Row) => string,
  order: () => Promise<string[]>,
) {
  if (candidates === 'all') {
    const rows = await read();
    return { rows, removed: [], order: rows.map(idOf) };
  }
  const rows = candidates.length > 0 ? await read(candidates) : [];
  const found = new Set(rows.map(idOf));
  return { rows, removed: candidates.filter((id) => !found.has(id)), order: moved ? await order() : null };
}

/** What change set `touched` changed on the screen `ref`; `db`: the view `touched` was read in. */
export async function screenChange(db: PlanDb, touched: TouchedRows, ref: ScreenRef): Promise<ScreenChange> {
  // A filtered screen shows the rows of one unit: a change of 主な担当 may bring rows in or take them out.
  const assignedRows = ref.unitId ? await touched.values('assignment', 'row_id') : [];
  switch (ref.name) {
    case 'actionRows': {
      const ids = union(
        touched.ids('action_row'),
        await touched.values('theme', 'row_id'),
        await touched.values('year_plan', 'row_id'),
        await touched.values('assignment', 'row_id'),
      );
      const moved = touched.addedOrRemoved('action_row') || assignedRows.length > 0 || touched.updated('action_row', 'page', 'position');
      const read = (only?: readonly string[]) => listActionRows(db, ref.fiscalYear, ref.unitId, only);
      return { name: ref.name, ...(await patch(ids, moved, read, (r) => r.id, () => actionRowOrder(db, ref.unitId))) };
    }
    case 'targets': {
      let ids = union(touched.ids('target'), await touched.values('target_value', 'target_id'));
      // The owner column shows the theme's text, the table row's first theme, or the branch's name.
      ids = await plus(ids, touched.ids('theme'), (themes) => db.q.selectFrom('target').select('id').where('theme_id', 'in', themes).execute());
      ids = await plus(ids, [...new Set([...(await touched.values('theme', 'row_id')), ...assignedRows])], (rows) =>
        db.q.selectFrom('target').select('id').where('row_id', 'in', rows).execute(),
      );
      ids = await plus(ids, touched.ids('unit'), (units) => db.q.selectFrom('target').select('id').where('row_id', 'is', null).where('unit_id', 'in', units).execute());
      const moved =
        touched.addedOrRemoved('target') ||
        assignedRows.length > 0 ||
        touched.updated('target', 'position', 'row_id', 'unit_id') ||
        touched.updated('action_row', 'page', 'position') ||
        touched.updated('unit', 'position');
      const read = (only?: readonly string[]) => listTargets(db, ref.unitId, only);
      return { name: ref.name, ...(await patch(ids, moved, read, (r) => r.id, () => screenOrder.targets(db, ref.unitId))) };
    }
    case 'unitFocus': {
      // A text shared by several units is shown in each of their rows, with the units it is shared with.
      const focusIds = [...new Set([...touched.ids('unit_focus'), ...(await touched.values('unit_focus_unit', 'focus_id'))])];
      let ids = union(touched.ids('unit'), await touched.values('unit_focus_unit', 'unit_id'));
      ids = await plus(ids, focusIds, (focus) => db.q.selectFrom('unit_focus_unit').select('unit_id as id').where('focus_id', 'in', focus).execute());
      const moved = touched.addedOrRemoved('unit') || touched.updated('unit', 'position', 'kind');
      const read = (only?: readonly string[]) => listUnitFocus(db, ref.which, ref.unitId, only);
      return { name: ref.name, ...(await patch(ids, moved, read, (r) => r.unitId, () => screenOrder.unitFocus(db, ref.which, ref.unitId))) };
    }
    case 'overview': {
      // An item shows the first theme of its table row.
      let ids = union(touched.ids('overview_item'));
      ids = await plus(ids, [...new Set([...(await touched.values('theme', 'row_id')), ...assignedRows])], (rows) =>
        db.q.selectFrom('overview_item').select('id').where('row_id', 'in', rows).execute(),
      );
      const moved = touched.addedOrRemoved('overview_item') || assignedRows.length > 0 || touched.updated('overview_item', 'position', 'group_id', 'row_id');
      const read = (only?: readonly string[]) => listOverviewItems(db, ref.fiscalYear, ref.unitId, only);
      return { name: ref.name, ...(await patch(ids, moved, read, (r) => r.id, () => screenOrder.overview(db, ref.fiscalYear, ref.unitId))) };
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
