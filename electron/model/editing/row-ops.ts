import { AppError } from '../../../shared/errors/app-error';
import type { DeleteImpact, MoveDirection, RowKind, RowOpResult } from '../../../shared/domain/editing';
import * as rows from '../../../shared/model/row-ops';
import { withChange } from '../../db/change-writer';
import type { PlanDb } from '../../db/plan-db';
import { SqlStore } from '../sql-store';

/**
 * Row operations of the grids on the database: add a row below, delete a row (and what hangs on
 * it), move a row up or down. The operations themselves are shared/model/row-ops.ts (the same the
 * import's model follows); here each is one transaction and one change set, so one undo step.
 */

const insertLabels: Record<RowKind, string> = { theme: 'テーマの追加', actionRow: '表の行の追加', target: '目標の追加', unit: '組織の追加', overviewItem: '項目の追加' };
const deleteLabels: Record<RowKind, string> = { theme: 'テーマの削除', actionRow: '表の行の削除', target: '目標の削除', unit: '組織の削除', overviewItem: '項目の削除' };
const moveLabels: Record<RowKind, string> = { theme: 'テーマの移動', actionRow: '表の行の移動', target: '目標の移動', unit: '組織の移動', overviewItem: '項目の移動' };

export async function insertRow(db: PlanDb, kind: RowKind, afterId: string): Promise<RowOpResult> {
  const r = await withChange(db, { label: insertLabels[kind] }, (w, tx) => rows.insertRow(new SqlStore(tx, w), kind, afterId));
  return { id: r.result, changeSetId: r.changeSetId, changed: r.changed };
}

export async function deleteRow(db: PlanDb, kind: RowKind, id: string): Promise<RowOpResult> {
  const r = await withChange(db, { label: deleteLabels[kind] }, (w, tx) => rows.deleteRow(new SqlStore(tx, w), kind, id));
  return { id: null, changeSetId: r.changeSetId, changed: r.changed };
}

/** What a delete would take with it, for the confirmation (the same delete, planned without writing). */
export async function deleteImpact(db: PlanDb, kind: RowKind, id: string): Promise<DeleteImpact> {
  // The dry run reads many rows: one consistent view of them.
  return db.snapshot((tx) => rows.deleteImpact(new SqlStore(tx, null), kind, id));
}

export async function moveRow(db: PlanDb, kind: RowKind, id: string, direction: MoveDirection): Promise<RowOpResult> {
  const r = await withChange(db, { label: moveLabels[kind] }, (w, tx) => rows.moveRow(new SqlStore(tx, w), kind, id, direction));
  if (!r.result) throw new AppError('conflict', direction === 'up' ? 'これ以上、上へは移動できません。' : 'これ以上、下へは移動できません。', `cannot move ${kind} ${id} ${direction}`);
  return { id, changeSetId: r.changeSetId, changed: r.changed };
}
