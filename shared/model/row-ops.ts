import { AppError } from '../errors/app-error';
import { excerpt } from '../text/excerpt';
import type { DeleteImpact, MoveDirection, RowKind } from '../domain/editing';
import { unitKindLabels, type UnitKind } from '../domain/units';
import type { PlanTableName } from './registry';
import { countsOf, deleteByRules, type DeletePlan, planDelete } from './row-delete';
import { insertAfter } from './row-insert';
import { moveRowOf } from './row-move';
import { inOrder } from './row-order';
import type { PlanStore, RowSource, StoredRow } from './store';

/**
 * The row operations of the grids, over any store: add a row below, delete a row (with what the
 * registry says goes with it) and what that delete would take, move a row up or down. The
 * database runs them through electron/model/editing/row-ops.ts (one change set each); a test runs
 * them over the database and over rows in memory and compares.
 */

export const tableOfKind: Record<RowKind, PlanTableName> = { theme: 'theme', actionRow: 'action_row', target: 'target', unit: 'unit', overviewItem: 'overview_item' };

/** What the grids call a row in their messages (an overview item is just 「項目」 there). */
const kindNouns: Record<RowKind, string> = { theme: 'テーマ', actionRow: '表の行', target: '目標', unit: '組織', overviewItem: '項目' };

const gone = (what: string, id: string): never => {
  throw new AppError('not_found', `${what}が見つかりません（削除された可能性があります）。`, `no ${what} ${id}`);
};

async function rowOf(store: RowSource, kind: RowKind, id: string): Promise<StoredRow> {
  return (await store.get(tableOfKind[kind], id)) ?? gone(kindNouns[kind], id);
}

/** Adds a row after `afterId`; a table row goes after the table row of the theme `afterId`. Returns the id to focus (a new table row's theme). */
export async function insertRow(store: PlanStore, kind: RowKind, afterId: string): Promise<string> {
  if (kind !== 'actionRow') return (await insertAfter(store, tableOfKind[kind], await rowOf(store, kind, afterId))).id;
  const theme = await rowOf(store, 'theme', afterId);
  return (await insertAfter(store, 'action_row', await rowOf(store, 'actionRow', String(theme.row_id)))).childId!;
}

/** Deletes a row and what the registry says goes with it; returns what went. */
export async function deleteRow(store: PlanStore, kind: RowKind, id: string): Promise<DeletePlan> {
  await rowOf(store, kind, id);
  return deleteByRules(store, tableOfKind[kind], id);
}

/** Moves a row; false when it is already first/last (and, for a theme, so is its table row). */
export async function moveRow(store: PlanStore, kind: RowKind, id: string, direction: MoveDirection): Promise<boolean> {
  return moveRowOf(store, tableOfKind[kind], await rowOf(store, kind, id), direction);
}

const short = (text: unknown) => excerpt(String(text ?? '')) || '（空欄）';
const line = (n: number, text: string): string[] => (n ? [text] : []);

/** What a delete would take with it, for the confirmation: the plan of that very delete, counted. */
export async function deleteImpact(store: RowSource, kind: RowKind, id: string): Promise<DeleteImpact> {
  const row = await rowOf(store, kind, id);
  const plan = await planDelete(store, tableOfKind[kind], id);
  const n = countsOf(plan);
  switch (kind) {
    case 'theme':
    case 'actionRow': {
      if (n.deleted('action_row') === 0) {
        const targets = n.unlinked('target', 'theme_id');
        return {
          what: `テーマ「${short(row.text)}」を削除します。`,
          details: ['到達目標・事業活動計画・主な担当は同じ表の行の他のテーマに残ります。', ...line(targets, `このテーマの目標 ${targets}件は表の行に残ります。`)],
        };
      }
      const themes = inOrder('theme', plan.deleted.filter((d) => d.table === 'theme').map((d) => d.row));
      const [years, units, targets, items] = [n.deleted('year_plan'), n.deleted('assignment'), n.deleted('target'), n.unlinked('overview_item', 'row_id')];
      return {
        what: `表の行（テーマ「${short(themes[0]?.text)}」${themes.length > 1 ? ` ほか${themes.length - 1}件` : ''}）を削除します。`,
        details: [
          '到達目標・３年間のアクションプランも削除されます。',
          ...line(years, `年度の事業活動計画 ${years}件`),
          ...line(units, `主な担当 ${units}件`),
          ...line(targets, `目標 ${targets}件（計画値・実績値を含む）`),
          ...line(items, `年度計画の項目 ${items}件はこの行とのつながりがなくなります（本文は残ります）。`),
        ],
      };
    }
    case 'target': {
      const values = n.deleted('target_value');
      return { what: `目標「${short(row.label)}」を削除します。`, details: line(values, `年度の計画値・実績値 ${values}年度分も削除されます。`) };
    }
    case 'unit': {
      const [rows, focus, projects, targets] = [n.deleted('assignment'), n.deleted('unit_focus_unit'), n.deleted('joint_project_unit'), n.deleted('target')];
      return {
        what: `${unitKindLabels[row.kind as UnitKind]}「${short(row.name)}」を削除します。`,
        details: [
          ...line(rows, `主な担当から外れる行 ${rows}件`),
          ...line(focus, `重点取組内容 ${focus}件`),
          ...line(projects, `支部連携事業 ${projects}件から外れます`),
          ...line(targets, `目標 ${targets}件`),
        ],
      };
    }
    case 'overviewItem':
      return { what: `項目「${short(row.text)}」を削除します。`, details: [] };
  }
}
