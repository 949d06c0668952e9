import { randomUUID } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { AppError } from '../../shared/contract/errors';
import type { UnitKind } from '../../shared/domain/units';
import { parseNumberFor } from '../../shared/numbers/parse';
import { perYearColumn, targetValueColumn, UNITS_COLUMN, yearPlanColumn } from '../../shared/import/plan-schema';
import { cloneState, type PlanState, type StateRow } from '../../shared/import/state';
import { makeRoom } from '../../shared/import/state-edit';
import { latestSchemaVersion } from '../db/migrations/index';
import type { Sqlite } from '../db/open';
import { fieldKeys, HANDOUT_FORMAT, HANDOUT_FORMAT_VERSION, HEADER_MARK, type HandoutMeta, type HandoutSheetKind, META_SHEET, sheetMarks } from './handout-format';
import type { BaseRef, Incoming, Place } from './incoming';
import { Overlay } from './overlay';
import { planStateAt } from './plan-state';
import { type CellPlace, cellText, FileProblems, lastRowOf, plainCell } from './workbook-load';

/** Reads a returned fill-in workbook (handout-workbook.ts) into the file's version of the plan. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function simpleText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object') return '';
  return String(v).trim();
}

/** The `_meta` sheet of a fill-in workbook, or null when the workbook is not one. */
export function readHandoutMeta(wb: ExcelJS.Workbook, fileName: string): HandoutMeta | null {
  const ws = wb.getWorksheet(META_SHEET);
  if (!ws) return null;
  const scalars = new Map<string, string>();
  const ids: HandoutMeta['ids'] = { actionRows: [], targets: [], focus: [] };
  ws.eachRow((row) => {
    const k = simpleText(row.getCell(1));
    if (k === 'id') {
      const kind = simpleText(row.getCell(2)) as HandoutSheetKind;
      if (kind in ids) ids[kind].push(simpleText(row.getCell(3)));
    } else if (k) scalars.set(k, simpleText(row.getCell(2)));
  });
  if (scalars.get('format') !== HANDOUT_FORMAT) return null;
  const num = (k: string) => Number(scalars.get(k) ?? NaN);
  const meta: HandoutMeta = {
    format: HANDOUT_FORMAT,
    formatVersion: num('formatVersion'),
    appVersion: scalars.get('appVersion') ?? '',
    schemaVersion: num('schemaVersion'),
    planId: scalars.get('planId') ?? '',
    planTitle: scalars.get('planTitle') ?? '',
    unitId: scalars.get('unitId') ?? '',
    unitName: scalars.get('unitName') ?? '',
    fiscalYear: num('fiscalYear'),
    baseRevision: num('baseRevision'),
    baseRevisionAt: scalars.get('baseRevisionAt') ?? '',
    createdAt: scalars.get('createdAt') ?? '',
    ids,
  };
  if (!Number.isInteger(meta.formatVersion) || !Number.isInteger(meta.baseRevision) || !UUID.test(meta.planId) || !UUID.test(meta.unitId) || !Number.isInteger(meta.fiscalYear))
    throw new AppError('bad_file', `「${fileName}」の記入用ブックの管理情報（非表示のシート）が壊れています。計画担当に新しい記入用ブックを依頼してください。`, `${fileName}: malformed _meta sheet`);
  return meta;
}

/** Checks that the workbook was made from this plan database by a version of the app that this one reads. */
export function checkHandoutMeta(sqlite: Sqlite, meta: HandoutMeta, fileName: string): BaseRef {
  if (meta.formatVersion > HANDOUT_FORMAT_VERSION || meta.schemaVersion > latestSchemaVersion)
    throw new AppError(
      'bad_file',
      `「${fileName}」は新しいバージョンの計画ワークベンチ（${meta.appVersion || '不明'}）で作られた記入用ブックです。アプリを更新してから取り込んでください。`,
      `${fileName}: handout format ${meta.formatVersion} / schema ${meta.schemaVersion}, this app reads ${HANDOUT_FORMAT_VERSION} / ${latestSchemaVersion}`,
    );
  const plan = sqlite.prepare('select id, title from plan').get() as { id: string; title: string } | undefined;
  if (!plan || plan.id !== meta.planId)
    throw new AppError(
      'bad_file',
      `「${fileName}」は別の計画（${meta.planTitle || '不明'}）の記入用ブックです。開いている計画（${plan?.title ?? 'なし'}）には取り込めません。`,
      `${fileName}: plan ${meta.planId}, open plan ${plan?.id ?? 'none'}`,
    );
  const set = sqlite.prepare('select id, at, label from change_set where id = ?').get(meta.baseRevision) as { id: number; at: string; label: string } | undefined;
  if (!set || set.at !== meta.baseRevisionAt)
    throw new AppError(
      'bad_file',
      `「${fileName}」は、この計画データベースの履歴にない時点（版 ${meta.baseRevision}）から作られています。別のコピーから作られたか、その後バックアップから復元されています。計画担当に新しい記入用ブックを依頼してください。`,
      `${fileName}: base revision ${meta.baseRevision} at ${meta.baseRevisionAt} is not in this database's change log`,
    );
  return { revision: set.id, at: set.at, label: set.label, how: 'recorded' };
}

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
    problems.add(null, `シート「${ws.name}」の見出し行が見つかりません（非表示の列や行を消さないでください）。`, `sheet ${ws.name}: no header mark`);
    return null;
  }
  const headers = new Map<number, string>();
  for (const col of keys.keys()) headers.set(col, simpleText(ws.getCell(header, col)).replace(/\s+/g, ' '));
  return { ws, kind, keys, headers, firstRow: header + 1, lastRow };
}

interface Reader {
  meta: HandoutMeta;
  base: PlanState;
  theirs: PlanState;
  overlay: Overlay;
  problems: FileProblems;
  unitKind: UnitKind;
}

const byPosition = (rows: StateRow[]) => [...rows].sort((a, b) => Number(a.position) - Number(b.position));
const childrenOf = (state: PlanState, table: string, column: string, id: string) => byPosition(Object.values(state[table] ?? {}).filter((r) => r[column] === id));

/** The themes of a 中期事業計画 cell: one per line starting with ・; other lines continue the theme above. */
export function parseBullets(text: string | null): string[] {
  if (text === null) return [];
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('・')) out.push(line.slice(1));
    else if (out.length > 0) out[out.length - 1] += `\n${line}`;
    else if (line.trim() !== '') out.push(line);
  }
  return out;
}

function unitIdsOf(r: Reader, text: string | null, place: CellPlace): string[] | null {
  const units = Object.values(r.base.unit ?? {});
  const ids: string[] = [];
  for (const name of (text ?? '').split(/[\n、,，;；]+/).map((s) => s.normalize('NFKC').trim()).filter(Boolean)) {
    const exact = units.find((u) => String(u.name).normalize('NFKC') === name);
    const short = units.filter((u) => typeof u.short_name === 'string' && u.short_name.normalize('NFKC') === name);
    const id = exact?.id ?? (short.length === 1 ? short[0]!.id : undefined);
    if (!id) {
      r.problems.add(place, `「${name}」という組織はありません。組織名を1行に1つずつ書いてください。`, `unknown unit ${JSON.stringify(name)}`);
      return null;
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

function numberOf(r: Reader, cell: ExcelJS.Cell, place: CellPlace, unit: string): number | null | undefined {
  const c = plainCell(cell, place, r.problems);
  if (c.kind === 'empty') return null;
  if (c.kind === 'number') {
    if (!Number.isFinite(c.value)) r.problems.add(place, '数値として読めません。', `not finite ${c.value}`);
    return c.value;
  }
  if (c.kind === 'refused') return undefined;
  const parsed = parseNumberFor(c.text, unit);
  if (!parsed.ok) {
    r.problems.add(place, parsed.message, `not a number: ${JSON.stringify(c.text)}`);
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
  if (!UUID.test(id) || !r.base[table]?.[id]) {
    r.problems.add(place, 'この行の ID は計画にありません。行をコピーして作った場合は、A 列（非表示）を空にしてください。', `unknown ${table} id ${JSON.stringify(id.slice(0, 80))}`);
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

function setCell(r: Reader, table: string, id: string, column: string, value: StateRow[string], place: CellPlace): void {
  r.overlay.set(table, id, column, value, where(place));
}

function readActionRows(r: Reader, f: SheetFrame): void {
  const seen = new Map<string, number>();
  let previous: string | null = null;
  for (let row = f.firstRow; row <= f.lastRow; row++) {
    const id = idOf(r, f, row, 'action_row', seen);
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
      const first = byPosition(Object.values(r.theirs.action_row ?? {}).filter((a) => Array.isArray(a.units) && (a.units as string[]).includes(r.meta.unitId))).sort((a, b) => Number(a.page) - Number(b.page))[0];
      const anchor = after ?? first;
      if (!anchor) {
        r.problems.add(placeOf(f, row, 2), '新しい行を置く場所がわかりません。', 'new action row without an anchor');
        continue;
      }
      const page = Number(anchor.page);
      const position = after ? Number(after.position) + 1 : Number(anchor.position);
      makeRoom(r.theirs, 'action_row', (a) => a.page === page, position);
      rowId = randomUUID();
      r.theirs.action_row![rowId] = { id: rowId, plan_id: anchor.plan_id ?? null, key: null, page, position, heading: null, band_pillar_id: anchor.band_pillar_id ?? null, term_plan: '', [UNITS_COLUMN]: [r.meta.unitId] };
      r.overlay.placeRow('action_row', rowId, { sheet: f.ws.name, row });
    }
    previous = rowId;
    for (const [key, { text, place }] of texts) {
      if (key === fieldKeys.themes) readThemes(r, rowId, text, place);
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
  // Rows handed out but not returned were deleted there (named by the row they were handed out in).
  r.meta.ids.actionRows.forEach((id, i) => {
    if (!seen.has(id) && r.theirs.action_row?.[id]) r.overlay.remove('action_row', id, { sheet: f.ws.name, row: f.firstRow + i });
  });
}

function readThemes(r: Reader, rowId: string, text: string | null, place: CellPlace): void {
  const texts = parseBullets(text);
  const themes = childrenOf(r.theirs, 'theme', 'row_id', rowId);
  texts.forEach((t, i) => {
    const existing = themes[i];
    if (existing) setCell(r, 'theme', existing.id, 'text', t, place);
    else {
      const id = randomUUID();
      const last = themes.at(-1);
      r.theirs.theme![id] = { id, row_id: rowId, key: null, position: (last ? Number(last.position) : -1) + 1 + (i - themes.length), text: t, pillar_id: last?.pillar_id ?? null };
      r.overlay.placeRow('theme', id, where(place));
    }
  });
  for (const gone of themes.slice(texts.length)) r.overlay.remove('theme', gone.id, where(place));
}

function readTargets(r: Reader, f: SheetFrame): void {
  const seen = new Map<string, number>();
  let previous: StateRow | null = null;
  for (let row = f.firstRow; row <= f.lastRow; row++) {
    const id = idOf(r, f, row, 'target', seen);
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
      const firstRow = byPosition(Object.values(r.theirs.action_row ?? {}).filter((a) => Array.isArray(a.units) && (a.units as string[]).includes(r.meta.unitId)))[0];
      const rowIdOf = owner ? owner.row_id : r.unitKind === 'branch' ? null : (firstRow?.id ?? null);
      const unitIdOf = owner ? owner.unit_id : rowIdOf ? null : r.meta.unitId;
      const siblings = (t: StateRow) => (rowIdOf ? t.row_id === rowIdOf : t.row_id === null && t.unit_id === unitIdOf);
      const position = owner ? Number(owner.position) + 1 : 0;
      makeRoom(r.theirs, 'target', siblings, position);
      const newId = randomUUID();
      target = {
        id: newId,
        row_id: rowIdOf ?? null,
        theme_id: owner ? (owner.theme_id ?? null) : null,
        unit_id: unitIdOf ?? null,
        key: null,
        position,
        label: '',
        unit: owner ? (owner.unit ?? '') : '',
        kind: owner?.kind ?? 'cumulative',
        direction: owner?.direction ?? 'at_least',
        baseline_value: null,
        baseline_year: null,
        baseline_text: null,
        term_goal_value: null,
        term_goal_text: null,
        note: null,
      };
      r.theirs.target![newId] = target;
      r.overlay.placeRow('target', newId, { sheet: f.ws.name, row });
      if (labelCell && cellText(labelCell.cell, labelCell.place, r.problems) === null)
        r.problems.add(labelCell.place, '新しい目標の目標名を書いてください。', 'new target without a label');
    }
    previous = target;
    const unitCell = cells.find((c) => c.key === fieldKeys.unit);
    const unit = unitCell ? (cellText(unitCell.cell, unitCell.place, r.problems) ?? '') : String(target.unit ?? '');
    for (const { key, cell, place } of cells) {
      if (key === fieldKeys.label) {
        const text = cellText(cell, place, r.problems);
        if (text === null && id) r.problems.add(place, '目標名は空にできません。', 'target label cleared');
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
  r.meta.ids.targets.forEach((id, i) => {
    if (!seen.has(id) && r.theirs.target?.[id]) r.overlay.remove('target', id, { sheet: f.ws.name, row: f.firstRow + i });
  });
}

function readFocus(r: Reader, f: SheetFrame): void {
  const seen = new Map<string, number>();
  for (let row = f.firstRow; row <= f.lastRow; row++) {
    const unitId = idOf(r, f, row, 'unit', seen);
    if (!unitId) continue;
    const unit = r.base.unit![unitId]!;
    for (const [col, key] of f.keys) {
      const m = /^focus:(term|\d{4})$/.exec(key);
      if (!m) continue;
      const period = m[1]!;
      const place = placeOf(f, row, col);
      r.overlay.setFocus(unitId, unit.kind as UnitKind, period, cellText(f.ws.getCell(row, col), place, r.problems), where(place));
    }
  }
}

/** The file's version of the plan: the plan at the base revision with every cell of the workbook laid over it. */
export function handoutIncoming(sqlite: Sqlite, wb: ExcelJS.Workbook, meta: HandoutMeta, fileName: string): Incoming {
  const base = checkHandoutMeta(sqlite, meta, fileName);
  const baseState = planStateAt(sqlite, base.revision);
  const theirs = cloneState(baseState);
  const r: Reader = {
    meta,
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
    if (f.kind === 'actionRows') readActionRows(r, f);
    else if (f.kind === 'targets') readTargets(r, f);
    else readFocus(r, f);
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
