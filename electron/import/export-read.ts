import type ExcelJS from 'exceljs';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import type { UnitKind } from '../../shared/domain/units';
import { UNITS_COLUMN, yearPlanColumn } from '../../shared/import/plan-schema';
import { cloneState, type PlanState, type StateRow } from '../../shared/import/state';
import type { PlanDb } from '../db/plan-db';
import type { BaseRef, Incoming, Place } from './incoming';
import { actionRowsOf } from './handout-scope';
import { Overlay } from './overlay';
import { readExportMeta, type ExportSource } from '../export/export-meta';
import { latestRevision, planStateAt, readPlanState } from '../model/plan-state';
import { type CellPlace, cellText, charactersAllowed, FileProblems, lastRowOf, plainCell } from './workbook-load';
import { normalizeText } from '../../shared/model/field-rules';
import { fiscalYearOfHeading } from '../../shared/model/input/fiscal-year';
import { resolveUnitList, resolveUnitName, unitNamesOfRows } from '../../shared/model/input/unit-names';
import { EMPTY_YEAR_MARK } from '../../shared/layout/labels';
import { cellPlainText } from '../files/workbook-text';
import { carriesEmphasis } from '../../shared/model/registry';

/**
 * Reads an action-plan workbook the export wrote (electron/export/xlsx-writer.ts, layouts
 * 'action-plan' and 'unit') back into the file's version of the plan. The export holds no ids:
 * its table rows are matched, page by page and in order, with the rows of the plan at the time
 * the file was made, and must be as many; a themes cell must hold as many themes. The export
 * records the plan revision it was made from (export/export-meta.ts): that is the base. Without a
 * trustworthy one (none, another plan's, not in this change log, or not what the sheets show)
 * the file is compared with the plan now and every difference is a conflict, never a silent change.
 */

const CIRCLED = [...'①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳'];

const textOf = cellPlainText;
/** Focus texts carry emphasis: their bold runs read back as marks. */
const FOCUS_EMPHASIS = carriesEmphasis('unit_focus', 'text');

const isMaster = (cell: ExcelJS.Cell) => !cell.isMerged || cell.master.address === cell.address;

/** Whether a workbook looks like an official export of the action plan (or of one unit's part of it). */
export function isActionPlanExport(wb: ExcelJS.Workbook): boolean {
  return wb.worksheets.some((ws) => /^アクションプラン/.test(ws.name)) && /アクションプラン/.test(textOf(wb.worksheets[0]!.getCell(1, 1)));
}

/** A name for a workbook of another layout, for the message that refuses it. */
export function otherLayoutName(wb: ExcelJS.Workbook): string | null {
  const first = wb.worksheets[0];
  if (!first) return null;
  const a1 = textOf(first.getCell(1, 1));
  if (/事業活動計画/.test(a1) && !/アクションプラン/.test(a1)) return '事業活動計画（概要）';
  if (wb.worksheets.some((w) => /集計|進捗|目標別|組織別/.test(w.name))) return '進捗・集計表';
  return null;
}

/** How far the revision an export records can be trusted: the base it gives, or why not. */
type Recorded = { base: BaseRef; source: ExportSource } | { base: null; why: string };

/**
 * The plan revision the export records (export/export-meta.ts), when it is this plan's and in
 * this change log at the same time: a workbook's creation time is no evidence (another program
 * re-saving it, or a clock stepped back, would make newer edits look older than the file).
 */
async function recordedBase(db: PlanDb, wb: ExcelJS.Workbook): Promise<Recorded> {
  const source = readExportMeta(wb);
  if (source === null) return { base: null, why: 'no revision recorded' };
  if (source === 'malformed') return { base: null, why: 'malformed _meta sheet' };
  const plan = await db.q.selectFrom('plan').select('id').executeTakeFirst();
  if (!plan || plan.id !== source.planId) return { base: null, why: `plan ${source.planId.slice(0, 40)}, open plan ${plan?.id ?? 'none'}` };
  const latest = await latestRevision(db);
  if (source.revision > latest) return { base: null, why: `revision ${source.revision} newer than the plan's latest ${latest}` };
  const set = await db.q.selectFrom('change_set').select(['id', 'at', 'label']).where('id', '=', source.revision).executeTakeFirst();
  if (!set || set.at !== source.revisionAt) return { base: null, why: `revision ${source.revision} at ${source.revisionAt.slice(0, 40)} is not in this change log` };
  if (source.layout !== 'action-plan' && source.layout !== 'unit') return { base: null, why: `recorded layout ${source.layout.slice(0, 40)}` };
  return { base: { revision: set.id, at: set.at, label: set.label, how: 'recorded' }, source };
}

const untrustedNote =
  'このブックには、書き出した時点の計画の版が確かな形で記録されていません（古いバージョンで書き出したか、別のコピーのものか、記録が書き換えられています）。そのため、いまの計画と違うところはすべて「競合」として表示されます。どちらを残すか一つずつ選んでください。';

/** The table rows of the plan in document order, narrowed to a unit as the unit layout (and the fill-in workbook) narrows them. */
const documentRows = actionRowsOf;

/** The themes of every table row, by position (one pass: a scan of all themes per row was quadratic). */
function themesByRow(state: PlanState): Map<unknown, StateRow[]> {
  const out = new Map<unknown, StateRow[]>();
  for (const t of Object.values(state.theme ?? {})) {
    const list = out.get(t.row_id);
    if (list) list.push(t);
    else out.set(t.row_id, [t]);
  }
  for (const list of out.values()) list.sort((a, b) => Number(a.position) - Number(b.position));
  return out;
}

/** A theme cell's theme text: the group heading printed above it (first lines without ・) and the ・ are the layout's. */
export function themeFromCell(text: string, headings: Set<string>): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.startsWith('・'));
  if (first >= 0) return [lines[first]!.slice(1), ...lines.slice(first + 1)].join('\n');
  return lines.filter((l) => !headings.has(l)).join('\n');
}

interface Group {
  top: number;
  themeCells: { row: number; text: string }[];
  term: string;
  year: string;
  units: string;
}

/** The printed table rows of an action-plan sheet: each starts where its goal cell (column C) starts. */
function groupsOf(ws: ExcelJS.Worksheet, bodyStart: number, last: number): Group[] {
  const groups: Group[] = [];
  for (let r = bodyStart; r <= last; r++) {
    const c = ws.getCell(r, 3);
    if (isMaster(c)) groups.push({ top: r, themeCells: [], term: textOf(c), year: textOf(ws.getCell(r, 4)), units: textOf(ws.getCell(r, 5)) });
    const b = ws.getCell(r, 2);
    if (groups.length > 0 && isMaster(b)) groups.at(-1)!.themeCells.push({ row: r, text: textOf(b) });
  }
  return groups;
}

// Line ends only: the loader has decoded Excel's escapes (`_x000D_`) already.
const norm = normalizeText;

/** A year cell's plan text: the export prints an empty one as 「（未記入）」, which reads back as empty, not as new text. */
const yearPlanOf = (text: string) => (text.trim() === EMPTY_YEAR_MARK ? '' : text);

/**
 * The file's version of the plan. `distrust`: the reason the recorded revision turned out not to
 * match the sheets (read again against the plan now, every difference a conflict).
 */
export async function exportIncoming(db: PlanDb, wb: ExcelJS.Workbook, fileName: string, distrust?: string): Promise<Incoming> {
  const problems = new FileProblems(fileName);
  // The record's check and the plan it names, as one view of the plan.
  const { recorded, baseState } = await db.snapshot(async (tx) => {
    const recorded: Recorded = distrust ? { base: null, why: distrust } : await recordedBase(tx, wb);
    return { recorded, baseState: recorded.base ? await planStateAt(tx, recorded.base.revision) : await readPlanState(tx) };
  });
  const base = recorded.base;
  const theirs = cloneState(baseState);
  const overlay = new Overlay(theirs);
  const units = Object.values(baseState.unit ?? {});
  const title = norm(textOf(wb.worksheets[0]!.getCell(1, 1)));
  const unitName = /（([^（）]+)）$/.exec(title)?.[1] ?? null;
  const unitNames = unitNamesOfRows(units);
  const titled = unitName ? resolveUnitName(unitNames, unitName) : null;
  const unit = titled?.ok ? baseState.unit![titled.unit.id] : undefined;
  if (unitName && !unit)
    throw new AppError('bad_file', `「${fileName}」は組織「${unitName}」のアクションプランですが、その組織は計画にありません。`, `${fileName}: unknown unit ${unitName}`);
  // A record that names another unit (or the whole plan for an excerpt) is not this file's.
  if (recorded.base && (recorded.source.unitId !== (unit?.id ?? null) || (recorded.source.layout === 'unit') !== Boolean(unit)))
    return exportIncoming(db, wb, fileName, `recorded unit ${recorded.source.unitId ?? 'none'} / layout ${recorded.source.layout}, the title names ${unit?.id ?? 'none'}`);
  const rows = documentRows(baseState, unit?.id ?? null);
  const themesOfRow = themesByRow(baseState);
  const rowsOnPage = new Map<number, StateRow[]>();
  for (const r of rows) {
    const list = rowsOnPage.get(Number(r.page));
    if (list) list.push(r);
    else rowsOnPage.set(Number(r.page), [r]);
  }
  const headings = new Set(Object.values(baseState.action_row ?? {}).map((r) => String(r.heading ?? '')).filter(Boolean));
  let fiscalYear: number | null = null;

  for (const ws of wb.worksheets) {
    const m = /^アクションプラン(.*)$/.exec(ws.name);
    if (m) {
      // The whole plan has a sheet per page (①…); a unit's excerpt runs all its rows on one sheet.
      const page = m[1] === '' ? null : CIRCLED.indexOf(m[1]!) + 1 || Number(/\((\d+)\)/.exec(m[1]!)?.[1] ?? 0);
      const last = lastRowOf(ws, problems);
      // Every value passes the cell rules of a fill-in workbook: a formula or an error value is
      // refused where it stands, never read as an empty cell (which would clear the plan's text).
      ws.eachRow((row, r) => row.eachCell((cell) => void (isMaster(cell) && plainCell(cell, { sheet: ws.name, row: r, address: cell.address }, problems))));
      let bodyStart = 0;
      for (let r = 1; r <= Math.min(last, 12); r++) {
        const y = fiscalYearOfHeading(textOf(ws.getCell(r, 4)));
        if (y !== null) {
          bodyStart = r + 1;
          fiscalYear ??= y;
        }
      }
      if (bodyStart === 0) {
        problems.add(null, `シート「${excerpt(ws.name)}」に年度の見出し（「…年度（…）事業活動計画」）が見つかりません。`, `sheet ${ws.name}: no year header`);
        continue;
      }
      const groups = groupsOf(ws, bodyStart, last);
      const expected = page === null ? rows : (rowsOnPage.get(page) ?? []);
      if (groups.length !== expected.length) {
        problems.add(
          null,
          `シート「${excerpt(ws.name)}」の表の行は ${groups.length} 行ですが、書き出した時点の計画では ${expected.length} 行です。行を追加・削除したブックは取り込めません（行を増やすには記入用ブックを使ってください）。`,
          `sheet ${ws.name}: ${groups.length} table rows, expected ${expected.length}`,
        );
        continue;
      }
      groups.forEach((g, i) => readGroup(g, expected[i]!, ws));
    } else if (/支部/.test(ws.name) && fiscalYear !== null) await readBranches(ws);
  }

  function readGroup(g: Group, row: StateRow, ws: ExcelJS.Worksheet): void {
    const place = (r: number, col: number): CellPlace => ({ sheet: ws.name, row: r, address: ws.getCell(r, col).address });
    const at = (p: CellPlace): Place => ({ sheet: p.sheet, row: p.row, cell: p.address });
    const themes = themesOfRow.get(row.id) ?? [];
    // A row without themes prints one empty theme cell (or just its group heading).
    const cells = g.themeCells.length === 1 && themes.length === 0 && themeFromCell(norm(g.themeCells[0]!.text), headings).trim() === '' ? [] : g.themeCells;
    if (cells.length !== themes.length) {
      problems.add(place(g.top, 2), `この行のテーマは ${cells.length} 件ですが、書き出した時点の計画では ${themes.length} 件です。テーマを追加・削除したブックは取り込めません。`, `${themes.length} themes expected, ${cells.length} found`);
      return;
    }
    // Excel's escapes are decoded by the loader; a control character they held is refused as in any cell.
    const clean = [...cells.map((c) => [c.text, place(c.row, 2)] as const), [g.term, place(g.top, 3)] as const, [g.year, place(g.top, 4)] as const, [g.units, place(g.top, 5)] as const]
      .map(([text, p]) => charactersAllowed(norm(text), p, problems))
      .every(Boolean);
    if (!clean) return;
    // An emptied theme cell would leave a theme without text (which the plan's dump cannot hold): refused, not guessed as a removal.
    const emptied = cells.filter((c) => themeFromCell(norm(c.text), headings).trim() === '');
    for (const c of emptied) problems.add(place(c.row, 2), 'テーマが空になっています。テーマを消すときは、計画ワークベンチで行やテーマを削除してください。', 'theme cell emptied');
    if (emptied.length > 0) return;
    cells.forEach((c, i) => overlay.set('theme', themes[i]!.id, 'text', themeFromCell(norm(c.text), headings), at(place(c.row, 2))));
    overlay.set('action_row', row.id, 'term_plan', norm(g.term), at(place(g.top, 3)));
    const year = yearPlanOf(norm(g.year));
    overlay.set('action_row', row.id, yearPlanColumn(fiscalYear!), year === '' ? null : year, at(place(g.top, 4)));
    const assigned = resolveUnitList(unitNames, norm(g.units));
    if (!assigned.ok) problems.add(place(g.top, 5), assigned.message, assigned.log);
    else overlay.set('action_row', row.id, UNITS_COLUMN, assigned.ids, at(place(g.top, 5)));
  }

  async function readBranches(ws: ExcelJS.Worksheet): Promise<void> {
    const last = lastRowOf(ws, problems);
    let header = 0;
    for (let r = 1; r <= Math.min(last, 12); r++) if (textOf(ws.getCell(r, 1)).trim() === '支部名') header = r;
    if (header === 0) return;
    // A branch by its name or unique short name, as the input layer finds any unit.
    const branches = unitNamesOfRows(units.filter((u) => u.kind === 'branch'));
    for (let r = header + 1; r <= last; r++) {
      const name = textOf(ws.getCell(r, 1)).trim();
      if (name === '' || !isMaster(ws.getCell(r, 1))) continue;
      const found = resolveUnitName(branches, name, { noun: '支部' });
      if (!found.ok) {
        if (/中期事業計画|^\d{4}/.test(name)) continue; // the footer line
        problems.add({ sheet: ws.name, row: r, address: `A${r}` }, found.message, found.log);
        continue;
      }
      const unit = baseState.unit![found.unit.id]!;
      const p = (col: number): Place => ({ sheet: ws.name, row: r, cell: ws.getCell(r, col).address });
      const text = (col: number) => cellText(ws.getCell(r, col), { sheet: ws.name, row: r, address: ws.getCell(r, col).address }, problems, FOCUS_EMPHASIS);
      await overlay.setFocus(unit.id, unit.kind as UnitKind, 'term', text(2), p(2));
      const year = text(3);
      await overlay.setFocus(unit.id, unit.kind as UnitKind, String(fiscalYear), year === null ? null : yearPlanOf(year), p(3));
    }
  }

  if (recorded.base && fiscalYear !== null && recorded.source.fiscalYear !== fiscalYear)
    return exportIncoming(db, wb, fileName, `recorded fiscal year ${recorded.source.fiscalYear}, the sheets show ${fiscalYear}`);
  problems.throwIfAny();
  if (fiscalYear === null) throw new AppError('bad_file', `「${fileName}」にアクションプランの表が見つかりません。`, `${fileName}: no action plan sheet with a year header`);
  const note = recorded.base
    ? `このブックは計画の版 ${recorded.base.revision}（${recorded.base.at}）から書き出されています。その後に計画で変えたセルをブックでも変えていれば「競合」になります。`
    : untrustedNote;
  return {
    kind: 'export',
    label: `アクションプランのブック（${unit ? `${String(unit.name)}・` : ''}${fiscalYear}年度）`,
    base,
    baseState: base ? baseState : null,
    theirs,
    places: overlay.places,
    sheetOrder: wb.worksheets.map((w) => w.name),
    notes: [note],
  };
}
