import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPlanDatabase } from '../../electron/db/open';
import { exportDocument, renderExportFiles } from '../../electron/export/export-document';
import { sheetNames } from '../../electron/import/handout-format';
import { analyzeImport, applyImport, readImportFile } from '../../electron/import/import-session';
import { readPlanState } from '../../electron/model/plan-state';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { deleteRow } from '../../electron/model/editing/row-ops';
import { initialDecisions, takeAll, toApply } from '../../shared/import/choices';
import type { Review } from '../../shared/import/review';
import { seededDatabase } from '../helpers/seeded-db';
import { handoutOf, loadBook, unitIdOf } from '../helpers/import-guard';
import { type CellContent, patchXlsx } from '../helpers/xlsx-patch';

/**
 * Rows that lost their id (the hidden column A cleared, wholly or partly) are matched to the
 * rows they clearly are — same identifying text, and the only candidate or in the same place —
 * so nothing is deleted and added again (a target's note, baseline text and history survive);
 * what would still delete data (a removed row, a cell that held text emptied) is shown as a
 * deletion and is not taken unless the user ticks it, for every kind of source.
 */

let env: Awaited<ReturnType<typeof seededDatabase>>;
beforeEach(async () => {
  env = await seededDatabase();
});
afterEach(async () => {
  await env.cleanup();
});

const plan = () => env.db.db;
const analyze = (bytes: Buffer, name = 'returned.xlsx') => analyzeImport(plan(), env.path, { name, bytes });

/** Data rows of each sheet of a hand-out: sheet → rows 5… holding an id. */
async function idRows(bytes: Buffer): Promise<Map<string, number[]>> {
  const wb = await loadBook(bytes);
  const out = new Map<string, number[]>();
  for (const name of Object.values(sheetNames)) {
    const ws = wb.getWorksheet(name);
    if (!ws) continue;
    const rows: number[] = [];
    for (let r = 5; ws.getCell(r, 1).value; r++) rows.push(r);
    out.set(name, rows);
  }
  return out;
}

/** The hand-out with column A emptied in the rows `pick` chooses. */
async function clearIds(bytes: Buffer, pick: (sheet: string, row: number) => boolean, more: Record<string, Record<string, CellContent>> = {}): Promise<Buffer> {
  const edits = [...(await idRows(bytes))].map(([sheet, rows]) => ({
    sheet,
    cells: { ...Object.fromEntries(rows.filter((r) => pick(sheet, r)).map((r) => [`A${r}`, ''])), ...(more[sheet] ?? {}) },
  }));
  return patchXlsx(bytes, edits);
}

/** A small deterministic generator (mulberry32), so that a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kinds = (review: Review) => review.items.map((i) => i.kind);

describe('rows without ids', () => {
  it('a hand-out with the whole id column cleared comes back as no change: no target deleted and re-added, notes and texts kept', async () => {
    const unit = await unitIdOf(plan(), '中小企業部');
    const targets = (
      await plan().q.selectFrom('target as t').innerJoin('assignment as a', 'a.row_id', 't.row_id').select('t.id').where('a.unit_id', '=', unit).orderBy('t.id').execute()
    ).map((t) => t.id);
    expect(targets.length).toBeGreaterThan(10);
    await applyGridEdits(plan(), 'メモ', targets.map((id, i) => ({ entity: 'target' as const, id, field: 'note', value: `メモ ${i}` })));
    const before = await readPlanState(plan());
    const bytes = (await handoutOf(plan(), '中小企業部')).bytes;

    const cleared = await clearIds(bytes, () => true);
    const { review } = await analyze(cleared);
    expect(review.items).toEqual([]);

    // With an edit in a row that lost its id: exactly that change, in that row.
    const rows = (await idRows(bytes)).get('目標・実績')!;
    const edited = await clearIds(bytes, () => true, { 目標・実績: { [`H${rows[3]}`]: 4321 }, アクションプラン: { D5: '・新しい計画' } });
    const analysis = await analyze(edited);
    expect(kinds(analysis.review).sort()).toEqual(['change', 'change']);
    const decisions = initialDecisions(analysis.review.items);
    await applyImport(plan(), analysis, toApply(analysis.review.items, decisions), async () => null);
    const after = await readPlanState(plan());
    expect(Object.keys(after.target!).sort()).toEqual(Object.keys(before.target!).sort());
    for (const id of targets) expect(after.target![id]!.note).toBe(before.target![id]!.note);
    expect(Object.values(after.target!).filter((t) => t['planValue:2021'] === 4321)).toHaveLength(1);
  });

  it('any part of the id column cleared, in any of three units: never a row added or removed (60 generated cases)', async () => {
    const rand = random(12);
    for (const unit of ['中小企業部', '組織委員会', '千代田支部']) {
      const bytes = (await handoutOf(plan(), unit)).bytes;
      for (let k = 0; k < 20; k++) {
        const share = rand();
        const cleared = await clearIds(bytes, () => rand() < share);
        const { review } = await analyze(cleared);
        expect(review.items, `${unit} case ${k}`).toEqual([]);
      }
    }
  }, 300_000);

  it('never guesses between two candidates: two rows that look the same as one handed-out row take it only by place; the rest is new and the removal is unticked', async () => {
    const bytes = (await handoutOf(plan(), '中小企業部')).bytes;
    const wb = await loadBook(bytes);
    const ws = wb.getWorksheet('目標・実績')!;
    // Two targets under the same theme (same 中期事業計画 cell), rows r and r + 1.
    let r = 5;
    while (String(ws.getCell(r, 2).value) !== String(ws.getCell(r + 1, 2).value)) r++;
    const label = String(ws.getCell(r, 3).value);
    // Both ids cleared and the second row given the first one's name: it could be either.
    const file = await clearIds(bytes, (sheet, row) => sheet === '目標・実績' && (row === r || row === r + 1), { 目標・実績: { [`C${r + 1}`]: label } });
    const { review } = await analyze(file);
    // (The rows after the new one move down one: an order change, which deletes nothing.)
    expect(kinds(review).filter((k) => k !== 'order').sort()).toEqual(['added', 'removed']);
    const removed = review.items.find((i) => i.kind === 'removed')!;
    expect(removed.deletes).toBe(true);
    expect(removed.row).toBe(r + 1);
    const d = initialDecisions(review.items);
    expect(d[removed.id]).toBe('skip');
    expect(takeAll(review.items, d)[removed.id]).toBe('skip');
  });
});

describe('what deletes data is shown as a deletion and not taken by default', () => {
  it('a fill-in workbook: an emptied text cell and a removed target', async () => {
    const bytes = (await handoutOf(plan(), '中小企業部')).bytes;
    const wb = await loadBook(bytes);
    const ap = wb.getWorksheet('アクションプラン')!;
    // A table row whose goal text (column C) holds text.
    const row = [5, 6, 7, 8, 9, 10, 11, 12].find((r) => ap.getCell(r, 1).value && ap.getCell(r, 3).value)!;
    expect(row).toBeDefined();
    const { review } = await analyze(patchXlsx(bytes, [{ sheet: 'アクションプラン', cells: { [`C${row}`]: '' } }, { sheet: '目標・実績', removeRows: [6] }]));
    const emptied = review.items.find((i) => i.kind === 'change')!;
    expect(emptied).toMatchObject({ deletes: true, what: 'セルの内容の削除（空にする）', row });
    expect(emptied.cells[0]!.theirs ?? '').toBe('');
    const removed = review.items.find((i) => i.kind === 'removed')!;
    expect(removed.deletes).toBe(true);
    const d = initialDecisions(review.items);
    expect([d[emptied.id], d[removed.id]]).toEqual(['skip', 'skip']);
    // A change that deletes nothing is still taken.
    const { review: plain } = await analyze(patchXlsx(bytes, [{ sheet: 'アクションプラン', cells: { [`C${row}`]: '書き換え' } }]));
    expect(plain.items.map((i) => [i.deletes, initialDecisions(plain.items)[i.id]])).toEqual([[false, 'take']]);
  });

  it('a colleague’s plan database that removed a target and emptied a year plan', async () => {
    const path = join(env.dir, '同僚のコピー.plandb');
    copyFileSync(env.path, path);
    const theirs = openPlanDatabase(path, { create: false });
    const target = (await plan().q.selectFrom('target').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    const row = (await plan().q.selectFrom('year_plan').select('row_id as id').where('fiscal_year', '=', 2020).where('text', '<>', '').orderBy('row_id').executeTakeFirstOrThrow()).id;
    await deleteRow(theirs.db, 'target', target);
    await applyGridEdits(theirs.db, '同僚の編集', [{ entity: 'actionRow', id: row, field: 'yearPlan', fiscalYear: 2020, value: null }]);
    const file = readImportFile(path);
    await theirs.db.close();
    const { review } = await analyzeImport(plan(), env.path, file);
    expect(review.items.map((i) => [i.kind, i.deletes, i.conflict]).sort()).toEqual([
      ['change', true, false],
      ['removed', true, false],
    ]);
    const d = initialDecisions(review.items);
    expect(review.items.map((i) => d[i.id])).toEqual(['skip', 'skip']);
  });

  it('an action-plan export with a year plan emptied', async () => {
    const [file] = await renderExportFiles(await exportDocument(plan(), { layout: 'action-plan', fiscalYear: 2020 }), ['xlsx'], null);
    const { review } = await analyze(patchXlsx(Buffer.from(file!.bytes), [{ sheet: 'アクションプラン①', cells: { D4: '' } }]), 'export.xlsx');
    expect(review.items).toHaveLength(1);
    expect(review.items[0]).toMatchObject({ kind: 'change', deletes: true, conflict: false });
    expect(initialDecisions(review.items)[review.items[0]!.id]).toBe('skip');
  });
});
