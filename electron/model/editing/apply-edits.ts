import { randomUUID } from 'node:crypto';
import { derivedId } from '../derived-id';
import { AppError } from '../../../shared/errors/app-error';
import { excerpt } from '../../../shared/text/excerpt';
import type { AssignmentsEdit, FocusSlotEdit, GridEdit, UnitNameEdit } from '../../../shared/domain/editing';
import type { UnitKind } from '../../../shared/domain/units';
import { type ChangeWriter, withChange } from '../../db/change-writer';
import type { PlanDb } from '../../db/plan-db';
import { resolveUnitList, splitUnitList, type UnitName, unitNameKey } from '../../../shared/model/input/unit-names';
import { applyOne } from './cell-edits';
import { setLinks } from '../../../shared/model/cell-writes';
import { deleteByRules } from '../../../shared/model/row-delete';
import { SqlStore } from '../sql-store';
import type { DataTable } from '../../db/schema';
import { tableOf } from '../../../shared/model/grid-columns';
import { normalizeText, ruleOf, storedForm } from '../../../shared/model/field-rules';

/** The group a unit's focus is listed under in the FY2021 table (部会・委員会・女性会・青年部); branches have none. */
export const focusGroupOf: Partial<Record<UnitKind, string>> = {
  section: '部会',
  committee: '委員会',
  womens_association: '女性会',
  youth_group: '青年部',
};

async function planRow(db: PlanDb) {
  const plan = await db.q.selectFrom('plan').select(['id', 'start_year', 'end_year']).executeTakeFirst();
  if (!plan) throw new AppError('not_found', 'このデータベースには計画がありません。', 'no plan row');
  return plan;
}

async function unitRow(db: PlanDb, unitId: string, where: string) {
  const unit = await db.q.selectFrom('unit').selectAll().where('id', '=', unitId).executeTakeFirst();
  if (!unit) throw new AppError('not_found', '組織が見つかりません（削除された可能性があります）。', `no unit ${unitId}`, where);
  return unit;
}

/** The focus of a unit for a period (the first, if the data holds more than one). */
export async function focusOf(db: PlanDb, unitId: string, period: string) {
  return db.q
    .selectFrom('unit_focus as f')
    .innerJoin('unit_focus_unit as fu', 'fu.focus_id', 'f.id')
    .select(['f.id as focusId', 'fu.id as linkId', 'f.text'])
    .where('fu.unit_id', '=', unitId)
    .where('f.period', '=', period)
    .orderBy('f.position')
    .limit(1)
    .executeTakeFirst();
}

async function applyFocusSlot(tx: PlanDb, w: ChangeWriter, edit: FocusSlotEdit): Promise<void> {
  const where = `focusSlot/${edit.unitId}/${edit.period}`;
  const unit = await unitRow(tx, edit.unitId, where);
  const plan = await planRow(tx);
  if (edit.period !== 'term') {
    const year = Number(edit.period);
    if (year < plan.start_year || year > plan.end_year)
      throw new AppError('invalid_value', `${edit.period}年度は計画期間外です。`, `period ${edit.period} outside the plan`, where);
  }
  // As every text is stored (field-rules.ts): line breaks as newlines, emphasis in its canonical form.
  const text = edit.value === null ? '' : String(storedForm(ruleOf('unit_focus', 'text')!, normalizeText(edit.value)));
  const existing = await focusOf(tx, edit.unitId, edit.period);
  if (text.trim() === '') {
    if (!existing) return;
    // A text shared with other units stays theirs; the last unit takes the text with it (the registry's goesWithLastLink).
    await deleteByRules(new SqlStore(tx, w), 'unit_focus_unit', existing.linkId);
    return;
  }
  if (existing) {
    await w.update('unit_focus', existing.focusId, { text });
    return;
  }
  const last = await tx.q
    .selectFrom('unit_focus')
    .select((e) => e.fn.max('position').as('p'))
    .where('period', '=', edit.period)
    .executeTakeFirst();
  const focusId = randomUUID();
  await w.insert('unit_focus', {
    id: focusId,
    plan_id: plan.id,
    period: edit.period,
    group_heading: unit.kind === 'branch' ? null : (focusGroupOf[unit.kind] ?? null),
    position: Number(last?.p ?? -1) + 1,
    text,
  });
  await w.insert('unit_focus_unit', { id: derivedId('unit_focus_unit', focusId, unit.id), focus_id: focusId, unit_id: unit.id, position: 0 });
}

/** The entries of a 主な担当 cell as written (the input layer's list rule, shared/model/input/unit-names.ts). */
export const splitUnitNames = splitUnitList;

/** The units of the plan as the input layer looks names up in them. */
export async function unitNamesOf(db: PlanDb): Promise<UnitName[]> {
  return db.q.selectFrom('unit').select(['id', 'name', 'short_name as shortName']).orderBy('position').execute();
}

async function applyAssignments(tx: PlanDb, w: ChangeWriter, edit: AssignmentsEdit): Promise<void> {
  const where = `assignments/${edit.id}`;
  if (!(await w.read('action_row', edit.id))) throw new AppError('not_found', '編集しようとした行が見つかりません（削除された可能性があります）。', `no action_row ${edit.id}`, where);
  const resolved = resolveUnitList(await unitNamesOf(tx), edit.value ?? '');
  if (!resolved.ok) throw new AppError('invalid_value', resolved.message, resolved.log, where);
  await setLinks(new SqlStore(tx, w), 'assignment', edit.id, resolved.ids);
}

async function applyUnitName(tx: PlanDb, w: ChangeWriter, edit: UnitNameEdit): Promise<void> {
  const where = `unitName/${edit.id}`;
  await unitRow(tx, edit.id, where);
  const name = (edit.value ?? '').replace(/[\r\n]+/g, ' ').trim();
  if (name === '') throw new AppError('invalid_value', '組織名は空にできません。', 'unit name cleared', where);
  // Names are compared as the input layer finds units (NFKC, no spaces): two names it cannot tell apart would make both ambiguous.
  const key = unitNameKey(name);
  const clash = (await unitNamesOf(tx)).find((u) => u.id !== edit.id && unitNameKey(u.name) === key);
  if (clash) throw new AppError('invalid_value', `「${excerpt(name)}」という組織はすでにあります。`, `duplicate unit name ${JSON.stringify(excerpt(name, 80))}`, where);
  await w.update('unit', edit.id, { name });
}

/** Applies one grid edit inside the caller's change set; `tx`: its transaction. */
export async function applyGridEdit(tx: PlanDb, w: ChangeWriter, edit: GridEdit): Promise<void> {
  switch (edit.entity) {
    case 'focusSlot':
      return applyFocusSlot(tx, w, edit);
    case 'assignments':
      return applyAssignments(tx, w, edit);
    case 'unitName':
      return applyUnitName(tx, w, edit);
    default:
      return applyOne(tx, w, edit);
  }
}

async function prefetchCells(w: ChangeWriter, edits: GridEdit[]): Promise<void> {
  const idsOf = new Map<DataTable, string[]>();
  for (const edit of edits) {
    if (edit.entity === 'focusSlot' || edit.entity === 'assignments' || edit.entity === 'unitName') continue;
    const table = tableOf(edit.entity);
    const ids = idsOf.get(table) ?? [];
    if (ids.length === 0) idsOf.set(table, ids);
    ids.push(edit.id);
  }
  for (const [table, ids] of idsOf) await w.prefetch(table, ids);
}

/** A batch of grid edits (a typed cell, a pasted block) as one transaction and one change set; any invalid cell aborts all. */
export async function applyGridEdits(db: PlanDb, label: string, edits: GridEdit[]): Promise<{ changeSetId: number | null; changed: number }> {
  const { changeSetId, changed } = await withChange(db, { label }, async (w, tx) => {
    // No write's error is turned into a message here: on PostgreSQL the writes go out without waiting.
    w.pipelineWrites();
    // A pasted block: the rows of its cells read a few queries at a time, not one by one.
    if (edits.length > 1) await prefetchCells(w, edits);
    for (const edit of edits) await applyGridEdit(tx, w, edit);
  });
  return { changeSetId, changed };
}
