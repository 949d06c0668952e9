import type ExcelJS from 'exceljs';
import { AppError } from '../../shared/contract/errors';
import type { UnitKind } from '../../shared/domain/units';
import { UNITS_COLUMN, yearPlanColumn } from '../../shared/import/plan-schema';
import { cloneState, type PlanState, type StateRow } from '../../shared/import/state';
import type { Sqlite } from '../db/open';
import type { BaseRef, Incoming, Place } from './incoming';
import { Overlay } from './overlay';
import { latestRevision, planStateAt } from './plan-state';
import { type CellPlace, cellText, FileProblems, lastRowOf } from './workbook-load';

/**
 * Reads an action-plan workbook the export wrote (electron/export/xlsx-writer.ts, layouts
 * 'action-plan' and 'unit') back into the file's version of the plan. The export holds no ids:
 * its table rows are matched, page by page and in order, with the rows of the plan at the time
 * the file was made, and must be as many; a themes cell must hold as many themes. Where the
 * export was made is estimated from the workbook's creation time (an export records no revision),
 * conservatively: a change made in the same second counts as made after the export, so it can
 * only show up as a conflict, never be overwritten.
 */

const CIRCLED = [...'①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳'];

function textOf(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object') return '';
  return String(v);
}

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

/** The change set the export was made at: the newest one strictly before the workbook's creation second. */
function estimateBase(sqlite: Sqlite, created: Date | undefined): { base: BaseRef; note: string } {
  const latest = latestRevision(sqlite);
  const at = (id: number) => sqlite.prepare('select id, at, label from change_set where id = ?').get(id) as { id: number; at: string; label: string };
  if (created instanceof Date && !Number.isNaN(created.getTime())) {
    // The file cannot be older than the database it was exported from: at the earliest, its first change set.
    const row = sqlite.prepare('select coalesce(max(id), (select min(id) from change_set)) as id from change_set where at < ?').get(created.toISOString()) as { id: number | null };
    if (row.id !== null) {
      const set = at(row.id);
      return {
        base: { revision: set.id, at: set.at, label: set.label, how: 'estimated' },
        note: `このブックには書き出した時点の記録がないため、ブックの作成日時（${created.toLocaleString('ja-JP')}）の計画と比べています。その後に変えたセルをブックでも変えていれば「競合」になります。`,
      };
    }
  }
  const set = at(latest);
  return {
    base: { revision: set.id, at: set.at, label: set.label, how: 'current' },
    note: 'このブックは書き出した時点がわからないため、いまの計画と比べています。ブックと違うところはすべて「変更」として表示されます（いまの値を上書きするかどうか、一つずつ確かめてください）。',
  };
}

/** The table rows of the plan in document order, narrowed to a unit as the unit layout narrows them (layout/action-plan-layout.ts rowsOfUnit). */
function documentRows(state: PlanState, unitId: string | null): StateRow[] {
  const rows = Object.values(state.action_row ?? {}).sort((a, b) => Number(a.page) - Number(b.page) || Number(a.position) - Number(b.position));
  if (!unitId) return rows;
  const unit = state.unit?.[unitId];
  const collective =
    unit?.kind === 'branch'
      ? Object.values(state.unit ?? {})
          .filter((u) => u.kind === 'group' && /^\d+支部$|^[０-９]+支部$/.test(String(u.name)))
          .map((u) => u.id)
      : [];
  const ids = new Set([unitId, ...collective]);
  return rows.filter((r) => Array.isArray(r.units) && (r.units as string[]).some((u) => ids.has(u)));
}

const themesOf = (state: PlanState, rowId: string) =>
  Object.values(state.theme ?? {})
    .filter((t) => t.row_id === rowId)
    .sort((a, b) => Number(a.position) - Number(b.position));

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

const norm = (s: string) => s.replace(/\r\n?/g, '\n').replace(/_x000D_/g, '');

export function exportIncoming(sqlite: Sqlite, wb: ExcelJS.Workbook, fileName: string): Incoming {
  const problems = new FileProblems(fileName);
  const { base, note } = estimateBase(sqlite, wb.created);
  const baseState = planStateAt(sqlite, base.revision);
  const theirs = cloneState(baseState);
  const overlay = new Overlay(theirs);
  const units = Object.values(baseState.unit ?? {});
  const title = norm(textOf(wb.worksheets[0]!.getCell(1, 1)));
  const unitName = /（([^（）]+)）$/.exec(title)?.[1] ?? null;
  const unit = unitName ? units.find((u) => u.name === unitName) : undefined;
  if (unitName && !unit)
    throw new AppError('bad_file', `「${fileName}」は組織「${unitName}」のアクションプランですが、その組織は計画にありません。`, `${fileName}: unknown unit ${unitName}`);
  const rows = documentRows(baseState, unit?.id ?? null);
  const headings = new Set(Object.values(baseState.action_row ?? {}).map((r) => String(r.heading ?? '')).filter(Boolean));
  const unitIdByName = new Map(units.map((u) => [String(u.name).normalize('NFKC'), u.id]));
  let fiscalYear: number | null = null;

  for (const ws of wb.worksheets) {
    const m = /^アクションプラン(.*)$/.exec(ws.name);
    if (m) {
      // The whole plan has a sheet per page (①…); a unit's excerpt runs all its rows on one sheet.
      const page = m[1] === '' ? null : CIRCLED.indexOf(m[1]!) + 1 || Number(/\((\d+)\)/.exec(m[1]!)?.[1] ?? 0);
      const last = lastRowOf(ws, problems);
      let bodyStart = 0;
      for (let r = 1; r <= Math.min(last, 12); r++) {
        const y = /(\d{4})年度[（(]/.exec(textOf(ws.getCell(r, 4)).normalize('NFKC'));
        if (y) {
          bodyStart = r + 1;
          fiscalYear ??= Number(y[1]);
        }
      }
      if (bodyStart === 0) {
        problems.add(null, `シート「${ws.name}」に年度の見出し（「…年度（…）事業活動計画」）が見つかりません。`, `sheet ${ws.name}: no year header`);
        continue;
      }
      const groups = groupsOf(ws, bodyStart, last);
      const expected = page === null ? rows : rows.filter((r) => Number(r.page) === page);
      if (groups.length !== expected.length) {
        problems.add(
          null,
          `シート「${ws.name}」の表の行は ${groups.length} 行ですが、書き出した時点の計画では ${expected.length} 行です。行を追加・削除したブックは取り込めません（行を増やすには記入用ブックを使ってください）。`,
          `sheet ${ws.name}: ${groups.length} table rows, expected ${expected.length}`,
        );
        continue;
      }
      groups.forEach((g, i) => readGroup(g, expected[i]!, ws));
    } else if (/支部/.test(ws.name) && fiscalYear !== null) readBranches(ws);
  }

  function readGroup(g: Group, row: StateRow, ws: ExcelJS.Worksheet): void {
    const place = (r: number, col: number): CellPlace => ({ sheet: ws.name, row: r, address: ws.getCell(r, col).address });
    const at = (p: CellPlace): Place => ({ sheet: p.sheet, row: p.row, cell: p.address });
    const themes = themesOf(baseState, row.id);
    // A row without themes prints one empty theme cell (or just its group heading).
    const cells = g.themeCells.length === 1 && themes.length === 0 && themeFromCell(norm(g.themeCells[0]!.text), headings).trim() === '' ? [] : g.themeCells;
    if (cells.length !== themes.length) {
      problems.add(place(g.top, 2), `この行のテーマは ${cells.length} 件ですが、書き出した時点の計画では ${themes.length} 件です。テーマを追加・削除したブックは取り込めません。`, `${themes.length} themes expected, ${cells.length} found`);
      return;
    }
    cells.forEach((c, i) => overlay.set('theme', themes[i]!.id, 'text', themeFromCell(norm(c.text), headings), at(place(c.row, 2))));
    overlay.set('action_row', row.id, 'term_plan', norm(g.term), at(place(g.top, 3)));
    const year = norm(g.year);
    overlay.set('action_row', row.id, yearPlanColumn(fiscalYear!), year === '' ? null : year, at(place(g.top, 4)));
    const names = norm(g.units).split('\n').map((s) => s.normalize('NFKC').trim()).filter(Boolean);
    const ids: string[] = [];
    for (const name of names) {
      const id = unitIdByName.get(name);
      if (!id) problems.add(place(g.top, 5), `「${name}」という組織はありません。`, `unknown unit ${JSON.stringify(name)}`);
      else ids.push(id);
    }
    if (ids.length === names.length) overlay.set('action_row', row.id, UNITS_COLUMN, ids, at(place(g.top, 5)));
  }

  function readBranches(ws: ExcelJS.Worksheet): void {
    const last = lastRowOf(ws, problems);
    let header = 0;
    for (let r = 1; r <= Math.min(last, 12); r++) if (textOf(ws.getCell(r, 1)).trim() === '支部名') header = r;
    if (header === 0) return;
    const branches = units.filter((u) => u.kind === 'branch');
    for (let r = header + 1; r <= last; r++) {
      const name = textOf(ws.getCell(r, 1)).trim();
      if (name === '' || !isMaster(ws.getCell(r, 1))) continue;
      const unit = branches.find((b) => b.short_name === name || b.name === name);
      if (!unit) {
        if (/中期事業計画|^\d{4}/.test(name)) continue; // the footer line
        problems.add({ sheet: ws.name, row: r, address: `A${r}` }, `「${name}」という支部はありません。`, `unknown branch ${JSON.stringify(name)}`);
        continue;
      }
      const p = (col: number): Place => ({ sheet: ws.name, row: r, cell: ws.getCell(r, col).address });
      const text = (col: number) => cellText(ws.getCell(r, col), { sheet: ws.name, row: r, address: ws.getCell(r, col).address }, problems);
      overlay.setFocus(unit.id, unit.kind as UnitKind, 'term', text(2), p(2));
      overlay.setFocus(unit.id, unit.kind as UnitKind, String(fiscalYear), text(3), p(3));
    }
  }

  problems.throwIfAny();
  if (fiscalYear === null) throw new AppError('bad_file', `「${fileName}」にアクションプランの表が見つかりません。`, `${fileName}: no action plan sheet with a year header`);
  return {
    kind: 'export',
    label: `アクションプランのブック（${unit ? `${String(unit.name)}・` : ''}${fiscalYear}年度）`,
    base,
    baseState,
    theirs,
    places: overlay.places,
    sheetOrder: wb.worksheets.map((w) => w.name),
    notes: [note],
  };
}
