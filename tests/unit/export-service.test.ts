import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../shared/errors/app-error';
import { createHandler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { engines, type PlanUnderTest, seededPlan } from '../helpers/engines';
import { tempDir } from '../helpers/temp';

/**
 * The export methods through the contract handler, on a real plan database: what the renderer can
 * ask for, in browser mode (files come back to be downloaded) and in the app (the shell's save
 * dialog and file opener stand in as a recorded host).
 */

describe.each(engines)('%s', (engine) => {
  let env: PlanUnderTest;
  let out: ReturnType<typeof tempDir>;
  let ws: Workspace;
  beforeAll(async () => {
    env = await seededPlan(engine);
    out = tempDir();
    ws = new Workspace('test', out.dir);
    await ws.use(env.opened);
  });
  afterAll(async () => {
    await ws.close();
    await env.cleanup();
    out.cleanup();
  });
  async function call<T>(handle: ReturnType<typeof createHandler>, method: string, args: unknown): Promise<T> {
    const outcome = (await handle(method, args)) as Outcome<T>;
    if (!outcome.ok) throw new Error(`${method}: ${outcome.error.code} ${outcome.error.message}`);
    return outcome.value;
  }

  describe('export methods', () => {
    it('lists the four layouts with the years each can be made for', async () => {
      const handle = createHandler(ws, 'http', () => {});
      const r = await call<{ layouts: { id: string; fiscalYears: number[]; needsUnit: boolean }[] }>(handle, 'export.layouts', {});
      expect(r.layouts.map((l) => [l.id, l.fiscalYears, l.needsUnit])).toEqual([
        ['action-plan', [2020, 2021, 2022], false],
        ['overview', [2021], false],
        ['unit', [2020, 2021, 2022], true],
        ['rollup', [2020, 2021, 2022], false],
      ]);
    });

    it('gives the print page of every layout, with its fonts inlined and no script', async () => {
      const handle = createHandler(ws, 'http', () => {});
      const unitId = (await env.db.q.selectFrom('unit').select('id').where('name', '=', '国際部').executeTakeFirstOrThrow()).id;
      for (const request of [{ layout: 'action-plan', fiscalYear: 2021 }, { layout: 'overview' }, { layout: 'unit', unitId }, { layout: 'rollup', fiscalYear: 2022 }]) {
        const page = await call<{ title: string; html: string; sheets: { name: string; paper: string }[] }>(handle, 'export.printHtml', request);
        expect(page.html, request.layout).toContain('@font-face');
        expect(page.html).toContain('data:font/woff2;base64,');
        expect(page.html).not.toMatch(/<script/i);
        expect(page.sheets.length).toBeGreaterThan(0);
      }
      const unitPage = await call<{ title: string; html: string }>(handle, 'export.printHtml', { layout: 'unit', unitId });
      expect(unitPage.title).toContain('（国際部）');
    });

    it('refuses what cannot be made, in Japanese', async () => {
      const handle = createHandler(ws, 'http', () => {});
      expect(await handle('export.printHtml', { layout: 'unit' })).toMatchObject({ ok: false, error: { code: 'invalid_arguments', message: '組織別アクションプランには組織を選んでください。' } });
      expect(await handle('export.printHtml', { layout: 'overview', fiscalYear: 2020 })).toMatchObject({ ok: false, error: { code: 'not_found', message: '2020年度の事業活動計画（概要）はありません。' } });
      expect(await handle('export.save', { layout: 'action-plan', formats: ['pdf'] })).toMatchObject({ ok: false, error: { message: 'この環境では PDF を作成できません。' } });
      expect(await handle('export.save', { layout: 'action-plan', formats: [] })).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    });

    it('in browser mode returns the files to download, and names no path', async () => {
      const handle = createHandler(ws, 'http', () => {});
      const r = await call<{ status: string; files: { format: string; fileName: string; byteLength: number; base64?: string }[] }>(handle, 'export.save', { layout: 'action-plan', fiscalYear: 2020, formats: ['xlsx'] });
      expect(r.status).toBe('download');
      expect(r.files).toHaveLength(1);
      expect(r.files[0]!.fileName).toBe('中期事業計画_2020年度事業活動計画_アクションプラン.xlsx');
      const bytes = Buffer.from(r.files[0]!.base64!, 'base64');
      expect(bytes.byteLength).toBe(r.files[0]!.byteLength);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      // Seven printed sheets and the very hidden record of the plan revision (issue 12).
      expect(wb.worksheets.filter((w) => w.state === 'visible')).toHaveLength(7);
      expect(wb.worksheets.at(-1)!.name).toBe('_meta');
      // Nothing was written next to the database.
      expect(existsSync(join(env.dir, r.files[0]!.fileName))).toBe(false);
      expect(await call(handle, 'export.openSaved', {})).toEqual({ opened: false });
      expect(await call(handle, 'export.print', {})).toEqual({ handled: false, printed: false });
    });

    it('in the app saves where the save dialog says, both formats under one name, and opens what it saved', async () => {
      const asked: { defaultName: string; formats: string[] }[] = [];
      const opened: string[] = [];
      const printed: { html: string; options: unknown }[] = [];
      const handle = createHandler(ws, {
        transport: 'ipc',
        renderPdf: async (pages) => pages.map((p) => new TextEncoder().encode(`%PDF-stand-in ${p.length}`)),
        chooseSavePath: async (request) => {
          asked.push(request);
          return join(out.dir, '理事会資料.xlsx');
        },
        openPath: async (path) => void opened.push(path),
        print: async (html, options) => {
          printed.push({ html, options });
          return true;
        },
      }, () => {});
      const r = await call<{ status: string; files: { fileName: string; base64?: string }[] }>(handle, 'export.save', { layout: 'overview', formats: ['pdf', 'xlsx'] });
      expect(asked).toEqual([{ defaultName: '中期事業計画_2021年度事業活動計画.xlsx', formats: ['xlsx', 'pdf'] }]);
      expect(r).toMatchObject({ status: 'saved', files: [{ fileName: '理事会資料.xlsx' }, { fileName: '理事会資料.pdf' }] });
      expect(r.files.every((f) => f.base64 === undefined)).toBe(true);
      expect(readFileSync(join(out.dir, '理事会資料.pdf'), 'utf8')).toMatch(/^%PDF-stand-in \d+/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(out.dir, '理事会資料.xlsx'));
      expect(wb.worksheets[0]!.pageSetup.paperSize).toBe(8);

      expect(await call(handle, 'export.openSaved', { index: 1 })).toEqual({ opened: true });
      expect(opened).toEqual([join(out.dir, '理事会資料.pdf')]);

      expect(await call(handle, 'export.print', { layout: 'action-plan', fiscalYear: 2020 })).toEqual({ handled: true, printed: true });
      expect(printed[0]!.options).toEqual({ pageSize: 'A4', landscape: true });
      expect(printed[0]!.html).toContain('アクションプラン');
    });

    it('in the app writes nothing when the save dialog is cancelled', async () => {
      let rendered = 0;
      const handle = createHandler(ws, {
        transport: 'ipc',
        renderPdf: async (pages) => {
          rendered++;
          return pages.map(() => new Uint8Array());
        },
        chooseSavePath: async () => null,
      }, () => {});
      expect(await call(handle, 'export.save', { layout: 'action-plan', formats: ['xlsx', 'pdf'] })).toEqual({ status: 'cancelled', files: [] });
      expect(rendered).toBe(0);
    });
  });
});
