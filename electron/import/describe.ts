import { columnLabel, rowLabel, tableNouns, tableSections, valueText } from '../../shared/import/labels';
import type { ConflictReason, MergeItem, MergeResult } from '../../shared/import/merge';
import type { ReviewCell, ReviewItem } from '../../shared/import/review';
import type { CellValue, PlanState, StateRow } from '../../shared/import/state';
import { cellKey, type Incoming, type Place, rowKey } from './incoming';

/** Turns the merge's items into what the review shows: sheet, row, cell, column, old → new, in Japanese. */

const conflictTexts: Record<ConflictReason, string> = {
  'both-changed': 'ファイルを作ったあとで、こちらでも同じところが別の値に変更されています。',
  'both-added': '両方で同じ行が追加され、値が違います。',
  'removed-but-changed-here': 'ファイルでは削除されていますが、こちらではその後に変更や追加があります。',
  'changed-but-removed-here': 'こちらでは削除されていますが、ファイルでは変更されています。取り込むと元に戻ります。',
  'no-common-base': '共通の履歴がないため、どちらが新しいか判断できません。',
};

/** Columns a person does not read as content: ids, keys, links shown elsewhere, order. */
const hiddenColumns = new Set(['id', 'key', 'plan_id', 'row_id', 'group_id', 'section_id', 'position', 'page', 'theme_id', 'unit_id']);

const CIRCLED = [...'①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳'];

export function describeReview(result: MergeResult, incoming: Incoming, mine: PlanState): ReviewItem[] {
  const states = [mine, incoming.theirs, ...(incoming.baseState ? [incoming.baseState] : [])];
  const placeOf = (table: string, id: string, column?: string): Place | undefined =>
    (column ? incoming.places.get(cellKey(table, id, column)) : undefined) ?? incoming.places.get(rowKey(table, id));
  const sheetOf = (table: string, place: Place | undefined) => place?.sheet ?? tableSections[table] ?? '計画';
  const text = (table: string, id: string, column: string, v: CellValue | undefined) => valueText(states, table, id, column, v);
  const orderText = (column: string, v: CellValue | undefined) =>
    typeof v !== 'number' ? null : column === 'page' ? `${CIRCLED[v - 1] ?? v}ページ` : `${v + 1}番目`;

  /** The readable columns of a row as one cell each, from the sides given (a side not given shows as empty). */
  const contentCells = (table: string, id: string, rows: { base?: StateRow | undefined; mine?: StateRow | undefined; theirs?: StateRow | undefined }): ReviewCell[] => {
    const sides = [rows.base, rows.mine, rows.theirs].filter((r): r is StateRow => r !== undefined);
    const columns = [...new Set(sides.flatMap((r) => Object.keys(r)))].filter((c) => !hiddenColumns.has(c));
    return columns
      .map((c) => {
        const v = (r: StateRow | undefined) => (r ? text(table, id, c, r[c]) : null);
        return { column: columnLabel(table, c), cell: placeOf(table, id, c)?.cell ?? null, base: v(rows.base), mine: v(rows.mine), theirs: v(rows.theirs) };
      })
      .filter((c) => c.base !== null || c.mine !== null || c.theirs !== null);
  };

  const groupDetails = (item: MergeItem, verb: string): string[] => {
    const counts = new Map<string, number>();
    for (const r of item.rows.slice(1)) counts.set(r.table, (counts.get(r.table) ?? 0) + 1);
    const along = [...counts].map(([t, n]) => `${tableNouns[t] ?? t} ${n}件`);
    const notes = item.notes.map((n) => {
      const [, table, id] = n.split(':');
      return `「${rowLabel(states, table!, id!) || tableNouns[table!]}」へのつながりは、こちらで削除されているため外します。`;
    });
    return [...(along.length ? [`${along.join('、')}も一緒に${verb}されます。`] : []), ...notes];
  };

  return result.items.map((item): ReviewItem => {
    const noun = tableNouns[item.table] ?? item.table;
    const base = {
      id: item.id,
      kind: item.kind,
      conflict: item.conflict !== null,
      conflictText: item.conflict ? conflictTexts[item.conflict] : null,
      requires: item.requires,
      deletes: item.deletes,
    };
    switch (item.kind) {
      case 'change': {
        const c = item.cells[0]!;
        const place = placeOf(c.table, c.rowId, c.column);
        return {
          ...base,
          sheet: sheetOf(c.table, place),
          row: place?.row ?? null,
          rowLabel: rowLabel(states, c.table, c.rowId),
          what: item.deletes ? 'セルの内容の削除（空にする）' : 'セルの変更',
          cells: [{ column: columnLabel(c.table, c.column), cell: place?.cell ?? null, base: text(c.table, c.rowId, c.column, c.base), mine: text(c.table, c.rowId, c.column, c.mine), theirs: text(c.table, c.rowId, c.column, c.theirs) }],
          details: [],
        };
      }
      case 'order': {
        const first = item.cells[0]!;
        const place = placeOf(first.table, first.rowId);
        return {
          ...base,
          sheet: sheetOf(first.table, place),
          row: place?.row ?? null,
          rowLabel: item.rowId ? rowLabel(states, item.table, item.rowId) : (tableSections[first.table] ?? ''),
          what: `${tableNouns[first.table] ?? ''}の並び順`,
          cells: item.cells.map((c) => ({
            column: `${columnLabel(c.table, c.column)}: ${rowLabel(states, c.table, c.rowId)}`,
            cell: placeOf(c.table, c.rowId)?.cell ?? null,
            base: orderText(c.column, c.base),
            mine: orderText(c.column, c.mine),
            theirs: orderText(c.column, c.theirs),
          })),
          details: [],
        };
      }
      case 'added':
      case 'removed':
      case 'restored': {
        // A row-level item: where its root row stands, what happens to it, and its content.
        const root = item.rows[0]!;
        const place = placeOf(root.table, root.id);
        const row = {
          added: { what: `${noun}の追加`, values: { theirs: root.theirs }, verb: '追加' },
          removed: { what: `${noun}の削除`, values: { base: root.base, mine: root.mine }, verb: '削除' },
          restored: { what: `${noun}（こちらで削除済み）の変更`, values: { base: root.base, theirs: root.theirs }, verb: '復元' },
        }[item.kind];
        return {
          ...base,
          sheet: sheetOf(root.table, place),
          row: place?.row ?? null,
          rowLabel: rowLabel(states, root.table, root.id),
          what: row.what,
          cells: contentCells(root.table, root.id, row.values),
          details: groupDetails(item, row.verb),
        };
      }
    }
  });
}

/** Review order: the file's sheets in order (or the plan's parts), then rows, then cells. */
export function sortReview(items: ReviewItem[], sheetOrder: string[]): ReviewItem[] {
  const sections = [...new Set(Object.values(tableSections))];
  const sheetRank = (s: string) => {
    const i = sheetOrder.indexOf(s);
    return i >= 0 ? i : sheetOrder.length + Math.max(0, sections.indexOf(s));
  };
  const colRank = (cell: string | null | undefined) => {
    const m = /^([A-Z]+)(\d+)$/.exec(cell ?? '');
    return m ? m[1]!.length * 100 + m[1]!.charCodeAt(m[1]!.length - 1) : 9999;
  };
  return [...items].sort(
    (a, b) =>
      sheetRank(a.sheet) - sheetRank(b.sheet) ||
      (a.row ?? Number.MAX_SAFE_INTEGER) - (b.row ?? Number.MAX_SAFE_INTEGER) ||
      colRank(a.cells[0]?.cell) - colRank(b.cells[0]?.cell) ||
      a.rowLabel.localeCompare(b.rowLabel, 'ja') ||
      a.id.localeCompare(b.id),
  );
}

