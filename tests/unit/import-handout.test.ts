import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Review } from '../../shared/import/review';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { rowsOfUnit } from '../../shared/layout/action-plan-layout';
import { analyzeImport } from '../../electron/import/import-session';
import { readPlanState } from '../../electron/model/plan-state';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { createHandler, type Handler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { engines, usePlan } from '../helpers/engines';
import { patchXlsx } from '../helpers/xlsx-patch';

/**
 * The fill-in workbook (記入用ブック) handed to a unit and returned: what it looks like to the unit,
 * that an untouched return changes nothing, and that a return edited with another program (the
 * sheet XML rewritten, as LibreOffice or Excel would) shows every change with its sheet, cell,
 * old and new value, merges as one undo step after a backup, and never overwrites a conflict.
 */

describe.each(engines)('%s', (engine) => {
  const plan = usePlan(engine);
  let ws: Workspace;
  let handle: Handler;
  beforeEach(async () => {
    // Opened as the app opens a plan: by its location, with the writer lock of a file and the day's backup.
    await plan.db.close();
    ws = new Workspace('test', plan.dir);
    await ws.open(plan.location);
    handle = createHandler(ws, 'http', () => {});
  });
  afterEach(async () => {
    await ws.close();
  });

  const unitId = async (name: string) => (await ws.current.db.q.selectFrom('unit').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

  async function call<T>(method: string, args: unknown): Promise<T> {
    const outcome = await handle(method, args);
    if (!outcome.ok) throw Object.assign(new Error(outcome.error.logMessage), outcome.error);
    return outcome.value as T;
  }

  async function handout(unit: string, fiscalYear = 2021): Promise<Buffer> {
    const r = await call<{ status: string; base64: string; fileName: string }>('import.handoutWorkbook', { unitId: await unitId(unit), fiscalYear });
    expect(r.status).toBe('download');
    expect(r.fileName).toBe(`記入用_${unit}_${fiscalYear}年度.xlsx`);
    return Buffer.from(r.base64, 'base64');
  }

  const analyze = async (bytes: Buffer, fileName = '国際部_記入済み.xlsx') =>
    (await call<{ status: string; review: Review }>('import.analyze', { source: { kind: 'upload', fileName, base64: bytes.toString('base64') } })).review;

  async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    return wb;
  }

  const sets = async () => Number((await ws.current.db.q.selectFrom('change_set').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('the fill-in workbook', () => {
    it('holds the unit’s rows in the unit layout’s columns, with only the cells to fill in unlocked', async () => {
      const wb = await load(await handout('国際部'));
      expect(wb.worksheets.map((w) => w.name)).toEqual(['記入のしかた', 'アクションプラン', '目標・実績', '_meta']);
      expect(wb.getWorksheet('_meta')!.state).toBe('veryHidden');
      expect(String(wb.getWorksheet('記入のしかた')!.getCell('B1').value)).toBe('記入のしかた — 国際部（2021年度）');

      const ap = wb.getWorksheet('アクションプラン')!;
      expect(ap.getColumn(1).hidden).toBe(true);
      expect(ap.getRow(1).hidden).toBe(true);
      expect(String(ap.getCell('B2').value)).toBe('東京商工会議所 中期事業計画・２０２１年度事業活動計画 アクションプラン（国際部）記入用');
      expect([2, 3, 4, 5].map((c) => String(ap.getCell(4, c).value))).toEqual(['中期事業計画', '2022年度末の到達目標 ３年間のアクションプラン', '2021年度（中期事業計画２年目）事業活動計画', '主な担当']);
      const rows = rowsOfUnit(await planDocumentData(ws.current.db), await unitId('国際部'));
      expect(rows.length).toBe(1);
      expect(rows.map((_, i) => String(ap.getCell(5 + i, 1).value))).toEqual(rows.map((r) => r.id));
      expect(String(ap.getCell('B5').value)).toBe(rows[0]!.themes.map((t) => `・${t.text}`).join('\n'));
      expect(String(ap.getCell('E5').value)).toContain('国際部');
      // Protected, with the year's plan open to write in (and yellow), the rest locked.
      const protection = (ap as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
      expect(protection.sheet).toBe(true);
      expect(protection.insertRows).not.toBe(true);
      expect(protection.deleteRows).not.toBe(true);
      expect(ap.getCell('D5').protection?.locked).toBe(false);
      expect(ap.getCell('D5').fill).toMatchObject({ fgColor: { argb: 'FFFFF4C2' } });
      expect(ap.getCell('B5').protection?.locked).not.toBe(false);
      expect(ap.getCell('C5').protection?.locked).not.toBe(false);

      const tg = wb.getWorksheet('目標・実績')!;
      expect([2, 3, 4, 5, 6, 7, 8].map((c) => String(tg.getCell(4, c).value))).toEqual(['中期事業計画（テーマ）', '目標', '単位', '３年間の目標', '2020年度\n計画', '2020年度\n実績', '2021年度\n計画']);
      // New targets can be written in inserted rows below the table.
      expect((tg as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection).toMatchObject({ sheet: true, insertRows: true, deleteRows: true });
      expect(tg.getCell('H5').protection?.locked).toBe(false);
      expect(tg.getCell('B5').protection?.locked).not.toBe(false);
    });

    it('comes back unchanged: no change for any unit', async () => {
      const units = (await sql<{ name: string }>`select name from unit where kind in ('department', 'branch', 'committee', 'section') order by position`.execute(ws.current.db.q)).rows;
      let checked = 0;
      // Units alternate between the plan's first and last year (every unit once keeps the test quick).
      for (const [k, { name }] of units.entries())
        for (const year of [k % 2 === 0 ? 2020 : 2022]) {
          let bytes: Buffer;
          try {
            bytes = await handout(name, year);
          } catch (e) {
            expect((e as { message: string }).message, name).toContain('記入する欄はありません');
            continue;
          }
          const review = await analyze(bytes, `${name}.xlsx`);
          expect(review.items, `${name} ${year}`).toEqual([]);
          checked++;
        }
      expect(checked).toBeGreaterThan(40);
    }, 120_000);
  });

  describe('a branch’s focus with bold phrases', () => {
    it('is handed out with the phrases in bold and comes back unchanged; a phrase set bold in Excel comes back marked', async () => {
      const bytes = await handout('千代田支部', 2021);
      const wb = await load(bytes);
      const sheet = wb.getWorksheet('重点取組内容')!;
      const year = sheet.getRow(5).getCell(4);
      const runs = (year.value as ExcelJS.CellRichTextValue).richText;
      expect(runs.filter((r) => r.font?.bold).map((r) => r.text)).toEqual(['事業継続・発展及び事業承継に資する総合的な経営支援体制の構築', '地域の若手経営者の支部活動・青年部活動への参画促進']);
      expect(runs.map((r) => r.text).join('')).not.toContain('**');
      expect((await analyze(bytes, '千代田支部.xlsx')).items).toEqual([]);

      year.value = { richText: [{ text: '交流事業の' }, { text: '拡充', font: { bold: true } }] };
      const review = await analyze(Buffer.from(await wb.xlsx.writeBuffer()), '千代田支部.xlsx');
      expect(review.items.flatMap((i) => i.cells.map((c) => c.theirs))).toEqual(['交流事業の**拡充**']);
    });
  });

  describe('a returned workbook', () => {
    it('shows each change by sheet, row and cell with old → new, applies as one undo step after a backup, and undoes', async () => {
      const bytes = await handout('国際部');
      const wb = await load(bytes);
      const rowId = String(wb.getWorksheet('アクションプラン')!.getCell('A5').value);
      const targetId = String(wb.getWorksheet('目標・実績')!.getCell('A5').value);
      const targetLabel = String(wb.getWorksheet('目標・実績')!.getCell('C5').value);
      const returned = patchXlsx(bytes, [
        { sheet: 'アクションプラン', cells: { D5: '・海外ミッションを3回派遣\n・オンライン商談会を開催' } },
        { sheet: '目標・実績', cells: { H5: '2.5万', I5: 4 } },
      ]);
      const review = await analyze(returned);
      expect(review.sourceLabel).toBe('記入用ブック（国際部・2021年度）');
      expect(review.base).toMatchObject({ revision: 1, how: 'recorded' });
      expect(review.counts).toMatchObject({ changes: 3, added: 0, removed: 0, conflicts: 0 });
      expect(review.items.map((i) => [i.sheet, i.row, i.cells[0]!.cell, i.cells[0]!.column, i.cells[0]!.mine, i.cells[0]!.theirs])).toEqual([
        ['アクションプラン', 5, 'D5', '2021年度 事業活動計画', null, '・海外ミッションを3回派遣\n・オンライン商談会を開催'],
        ['目標・実績', 5, 'H5', '2021年度 計画値', null, '25,000回'],
        ['目標・実績', 5, 'I5', '2021年度 実績値', null, '4回'],
      ]);
      expect(review.items[1]!.rowLabel).toContain(targetLabel.slice(0, 10));
      expect(await sets()).toBe(1);

      const result = await call<{ changeSetId: number; label: string; backupId: string }>('import.apply', { reviewId: review.reviewId, take: review.items.map((i) => i.id), keep: [] });
      expect(result.label).toBe('取り込み: 国際部_記入済み.xlsx');
      expect(await ws.current.db.q.selectFrom('change_set').select(['label', 'source']).where('id', '=', result.changeSetId).executeTakeFirst()).toEqual({ label: '取り込み: 国際部_記入済み.xlsx', source: '国際部_記入済み.xlsx' });
      expect(await sets()).toBe(2);
      expect(ws.backups().find((b) => b.id === result.backupId)).toMatchObject({ reason: 'import' });
      const after = await readPlanState(ws.current.db);
      expect(after.action_row![rowId]!['yearPlan:2021']).toBe('・海外ミッションを3回派遣\n・オンライン商談会を開催');
      expect(after.target![targetId]!['planValue:2021']).toBe(25000);
      expect(after.target![targetId]!['actualValue:2021']).toBe(4);
      // The grid's query shows what the import wrote.
      const listed = await call<{ id: string; yearPlan: string | null }[]>('actionRows.list', { fiscalYear: 2021, unitId: await unitId('国際部') });
      expect(listed.find((r) => r.id === rowId)!.yearPlan).toBe('・海外ミッションを3回派遣\n・オンライン商談会を開催');

      // The same file again: nothing left to do.
      expect((await analyze(returned)).items).toEqual([]);
      // One undo takes the whole import back.
      expect(await call('history.state', {})).toMatchObject({ undoLabel: '取り込み: 国際部_記入済み.xlsx' });
      await call('history.undo', {});
      const undone = await readPlanState(ws.current.db);
      expect(undone.action_row![rowId]!['yearPlan:2021'] ?? null).toBeNull();
      expect(undone.target![targetId]!['planValue:2021'] ?? null).toBeNull();
    });

    it('takes only the items chosen', async () => {
      const bytes = await handout('国際部');
      const review = await analyze(patchXlsx(bytes, [{ sheet: '目標・実績', cells: { H5: 100, H6: 200 } }]));
      expect(review.items).toHaveLength(2);
      await call('import.apply', { reviewId: review.reviewId, take: [review.items[1]!.id], keep: [] });
      const again = await analyze(patchXlsx(bytes, [{ sheet: '目標・実績', cells: { H5: 100, H6: 200 } }]));
      expect(again.items.map((i) => i.cells[0]!.cell)).toEqual(['H5']);
    });

    it('lists a target added below the table and one whose row was deleted, and applies them', async () => {
      const bytes = await handout('地域振興部');
      const wb = await load(bytes);
      const tg = wb.getWorksheet('目標・実績')!;
      let last = 5;
      while (tg.getCell(last + 1, 1).value) last++;
      const removedId = String(tg.getCell(6, 1).value);
      const previous = (await readPlanState(ws.current.db)).target![String(tg.getCell(last, 1).value)]!;
      const review = await analyze(
        patchXlsx(bytes, [{ sheet: '目標・実績', cells: { [`C${last + 1}`]: '海外ビジネス相談件数', [`D${last + 1}`]: '件', [`H${last + 1}`]: '1,200件' }, removeRows: [6] }]),
      );
      expect(review.items.map((i) => [i.kind, i.what, i.sheet, i.row])).toEqual([
        ['removed', '目標の削除', '目標・実績', 6],
        ['added', '目標の追加', '目標・実績', last + 1],
      ]);
      const added = review.items[1]!;
      expect(added.rowLabel).toContain('海外ビジネス相談件数');
      expect(added.cells).toEqual(expect.arrayContaining([expect.objectContaining({ column: '2021年度 計画値', theirs: '1,200件', cell: `H${last + 1}` })]));
      await call('import.apply', { reviewId: review.reviewId, take: review.items.map((i) => i.id), keep: [] });
      const state = await readPlanState(ws.current.db);
      expect(state.target![removedId]).toBeUndefined();
      const created = Object.values(state.target!).find((t) => t.label === '海外ビジネス相談件数')!;
      expect(created).toMatchObject({ unit: '件', row_id: previous.row_id, theme_id: previous.theme_id, 'planValue:2021': 1200 });
    });

    it('shows a conflict when the plan changed the same cell after the hand-out, and never applies it without a choice', async () => {
      const bytes = await handout('国際部');
      const rowId = String((await load(bytes)).getWorksheet('アクションプラン')!.getCell('A5').value);
      await applyGridEdits(ws.current.db, 'セルの編集', [{ entity: 'actionRow', id: rowId, field: 'yearPlan', fiscalYear: 2021, value: '・計画担当が先に書いた' }]);
      const returned = patchXlsx(bytes, [{ sheet: 'アクションプラン', cells: { D5: '・部署が書いた' } }, { sheet: '目標・実績', cells: { H5: 10 } }]);
      const review = await analyze(returned);
      expect(review.counts).toMatchObject({ changes: 1, conflicts: 1 });
      const conflict = review.items.find((i) => i.conflict)!;
      expect(conflict).toMatchObject({ sheet: 'アクションプラン', row: 5, conflictText: 'ファイルを作ったあとで、こちらでも同じところが別の値に変更されています。' });
      expect(conflict.cells[0]).toEqual({ column: '2021年度 事業活動計画', cell: 'D5', base: null, mine: '・計画担当が先に書いた', theirs: '・部署が書いた' });
      const change = review.items.find((i) => !i.conflict)!;

      // Taking everything without deciding the conflict is refused and writes nothing.
      const refused = await handle('import.apply', { reviewId: review.reviewId, take: [change.id], keep: [] });
      expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: '競合が 1 件、まだ選ばれていません。競合ごとに「取り込む」か「現在の値を残す」を選んでください。' } });
      expect(await sets()).toBe(2);
      // Keeping the current value keeps it; the other change lands.
      await call('import.apply', { reviewId: review.reviewId, take: [change.id], keep: [conflict.id] });
      expect((await readPlanState(ws.current.db)).action_row![rowId]!['yearPlan:2021']).toBe('・計画担当が先に書いた');
      // Read again, the conflict is still there and can be taken on the file's side.
      const again = await analyze(returned);
      expect(again.items.map((i) => i.id)).toEqual([conflict.id]);
      await call('import.apply', { reviewId: again.reviewId, take: [conflict.id], keep: [] });
      expect((await readPlanState(ws.current.db)).action_row![rowId]!['yearPlan:2021']).toBe('・部署が書いた');
    });

    it('refuses to apply when the plan changed after the file was read, and writes nothing', async () => {
      const bytes = await handout('地域振興部');
      const review = await analyze(patchXlsx(bytes, [{ sheet: '目標・実績', cells: { H5: 10 } }]));
      const rowId = String((await load(bytes)).getWorksheet('アクションプラン')!.getCell('A6').value);
      await applyGridEdits(ws.current.db, 'セルの編集', [{ entity: 'actionRow', id: rowId, field: 'termPlan', value: '・別の変更' }]);
      const count = await sets();
      const refused = await handle('import.apply', { reviewId: review.reviewId, take: review.items.map((i) => i.id), keep: [] });
      expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(!refused.ok && refused.error.message).toContain('読み込んだあとで計画が変更されました');
      expect(await sets()).toBe(count);
      expect(ws.backups().filter((b) => b.reason === 'import')).toEqual([]);
    });

    it('merges a branch’s focus text from the 重点取組内容 sheet', async () => {
      const bytes = await handout('千代田支部');
      const wb = await load(bytes);
      expect(wb.worksheets.map((w) => w.name)).toContain('重点取組内容');
      const fo = wb.getWorksheet('重点取組内容')!;
      expect(String(fo.getCell(4, 4).value)).toBe('2021年度の重点取組内容');
      const review = await analyze(patchXlsx(bytes, [{ sheet: '重点取組内容', cells: { D5: '区内企業の交流会を年4回開催' } }]), '千代田.xlsx');
      expect(review.items.map((i) => [i.sheet, i.cells[0]!.cell, i.cells[0]!.column, i.cells[0]!.theirs])).toEqual([['重点取組内容', 'D5', '重点取組内容', '区内企業の交流会を年4回開催']]);
      await call('import.apply', { reviewId: review.reviewId, take: review.items.map((i) => i.id), keep: [] });
      const focus = await call<{ unitId: string; focus: Record<string, { text: string }> }[]>('unitFocus.list', { which: 'branches' });
      const chiyoda = await unitId('千代田支部');
      expect(focus.find((f) => f.unitId === chiyoda)!.focus['2021']!.text).toBe('区内企業の交流会を年4回開催');
    });
  });

  const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;

  // What LibreOffice does to the workbook does not depend on the engine: run once, on the file (it takes long).
  describe.skipIf(!soffice || engine !== 'sqlite')('a workbook saved again by LibreOffice', () => {
    it('reports no change, and a cell changed in it is read', async () => {
      const bytes = await handout('国際部');
      const work = join(plan.dir, 'lo');
      mkdirSync(work, { recursive: true });
      writeFileSync(join(work, 'in.xlsx'), bytes);
      execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${work}/profile`, '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', join(work, 'out'), join(work, 'in.xlsx')], { timeout: 120_000, stdio: 'ignore' });
      const saved = readFileSync(join(work, 'out', 'in.xlsx'));
      expect(saved.equals(bytes)).toBe(false);
      expect((await analyze(saved, 'lo.xlsx')).items).toEqual([]);
      const review = await analyze(patchXlsx(saved, [{ sheet: '目標・実績', cells: { H5: 3500 } }]), 'lo.xlsx');
      expect(review.items.map((i) => [i.cells[0]!.cell, i.cells[0]!.theirs])).toEqual([['H5', '3,500回']]);
    });
  });

  describe('analysis reads only', () => {
    it('writes nothing to the plan', async () => {
      const bytes = await handout('国際部');
      const before = await readPlanState(ws.current.db);
      await analyzeImport(ws.current.db, ws.current.path, { name: 'x.xlsx', bytes: patchXlsx(bytes, [{ sheet: '目標・実績', cells: { H5: 1 } }]) });
      expect(await readPlanState(ws.current.db)).toEqual(before);
      expect(await sets()).toBe(1);
    });
  });
});
