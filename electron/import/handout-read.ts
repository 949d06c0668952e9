/** Reads a returned fill-in workbook (handout-workbook.ts) into the file's version of the plan. */
import { randomUUID } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import type { UnitKind } from '../../shared/domain/units';
import { parseNumberInput } from '../../shared/model/input/number';
import { requiredMessage } from '../../shared/model/input/text';
import { resolveUnitList, type UnitName, unitNamesOfRows } from '../../shared/model/input/unit-names';
import { newRowFrom } from '../../shared/model/row-insert';
import { perYearColumn, targetValueColumn, UNITS_COLUMN, yearPlanColumn } from '../../shared/import/plan-schema';
import { cloneState, type PlanState, type StateRow } from '../../shared/import/state';
import { SiblingPlacer, siblingGroups } from '../../shared/import/state-edit';
import type { PlanDb } from '../db/plan-db';
import { fieldKeys, HEADER_MARK, type HandoutSheetKind, parseBullets, sheetMarks } from './handout-format';
import { matchIdlessRows } from './handout-match';
import { checkHandoutMeta, type ReadHandoutMeta, simpleText, UUID } from './handout-meta';
import { checkHandoutScope } from './handout-scope';
import { ownerText } from './handout-workbook';
import type { Incoming, Place } from './incoming';
import { Overlay } from './overlay';
import { planStateAt } from '../model/plan-state';
import { type CellPlace, cellText, FileProblems, lastRowOf, plainCell } from './workbook-load';
import { carriesEmphasis } from '../../shared/model/registry';

/** New rows a colleague's sheet adds get random ids (as the app's rows do). */
const newIds = { newId: () => randomUUID() };

interface SheetFrame {
  ws: ExcelJS.Worksheet;
  kind: HandoutSheetKind;
  /** Column number → field key. */
  keys: Map<number, string>;
  headers: Map<number, string>;
  firstRow: number;
  lastRow: number;
}

function frameOf(ws: ExcelJS.Worksheet, problems: FileProblems): SheetFrame | null {
  const mark = simpleText(ws.getCell(1, 1));
  const kind = (Object.entries(sheetMarks) as [HandoutSheetKind, string][]).find(([, m]) => m === mark)?.[0];
  if (!kind) return null;
  const keys = new Map<number, string>();
  ws.getRow(1).eachCell((cell, col) => {
    if (col > 1) keys.set(col, simpleText(cell));
  });
  const lastRow = lastRowOf(ws, problems);
  let header = 0;
  for (let r = 2; r <= Math.min(lastRow, 30); r++) if (simpleText(ws.getCell(r, 1)) === HEADER_MARK) header = r;
  if (header === 0) {
    problems.add(null, `シート「${excerpt(ws.name)}」の見出し行が見つかりません（非表示の列や行を消さないでください）。`, `sheet ${ws.name}: no header mark`);
    return null;
  }
  const headers = new Map<number, string>();
  for (const col of keys.keys()) headers.set(col, simpleText(ws.getCell(header, col)).replace(/\s+/g, ' '));
  return { ws, kind, keys, headers, firstRow: header + 1, lastRow };
}

interface Reader {
  meta: ReadHandoutMeta;
  /** The ids `_meta` records per sheet: the only rows the file may change or remove. */
  handedOut: Record<HandoutSheetKind, Set<string>>;
  base: PlanState;
  theirs: PlanState;
  overlay: Overlay;
  problems: FileProblems;
  unitKind: UnitKind;
}

const byPosition = (rows: StateRow[]) => [...rows].sort((a, b) => Number(a.position) - Number(b.position));

/** The base's units as names, once per base (resolving against one list reuses its index). */
const baseUnitNames = new WeakMap<object, UnitName[]>();

function unitIdsOf(r: Reader, text: string | null, place: CellPlace): string[] | null {
  const units = r.base.unit ?? {};
  let names = baseUnitNames.get(units);
  if (!names) baseUnitNames.set(units, (names = unitNamesOfRows(Object.values(units))));
  const resolved = resolveUnitList(names, text ?? '');
  if (resolved.ok) return resolved.ids;
  r.problems.add(place, resolved.message, resolved.log);
  return null;
}

function numberOf(r: Reader, cell: ExcelJS.Cell, place: CellPlace, unit: string): number | null | undefined {
  const c = plainCell(cell, place, r.problems);
  if (c.kind === 'empty') return null;
  if (c.kind === 'number') {
    if (!Number.isFinite(c.value)) r.problems.add(place, '数値として読めません。', `not finite ${c.value}`);
    return c.value;
  }
  if (c.kind === 'refused') return undefined;
  const parsed = parseNumberInput(c.text, unit);
  if (!parsed.ok) {
    r.problems.add(place, parsed.message, parsed.log);
    return undefined;
  }
  return parsed.value;
}

function placeOf(f: SheetFrame, row: number, col: number): CellPlace {
  const header = f.headers.get(col);
  return { sheet: f.ws.name, row, address: f.ws.getCell(row, col).address, ...(header ? { header } : {}) };
}

function idOf(r: Reader, f: SheetFrame, row: number, table: string, seen: Map<string, number>): string | null | undefined {
  const id = simpleText(f.ws.getCell(row, 1));
  if (id === '') return null;
  const place: CellPlace = { sheet: f.ws.name, row, address: `A${row}`, header: '行の ID（非表示の A 列）' };
  // Only the rows handed out in this sheet (checked against the plan by checkHandoutScope): never another unit's or another table's.
  if (!r.handedOut[f.kind].has(id)) {
    const known = UUID.test(id) && Object.values(r.base).some((rows) => Object.hasOwn(rows, id));
    r.problems.add(
      place,
      known
        ? `この行の ID は、このブックで「${excerpt(r.meta.unitName)}」に配られた行のものではありません（別の組織の行か、別の表の行です）。A 列（非表示）は変えないでください。`
        : 'この行の ID は計画にありません。行をコピーして作った場合は、A 列（非表示）を空にしてください。',
      `${table} id ${JSON.stringify(id.slice(0, 80))} ${known ? 'was not handed out in this sheet' : 'is unknown'}`,
    );
    return undefined;
  }
  const before = seen.get(id);
  if (before !== undefined) {
    r.problems.add(place, `${before} 行目と同じ行の ID です（行をコピーした場合は A 列を空にしてください）。`, `duplicate id ${id} (row ${before})`);
    return undefined;
  }
  seen.set(id, row);
  return id;
}

const where = (p: CellPlace): Place => ({ sheet: p.sheet, row: p.row, cell: p.address });

/** A cell's text for matching (problems are reported when the cell is read for real). */
function quietText(f: SheetFrame, row: number, key: string): string {
  const col = [...f.keys].find(([, k]) => k === key)?.[0];
  if (col === undefined) return '';
  return (cellText(f.ws.getCell(row, col), placeOf(f, row, col), new FileProblems('')) ?? '').trim();
}

/**
 * The id of every row of a sheet (undefined: refused), first from column A, then for rows that
 * lost it by their identifying text (handout-match.ts); `seen` ends up holding every handed-out
 * id the file still has, so that only the others count as removed.
 */
function rowIdsOf(r: Reader, f: SheetFrame, table: string, seen: Map<string, number>, rowKey: (row: number) => string, idKey: (id: string) => string): Map<number, string | null | undefined> {
  const ids = new Map<number, string | null | undefined>();
  for (let row = f.firstRow; row <= f.lastRow; row++) ids.set(row, idOf(r, f, row, table, seen));
  const idless = [...ids].filter(([, id]) => id === null).map(([row]) => ({ row, key: rowKey(row) }));
  if (idless.length === 0) return ids;
  const unseen = r.meta.ids[f.kind].map((id, index) => ({ id, index, key: seen.has(id) ? '' : idKey(id) })).filter((u) => u.key !== '');
  for (const [row, id] of matchIdlessRows(idless, unseen, f.firstRow)) {
    ids.set(row, id);
    seen.set(id, row);
  }
  return ids;
}

const KEY_SEPARATOR = '\u0001';

function groupThemes(state: PlanState): Map<string, StateRow[]> {
  const out = new Map<string, StateRow[]>();
  for (const t of Object.values(state.theme ?? {})) {
    const list = out.get(String(t.row_id));
    if (list) list.push(t);
    else out.set(String(t.row_id), [t]);
  }
  return out;
}

function setCell(r: Reader, table: string, id: string, column: string, value: StateRow[string], place: CellPlace): void {
  r.overlay.set(table, id, column, value, where(place));
}

async function readActionRows(r: Reader, f: SheetFrame): Promise<void> {
  const seen = new Map<string, number>();
  let previous: string | null = null;
  const placer = new SiblingPlacer(r.theirs, 'action_row', siblingGroups.actionRowPage, (row) => r.overlay.added('action_row', row));
  let themeIndex: Map<string, StateRow[]> | undefined;
  let themesByRow: Map<string, StateRow[]> | undefined;
  const rowIds = rowIdsOf(
    r,
    f,
    'action_row',
    seen,
    (row) => (quietText(f, row, fieldKeys.themes) || quietText(f, row, fieldKeys.termPlan) ? parseBullets(quietText(f, row, fieldKeys.themes)).join('\n') + KEY_SEPARATOR + quietText(f, row, fieldKeys.termPlan) : ''),
    (id) => {
      themesByRow ??= groupThemes(r.base);
      const themes = byPosition(themesByRow.get(id) ?? []).map((t) => String(t.text ?? ''));
      const term = String(r.base.action_row?.[id]?.term_plan ?? '').trim();
      return themes.length > 0 || term ? themes.join('\n').trim() + KEY_SEPARATOR + term : '';
    },
  );
  for (let row = f.firstRow; row <= f.lastRow; row++) {
    const id = rowIds.get(row);
    if (id === undefined) continue;
    const texts = new Map<string, { text: string | null; place: CellPlace }>();
    for (const [col, key] of f.keys) {
      const place = placeOf(f, row, col);
      texts.set(key, { text: cellText(f.ws.getCell(row, col), place, r.problems), place });
    }
    const hasContent = [...texts.values()].some((t) => t.text !== null);
    if (id === null && !hasContent) continue;
    let rowId: string;
    if (id) rowId = id;
    else {
      // A new table row, below the row above it (or first on the unit's first page).
      const after = previous ? r.theirs.action_row![previous] : undefined;
      const anchor = after ?? byPosition(Object.values(r.theirs.action_row ?? {}).filter((a) => Array.isArray(a.units) && (a.units as string[]).includes(r.meta.unitId))).sort((a, b) => Number(a.page) - Number(b.page))[0];
      if (!anchor) {
        r.problems.add(placeOf(f, row, 2), '新しい行を置く場所がわかりません。', 'new action row without an anchor');
        continue;
      }
      const page = Number(anchor.page);
      // The registry's new table row after the anchor (its plan, page and band); the placer numbers
      // the page's rows once at the end (position here is replaced).
      const added: StateRow = { ...newRowFrom(newIds, 'action_row', anchor), page, position: Number(anchor.position) + 1, [UNITS_COLUMN]: [r.meta.unitId] };
      rowId = added.id;
      if (after) placer.insertAfter(siblingGroups.actionRowPage({ page }), after, added);
      else placer.insertAt(siblingGroups.actionRowPage({ page }), Number(anchor.position), added);
      r.overlay.placeRow('action_row', rowId, { sheet: f.ws.name, row });
    }
    previous = rowId;
    for (const [key, { text, place }] of texts) {
      if (key === fieldKeys.themes) await readThemes(r, rowId, text, place, (themeIndex ??= groupThemes(r.theirs)));
      else if (key === fieldKeys.termPlan) setCell(r, 'action_row', rowId, 'term_plan', text ?? '', place);
      else if (key === fieldKeys.units) {
        const ids = unitIdsOf(r, text, place);
        if (ids) setCell(r, 'action_row', rowId, UNITS_COLUMN, ids.length === 0 && !id ? [r.meta.unitId] : ids, place);
      } else {
        const perYear = perYearColumn(key);
        if (perYear?.field === 'yearPlan') setCell(r, 'action_row', rowId, yearPlanColumn(perYear.fiscalYear), text, place);
      }
    }
  }
  placer.finish();
  // Rows handed out but not returned were deleted there (named by the row they were handed out in).
  for (const [i, id] of r.meta.ids.actionRows.entries())
    if (!seen.has(id) && r.theirs.action_row?.[id]) await r.overlay.remove('action_row', id, { sheet: f.ws.name, row: f.firstRow + i });
}

/** `themeIndex`: the themes by row when the sheet's reading began (each row's themes are only changed when that row is read). */
async function readThemes(r: Reader, rowId: string, text: string | null, place: CellPlace, themeIndex: Map<string, StateRow[]>): Promise<void> {
  const texts = parseBullets(text);
  const themes = byPosition((themeIndex.get(rowId) ?? []).filter((t) => t.row_id === rowId && r.theirs.theme?.[t.id] === t));
  texts.forEach((t, i) => {
    const existing = themes[i];
    if (existing) setCell(r, 'theme', existing.id, 'text', t, place);
    else {
      // The registry's new theme after the row's last one (its pillar).
      const last = themes.at(-1);
      const added = { ...newRowFrom(newIds, 'theme', last), row_id: rowId, position: (last ? Number(last.position) : -1) + 1 + (i - themes.length), text: t };
      r.overlay.addRow('theme', added);
      r.overlay.placeRow('theme', added.id, where(place));
    }
  });
  for (const gone of themes.slice(texts.length)) await r.overlay.remove('theme', gone.id, where(place));
}

async function readTargets(r: Reader, f: SheetFrame): Promise<void> {
  const seen = new Map<string, number>();
  let previous: StateRow | null = null;
  const placer = new SiblingPlacer(r.theirs, 'target', siblingGroups.target, (row) => r.overlay.added('target', row));
  const rowIds = rowIdsOf(
    r,
    f,
    'target',
    seen,
    (row) => (quietText(f, row, fieldKeys.label) ? quietText(f, row, fieldKeys.owner) + KEY_SEPARATOR + quietText(f, row, fieldKeys.label) : ''),
    (id) => {
      const t = r.base.target?.[id];
      return t && String(t.label ?? '').trim() ? ownerText(r.base, t, r.meta.unitName).trim() + KEY_SEPARATOR + String(t.label).trim() : '';
    },
  );
  for (let row = f.firstRow; row <= f.lastRow; row++) {
    const id = rowIds.get(row);
    if (id === undefined) continue;
    const cells = [...f.keys].map(([col, key]) => ({ col, key, cell: f.ws.getCell(row, col), place: placeOf(f, row, col) }));
    const filled = cells.filter((c) => c.key !== fieldKeys.owner && c.key !== fieldKeys.termGoal && plainCell(c.cell, c.place, new FileProblems('')).kind !== 'empty');
    if (id === null && filled.length === 0) continue;
    let target: StateRow;
    if (id) {
      // A target whose table row the file removed went with it.
      if (!r.theirs.target?.[id]) continue;
      target = r.theirs.target[id];
    } else {
      const labelCell = cells.find((c) => c.key === fieldKeys.label);
      const owner = previous ?? null;
      const firstRow = owner ? undefined : byPosition(Object.values(r.theirs.action_row ?? {}).filter((a) => Array.isArray(a.units) && (a.units as string[]).includes(r.meta.unitId)))[0];
      const rowIdOf = owner ? owner.row_id : r.unitKind === 'branch' ? null : (firstRow?.id ?? null);
      const unitIdOf = owner ? owner.unit_id : rowIdOf ? null : r.meta.unitId;
      const siblings = siblingGroups.target({ row_id: rowIdOf ? rowIdOf : null, unit_id: unitIdOf });
      // The placer numbers the siblings once at the end (position here is replaced).
      const position = owner ? Number(owner.position) + 1 : 0;
      // The registry's new target after the one above it (its theme, unit, kind and direction); the
      // first new target of a sheet without one above starts with the registry's kind and direction.
      target = { ...newRowFrom(newIds, 'target', owner ?? undefined), row_id: rowIdOf ?? null, unit_id: unitIdOf ?? null, position };
      if (owner) placer.insertAfter(siblings, owner, target);
      else placer.insertAt(siblings, 0, target);
      r.overlay.placeRow('target', target.id, { sheet: f.ws.name, row });
      if (labelCell && cellText(labelCell.cell, labelCell.place, r.problems) === null)
        r.problems.add(labelCell.place, '新しい目標の目標名を書いてください。', 'new target without a label');
    }
    previous = target;
    const unitCell = cells.find((c) => c.key === fieldKeys.unit);
    const unit = unitCell ? (cellText(unitCell.cell, unitCell.place, r.problems) ?? '') : String(target.unit ?? '');
    for (const { key, cell, place } of cells) {
      if (key === fieldKeys.label) {
        const text = cellText(cell, place, r.problems);
        if (text === null && id) r.problems.add(place, requiredMessage, 'target label cleared');
        else if (text !== null) setCell(r, 'target', target.id, 'label', text, place);
      } else if (key === fieldKeys.unit) setCell(r, 'target', target.id, 'unit', unit, place);
      else if (key === fieldKeys.termGoal) {
        const v = numberOf(r, cell, place, unit);
        if (v !== undefined) setCell(r, 'target', target.id, 'term_goal_value', v, place);
      } else {
        const perYear = perYearColumn(key);
        if (perYear && (perYear.field === 'planValue' || perYear.field === 'actualValue')) {
          const v = numberOf(r, cell, place, unit);
          if (v !== undefined) setCell(r, 'target', target.id, targetValueColumn(perYear.field, perYear.fiscalYear), v, place);
        }
      }
    }
  }
  placer.finish();
  for (const [i, id] of r.meta.ids.targets.entries())
    if (!seen.has(id) && r.theirs.target?.[id]) await r.overlay.remove('target', id, { sheet: f.ws.name, row: f.firstRow + i });
}

async function readFocus(r: Reader, f: SheetFrame): Promise<void> {
  const seen = new Map<string, number>();
  const rowIds = rowIdsOf(
    r,
    f,
    'unit',
    seen,
    (row) => quietText(f, row, fieldKeys.unitName),
    (id) => String(r.base.unit?.[id]?.short_name ?? r.base.unit?.[id]?.name ?? '').trim(),
  );
  for (let row = f.firstRow; row <= f.lastRow; row++) {
    const unitId = rowIds.get(row);
    if (!unitId) continue;
    const unit = r.base.unit![unitId]!;
    for (const [col, key] of f.keys) {
      const m = /^focus:(term|\d{4})$/.exec(key);
      if (!m) continue;
      const period = m[1]!;
      const place = placeOf(f, row, col);
      await r.overlay.setFocus(unitId, unit.kind as UnitKind, period, cellText(f.ws.getCell(row, col), place, r.problems, carriesEmphasis('unit_focus', 'text')), where(place));
    }
  }
}

/** The file's version of the plan: the plan at the base revision with every cell of the workbook laid over it. */
export async function handoutIncoming(db: PlanDb, wb: ExcelJS.Workbook, meta: ReadHandoutMeta, fileName: string): Promise<Incoming> {
  // The base's check and the plan at it, as one view of the plan.
  const { base, baseState } = await db.snapshot(async (tx) => {
    const base = await checkHandoutMeta(tx, meta, fileName);
    return { base, baseState: await planStateAt(tx, base.revision) };
  });
  checkHandoutScope(baseState, meta, fileName);
  const theirs = cloneState(baseState);
  const r: Reader = {
    meta,
    handedOut: { actionRows: new Set(meta.ids.actionRows), targets: new Set(meta.ids.targets), focus: new Set(meta.ids.focus) },
    base: baseState,
    theirs,
    overlay: new Overlay(theirs),
    problems: new FileProblems(fileName),
    unitKind: (baseState.unit?.[meta.unitId]?.kind as UnitKind | undefined) ?? 'department',
  };
  const frames = wb.worksheets.map((ws) => frameOf(ws, r.problems)).filter((f): f is SheetFrame => f !== null);
  r.problems.throwIfAny();
  if (frames.length === 0)
    throw new AppError('bad_file', `「${fileName}」に記入用のシートが見つかりません（シートを消さないでください）。`, `${fileName}: handout without data sheets`);
  for (const f of frames) {
    if (f.kind === 'actionRows') await readActionRows(r, f);
    else if (f.kind === 'targets') await readTargets(r, f);
    else await readFocus(r, f);
  }
  r.problems.throwIfAny();
  return {
    kind: 'handout',
    label: `記入用ブック（${meta.unitName}・${meta.fiscalYear}年度）`,
    base,
    baseState,
    theirs: r.theirs,
    places: r.overlay.places,
    sheetOrder: wb.worksheets.map((w) => w.name),
    notes: [],
  };
}
