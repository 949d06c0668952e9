import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openPlanDatabase, type Sqlite } from '../../electron/db/open';
import { copyPlan } from '../../electron/db/plan-copy';
import type { PlanDb } from '../../electron/db/plan-db';
import { exportDocument, renderExportFiles } from '../../electron/export/export-document';
import { commonBase } from '../../electron/import/database-read';
import { analyzeImport, applyImport, readImportFile } from '../../electron/import/import-session';
import { readPlanState } from '../../electron/model/plan-state';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { deleteRow, insertRow } from '../../electron/model/editing/row-ops';
import { createDatabase } from '../../electron/workspace/create-database';
import { realSeeds } from '../helpers/seeded-db';
import { engines, usePlan } from '../helpers/engines';
import { patchXlsx, readZip, writeZip } from '../helpers/xlsx-patch';

/** Importing an action-plan export back, and another plan database file (a colleague's copy). */

describe.each(engines)('%s', (engine) => {
  const env = usePlan(engine);

  const db = () => env.db;
  const analyze = async (name: string, bytes: Buffer) => analyzeImport(db(), env.location, { name, bytes });
  const unitId = async (name: string) => (await db().q.selectFrom('unit').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  /** A SQLite plan's own file connection (a checkpoint, the file's reference check). */
  function fileOf(plan: PlanDb): Sqlite {
    if (plan.engine !== 'sqlite') throw new Error('a SQLite plan file is used here');
    return plan.sqlite;
  }
  /** A count(*) row as SQLite gives it (a number; PostgreSQL's driver gives a string). */
  const counted = async (row: Promise<{ n: string | number | bigint }>) => ({ n: Number((await row).n) });

  async function exported(request: Parameters<typeof exportDocument>[1]): Promise<Buffer> {
    const [file] = await renderExportFiles(await exportDocument(db(), request), ['xlsx'], null);
    return Buffer.from(file!.bytes);
  }

  /** The workbook with its creation time (docProps/core.xml) set, as if it had been exported then. */
  function createdAt(bytes: Buffer, iso: string): Buffer {
    const files = readZip(bytes);
    const core = files.get('docProps/core.xml')!.toString('utf8').replace(/(<dcterms:created[^>]*>)[^<]*/, `$1${iso}`);
    files.set('docProps/core.xml', Buffer.from(core));
    return writeZip([...files].map(([n, d]) => [n, d]));
  }

  describe('an action-plan export read back', () => {
    it('reports no change after an unchanged round trip: the whole plan and a unit’s excerpt', async () => {
      for (const request of [
        { layout: 'action-plan' as const, fiscalYear: 2020 },
        { layout: 'action-plan' as const, fiscalYear: 2021 }, // ⑦ holds bold phrases: they read back as their **…** marks
        { layout: 'action-plan' as const, fiscalYear: 2022 },
        { layout: 'unit' as const, fiscalYear: 2021, unitId: await unitId('千代田支部') },
        { layout: 'unit' as const, fiscalYear: 2020, unitId: await unitId('中小企業部') },
      ]) {
        const { review } = await analyze('export.xlsx', await exported(request));
        expect(review.source).toBe('export');
        expect(review.items, JSON.stringify(request)).toEqual([]);
      }
    });

    it('shows an edited cell with its sheet, cell and old → new value, and applies it', async () => {
      const bytes = await exported({ layout: 'action-plan', fiscalYear: 2020 });
      const first = (await import('exceljs')).default;
      const wb = new first.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      const old = String(wb.getWorksheet('アクションプラン①')!.getCell('D4').value);
      const { review, ...analysis } = await analyze('アクションプラン_修正.xlsx', patchXlsx(bytes, [{ sheet: 'アクションプラン①', cells: { D4: '・修正した計画' } }]));
      expect(review.sourceLabel).toBe('アクションプランのブック（2020年度）');
      expect(review.items.map((i) => [i.sheet, i.row, i.cells[0]!.cell, i.cells[0]!.column, i.cells[0]!.mine, i.cells[0]!.theirs])).toEqual([
        ['アクションプラン①', 4, 'D4', '2020年度 事業活動計画', old, '・修正した計画'],
      ]);
      await applyImport(db(), { review, ...analysis }, { take: [review.items[0]!.id], keep: [] }, async () => null);
      const rowId = review.items[0]!.id.split('|')[1]!;
      expect((await readPlanState(db())).action_row![rowId]!['yearPlan:2020']).toBe('・修正した計画');
    });

    it('reads a phrase a person set in bold in a branch’s focus as emphasis (**…**), and plain type as no emphasis', async () => {
      const bytes = await exported({ layout: 'action-plan', fiscalYear: 2021 });
      const ExcelJS = (await import('exceljs')).default;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      const ws = wb.worksheets.find((w) => /⑦/.test(w.name))!;
      let row = 0;
      ws.eachRow((r, n) => {
        if (String(r.getCell(1).value).trim() === '千代田') row = n;
      });
      expect(row).toBeGreaterThan(0);
      ws.getCell(row, 3).value = { richText: [{ text: '会員交流の' }, { text: '強化', font: { bold: true } }, { text: 'と' }, { text: '支援', font: { bold: false } }] };
      const { review } = await analyze('x.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
      expect(review.items.map((i) => i.cells.map((c) => c.theirs))).toEqual([['会員交流の**強化**と支援']]);
      expect(review.items[0]!.cells[0]!.mine).toMatch(/\*\*事業継続・発展及び事業承継に資する総合的な経営支援体制の構築\*\*/);
    });

    it('compares with the revision the export records: a cell the plan changed since is a conflict', async () => {
      const bytes = await exported({ layout: 'action-plan', fiscalYear: 2020 });
      const { review: clean } = await analyze('x.xlsx', bytes);
      const rowId = (await db().q.selectFrom('action_row').select('id').orderBy('page').orderBy('position').limit(1).executeTakeFirstOrThrow()).id;
      await applyGridEdits(db(), 'セルの編集', [{ entity: 'actionRow', id: rowId, field: 'yearPlan', fiscalYear: 2020, value: '・あとで直した' }]);
      const { review } = await analyze('x.xlsx', patchXlsx(bytes, [{ sheet: 'アクションプラン①', cells: { D4: '・ブックで直した' } }]));
      expect(clean.base?.how).toBe('recorded');
      expect(review.base).toEqual(clean.base);
      expect(review.notes[0]).toMatch(/計画の版 \d+/);
      expect(review.items.map((i) => [i.conflict, i.cells[0]!.mine, i.cells[0]!.theirs])).toEqual([[true, '・あとで直した', '・ブックで直した']]);
    });

    it('refuses an export whose rows do not match the plan it is compared with, naming the sheet', async () => {
      const bytes = await exported({ layout: 'action-plan', fiscalYear: 2020 });
      const theme = (await sql<{ id: string }>`select t.id from theme t join action_row r on r.id = t.row_id where r.page = 2 limit 1`.execute(db().q)).rows[0]!.id;
      await insertRow(db(), 'actionRow', theme);
      // Without a revision this change log has, the file is compared with the plan now: one more row on page ② than the file.
      const unknownRevision = patchXlsx(createdAt(bytes, new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')), [{ sheet: '_meta', cells: { B3: '999999' } }]);
      await expect(analyze('x.xlsx', unknownRevision)).rejects.toMatchObject({ code: 'bad_file', messageJa: expect.stringContaining('シート「アクションプラン②」の表の行は') });
    });
  });

  describe('another plan database', () => {
    /** A colleague's copy of the plan: the file copied; a plan on PostgreSQL copied into a new file (as its snapshot is). */
    async function colleagueCopy(): Promise<{ path: string; close: () => Promise<void>; db: PlanDb }> {
      const path = join(env.dir, '同僚のコピー.plandb');
      if (env.engine === 'sqlite') {
        fileOf(db()).pragma('wal_checkpoint(TRUNCATE)');
        copyFileSync(env.location, path);
      } else {
        const file = openPlanDatabase(path);
        await copyPlan(db(), file.db);
        fileOf(file.db).pragma('wal_checkpoint(TRUNCATE)');
        await file.db.close();
      }
      const opened = openPlanDatabase(path, { create: false });
      return { path, db: opened.db, close: () => opened.db.close() };
    }

    it('merges a colleague’s copy from the newest change both share: changes, new and removed rows, conflicts', async () => {
      const theirs = await colleagueCopy();
      const themes = await db().q.selectFrom('theme').select(['id', 'row_id']).orderBy('row_id').orderBy('position').execute();
      await applyGridEdits(theirs.db, '同僚の編集', [
        { entity: 'theme', id: themes[0]!.id, field: 'text', value: '同僚が直したテーマ' },
        { entity: 'theme', id: themes[1]!.id, field: 'text', value: '同僚のテーマ' },
      ]);
      await insertRow(theirs.db, 'actionRow', themes[2]!.id);
      await deleteRow(theirs.db, 'theme', themes[4]!.id);
      await applyGridEdits(db(), 'こちらの編集', [{ entity: 'theme', id: themes[1]!.id, field: 'text', value: 'こちらのテーマ' }]);
      // The colleague's app still has the file open: its last edits are in the -wal beside it.
      const file = readImportFile(theirs.path);
      expect(file.walBytes?.length ?? 0).toBeGreaterThan(0);
      const withoutWal = await analyze(file.name, file.bytes);
      const withWal = await analyzeImport(db(), env.location, file);
      await theirs.close();
      expect(withoutWal.review.items.length).toBeLessThan(withWal.review.items.length);
      const r = withWal.review;
      expect(r.source).toBe('database');
      expect(r.base).toMatchObject({ revision: 1, how: 'common' });
      const summary = r.items.map((i) => [i.kind, i.conflict, i.sheet, i.what]);
      expect(summary).toEqual(
        expect.arrayContaining([
          ['change', false, 'アクションプラン', 'セルの変更'],
          ['change', true, 'アクションプラン', 'セルの変更'],
          ['added', false, 'アクションプラン', '表の行の追加'],
        ]),
      );
      const conflict = r.items.find((i) => i.conflict)!;
      expect(conflict.cells[0]).toMatchObject({ column: '中期事業計画（テーマ）', mine: 'こちらのテーマ', theirs: '同僚のテーマ' });
      expect(r.items.find((i) => i.kind === 'added')!.details).toEqual(['テーマ 1件も一緒に追加されます。']);

      const result = await applyImport(db(), withWal, { take: r.items.filter((i) => !i.conflict).map((i) => i.id), keep: [conflict.id] }, async () => null);
      expect(result.label).toBe('取り込み: 同僚のコピー.plandb');
      const state = await readPlanState(db());
      expect(state.theme![themes[0]!.id]!.text).toBe('同僚が直したテーマ');
      expect(state.theme![themes[1]!.id]!.text).toBe('こちらのテーマ');
      if (env.engine === 'sqlite') expect(fileOf(db()).pragma('foreign_key_check')).toEqual([]);
    });

    it('without a shared history shows every difference as a conflict', async () => {
      const path = join(env.dir, 'separate.plandb');
      const other = await createDatabase(path, realSeeds());
      const theme = (await sql<{ id: string }>`select id from theme limit 1`.execute(other.db.q)).rows[0]!.id;
      await applyGridEdits(other.db, '編集', [{ entity: 'theme', id: theme, field: 'text', value: '別に作ったファイル' }]);
      fileOf(other.db).pragma('wal_checkpoint(TRUNCATE)');
      await other.db.close();
      const { review } = await analyzeImport(db(), env.location, readImportFile(path));
      expect(review.base).toBeNull();
      expect(review.notes[0]).toContain('共通の履歴がない');
      expect(review.items.map((i) => [i.conflict, i.conflictText, i.cells[0]!.theirs])).toEqual([[true, '共通の履歴がないため、どちらが新しいか判断できません。', '別に作ったファイル']]);
    });

    it('ties items that need each other: a removed unit needs the 主な担当 cells that drop it', async () => {
      const theirs = await colleagueCopy();
      const unit = await unitId('国際部');
      await deleteRow(theirs.db, 'unit', unit);
      fileOf(theirs.db).pragma('wal_checkpoint(TRUNCATE)');
      await theirs.close();
      const analysis = await analyzeImport(db(), env.location, readImportFile(join(env.dir, '同僚のコピー.plandb')));
      const removal = analysis.review.items.find((i) => i.kind === 'removed' && i.what === '組織の削除')!;
      expect(removal.rowLabel).toBe('国際部');
      expect(removal.requires.length).toBeGreaterThan(0);
      await expect(applyImport(db(), analysis, { take: [removal.id], keep: [] }, async () => null)).rejects.toMatchObject({ code: 'conflict', messageJa: expect.stringContaining('一緒に取り込む必要のある項目') });
      await applyImport(db(), analysis, { take: [removal.id, ...removal.requires], keep: [] }, async () => null);
      expect(await counted(db().q.selectFrom('assignment').select((eb) => eb.fn.countAll().as('n')).where('unit_id', '=', unit).executeTakeFirstOrThrow())).toEqual({ n: 0 });
      expect(await counted(db().q.selectFrom('unit').select((eb) => eb.fn.countAll().as('n')).where('id', '=', unit).executeTakeFirstOrThrow())).toEqual({ n: 0 });
    });

    it('finds the common base as the longest shared prefix of the change logs', () => {
      const set = (id: number, label = 'x') => ({ id, at: `2026-01-0${id}`, user: 'u', label });
      expect(commonBase([set(1), set(2), set(3)], [set(1), set(2), set(3, 'y')])).toEqual(set(2));
      expect(commonBase([set(1)], [set(1, 'other')])).toBeNull();
      expect(commonBase([set(1), set(2)], [set(1)])).toEqual(set(1));
    });

    it('refuses a file written by this app as a workbook it does not know, without reading it as a database', async () => {
      const path = join(env.dir, 'fake.plandb');
      writeFileSync(path, Buffer.from('PK\u0003\u0004not really', 'latin1'));
      await expect(analyzeImport(db(), env.location, readImportFile(path))).rejects.toMatchObject({ code: 'bad_file' });
    });
  });
});
