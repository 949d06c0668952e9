import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import type { PlanState, StateRow } from '../../shared/import/state';
import { type HandoutSheetKind, META_SHEET } from './handout-format';
import type { ReadHandoutMeta } from './handout-meta';
import { type CellPlace, FileProblems } from './workbook-load';

/**
 * Which rows a unit's fill-in workbook holds, read from the plan as the merge sees it: the writer
 * hands out exactly these, and the reader accepts a returned workbook only when the ids recorded
 * in its `_meta` are exactly these at its base revision (so a workbook can never reach another
 * unit's rows). One rule for both sides.
 */

/** A branch also writes the rows of the collective 「23支部」 group (layout/action-plan-layout.ts rowsOfUnit). */
function unitsActingFor(state: PlanState, unitId: string): Set<string> {
  const unit = state.unit?.[unitId];
  const collective =
    unit?.kind === 'branch'
      ? Object.values(state.unit ?? {})
          .filter((u) => u.kind === 'group' && /^\d+支部$|^[０-９]+支部$/.test(String(u.name)))
          .map((u) => u.id)
      : [];
  return new Set([unitId, ...collective]);
}

/** The table rows of the plan in document order (page, then position), narrowed to a unit's rows when one is given. */
export function actionRowsOf(state: PlanState, unitId: string | null): StateRow[] {
  const rows = Object.values(state.action_row ?? {}).sort((a, b) => Number(a.page) - Number(b.page) || Number(a.position) - Number(b.position));
  if (!unitId) return rows;
  const ids = unitsActingFor(state, unitId);
  return rows.filter((r) => Array.isArray(r.units) && (r.units as string[]).some((u) => ids.has(u)));
}

/** Units that write a focus text: branches, committees, sections… (not departments or groups), and any unit that has one. */
export function takesFocus(state: PlanState, unitId: string): boolean {
  const kind = state.unit?.[unitId]?.kind;
  if (kind !== 'department' && kind !== 'group') return true;
  return Object.values(state.unit_focus ?? {}).some((f) => Array.isArray(f.units) && (f.units as string[]).includes(unitId));
}

export type HandoutScope = Record<HandoutSheetKind, Set<string>>;

/** The ids a unit's workbook holds per sheet. */
export function handoutScope(state: PlanState, unitId: string): HandoutScope {
  const rows = new Set(actionRowsOf(state, unitId).map((r) => r.id));
  const targets = Object.values(state.target ?? {}).filter((t) => (typeof t.row_id === 'string' && rows.has(t.row_id)) || (t.row_id === null && t.unit_id === unitId));
  return { actionRows: rows, targets: new Set(targets.map((t) => t.id)), focus: new Set(takesFocus(state, unitId) ? [unitId] : []) };
}

const kindNouns: Record<HandoutSheetKind, string> = { actionRows: '表の行', targets: '目標', focus: '重点取組内容' };

/**
 * Refuses a returned workbook whose `_meta` does not describe what was handed out at its base
 * revision: the unit (by id and name) must be the one the ids belong to, and the ids recorded per
 * sheet exactly the unit's rows then, each once. Only then may the reader trust `_meta` to say
 * which rows the file may change or remove.
 */
export function checkHandoutScope(base: PlanState, meta: ReadHandoutMeta, fileName: string): void {
  const problems = new FileProblems(fileName);
  const unit = base.unit?.[meta.unitId];
  const metaPlace = (row: number): CellPlace => ({ sheet: META_SHEET, row, address: `C${row}`, header: '管理情報' });
  if (!unit || String(unit.name) !== meta.unitName)
    throw new AppError(
      'bad_file',
      `「${fileName}」の管理情報（非表示のシート ${META_SHEET}）の組織「${excerpt(meta.unitName)}」が、記入用ブックを作った時点の計画と合いません。別の組織のブックに書き換えられた可能性があります。計画担当に新しい記入用ブックを依頼してください（計画は変更していません）。`,
      `${fileName}: _meta unit ${meta.unitId} ${JSON.stringify(meta.unitName.slice(0, 80))} is ${unit ? `named ${JSON.stringify(String(unit.name).slice(0, 80))}` : 'not in the plan'} at revision ${meta.baseRevision}`,
    );
  const scope = handoutScope(base, meta.unitId);
  for (const kind of Object.keys(scope) as HandoutSheetKind[]) {
    const seen = new Map<string, number>();
    meta.ids[kind].forEach((id, i) => {
      const row = meta.metaRows[kind][i] ?? 0;
      const before = seen.get(id);
      if (before !== undefined) problems.add(metaPlace(row), `${before} 行目と同じ ID（${excerpt(id)}）が 2 回記録されています。管理情報が書き換えられているため、計画担当に新しい記入用ブックを依頼してください。`, `duplicate ${kind} id ${id.slice(0, 80)} (row ${before})`);
      else if (!scope[kind].has(id))
        problems.add(
          metaPlace(row),
          `この ID（${excerpt(id)}）の${kindNouns[kind]}は「${excerpt(meta.unitName)}」に配られたものではありません（別の組織の行か、別の表の行です）。管理情報が書き換えられているため、計画担当に新しい記入用ブックを依頼してください。`,
          `${kind} id ${JSON.stringify(id.slice(0, 80))} is not among the unit's ${kind} at revision ${meta.baseRevision}`,
        );
      seen.set(id, row);
    });
    const missing = [...scope[kind]].filter((id) => !seen.has(id));
    if (missing.length > 0)
      problems.add(
        null,
        `管理情報（非表示のシート ${META_SHEET}）から、配った${kindNouns[kind]}の ID が ${missing.length} 件消されています。計画担当に新しい記入用ブックを依頼してください。`,
        `${kind} ids handed out but not in _meta: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
      );
  }
  problems.throwIfAny();
}
