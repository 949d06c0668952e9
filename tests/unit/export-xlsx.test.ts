import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { LINE_HEIGHT } from '../../shared/layout/text-measure';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildActionPlanLayout } from '../../shared/layout/action-plan-layout';
import type { PlanDocumentData } from '../../shared/layout/document-data';
import { buildOverviewLayout } from '../../shared/layout/overview-layout';
import { exportDocument } from '../../electron/export/export-document';
import { EXCEL_FONT, writeXlsx } from '../../electron/export/xlsx-writer';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { rollupOf } from '../../electron/model/queries/rollup';
import { rollupTable } from '../../shared/rollup/table';
import { seededDatabase } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/** The Excel files, written and read back with exceljs (and printed by LibreOffice when it is installed). */

let env: Awaited<ReturnType<typeof seededDatabase>>;
let data: PlanDocumentData;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
  env = await seededDatabase();
  data = await planDocumentData(env.db.db);
  dir = tempDir();
});
afterAll(async () => {
  await env.cleanup();
  dir.cleanup();
});

async function readBack(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

const text = (c: ExcelJS.Cell): string => {
  const v = c.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  return String(v);
};

/** The merged ranges of a sheet, as 'C2:D2'. */
const merges = (ws: ExcelJS.Worksheet): string[] => (ws.model as unknown as { merges: string[] }).merges;

function columnTexts(ws: ExcelJS.Worksheet, col: number, fromRow: number): string[] {
  const out: string[] = [];
  for (let r = fromRow; r <= ws.rowCount; r++) {
    const c = ws.getCell(r, col);
    // Only the top-left cell of a merged range holds the value.
    if (c.isMerged && c.master.address !== c.address) continue;
    const t = text(c);
    if (t) out.push(t);
  }
  return out;
}

describe('the FY2020 action plan as Excel', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = await readBack(await writeXlsx(buildActionPlanLayout(data, { fiscalYear: 2020 })));
  });

  it('has one Japanese-named sheet per page with the document header, merged as printed', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(['アクションプラン①', 'アクションプラン②', 'アクションプラン③', 'アクションプラン④', 'アクションプラン⑤', 'アクションプラン⑥', '23支部⑦']);
    const ws = wb.worksheets[0]!;
    expect(text(ws.getCell('A1'))).toBe('東京商工会議所 中期事業計画・２０２０年度事業活動計画 アクションプラン');
    expect(text(ws.getCell('E1'))).toBe('①');
    expect(text(ws.getCell('B2'))).toBe('中期事業計画');
    // The band column (A) has a header cell of its own, empty, on every page: one left edge.
    expect(text(ws.getCell('A2'))).toBe('');
    expect(text(ws.getCell('C2'))).toBe('アクションプラン');
    expect(text(ws.getCell('E2'))).toBe('主な担当');
    expect(text(ws.getCell('C3'))).toBe('2022年度末の到達目標 ３年間のアクションプラン');
    expect(text(ws.getCell('D3'))).toBe('2020年度（中期事業計画１年目）事業活動計画');
    expect(merges(ws)).toEqual(expect.arrayContaining(['A1:D1', 'A2:A3', 'B2:B3', 'C2:D2', 'E2:E3']));
    // p1-labor (the second row) has three themes: its goal, year and unit cells span them.
    expect(merges(ws)).toEqual(expect.arrayContaining(['C6:C8', 'D6:D8', 'E6:E8']));
    const p7 = wb.worksheets[6]!;
    expect(text(p7.getCell('A1'))).toBe('２３支部における重点取組内容');
    expect(text(p7.getCell('A2'))).toBe('【 共通目標 】 各区の地域振興・まちづくりへの参画強化 ／ 会頭の支部訪問をはじめとする本支部連携の推進');
    expect([1, 2, 3].map((c) => text(p7.getCell(3, c)))).toEqual(['支部名', '３年間の重点取組内容', '2020年度のアクションプラン']);
  });

  it('keeps the themes and 主な担当 in the order of the database', async () => {
    const themes = wb.worksheets.slice(0, 6).flatMap((ws) => columnTexts(ws, 2, 4).flatMap((t) => t.split('\n')).filter((t) => t.startsWith('・')));
    const q = env.db.db.q;
    const dbThemes = (await sql<{ text: string }>`select t.text from theme t join action_row r on r.id = t.row_id order by r.page, r.position, t.position`.execute(q)).rows.map((t) => `・${t.text}`);
    expect(themes).toEqual(dbThemes);
    const units = wb.worksheets.slice(0, 6).flatMap((ws) => columnTexts(ws, 5, 4));
    const rows = (await sql<{ id: string }>`select r.id from action_row r order by r.page, r.position`.execute(q)).rows;
    const assignments = (await sql<{ row_id: string; name: string }>`select a.row_id, u.name from assignment a join unit u on u.id = a.unit_id order by a.position`.execute(q)).rows;
    const dbUnits = rows.map((r) => assignments.filter((a) => a.row_id === r.id).map((a) => a.name).join('\n'));
    expect(units).toEqual(dbUnits);
    const branches = columnTexts(wb.worksheets[6]!, 1, 4);
    expect(branches).toEqual([...data.units.filter((u) => u.kind === 'branch').map((u) => u.shortName), '中期事業計画2020-2022']);
  });

  it('prints each sheet on A4 landscape at 100 %, with the header rows repeated and no counter beside the marks ①…⑦', () => {
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: false, scale: 100, printTitlesRow: '1:3' });
      expect(ws.pageSetup.margins?.left).toBeCloseTo(10 / 25.4, 2);
      expect(ws.headerFooter?.oddFooter ?? '').not.toContain('&P');
    }
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('B4').font).toMatchObject({ name: EXCEL_FONT });
    expect(ws.getCell('B4').alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(ws.getCell('B4').border?.top?.style).toBe('thin');
    const widths = ws.columns.map((c) => c.width ?? 0);
    expect(widths[3]).toBeGreaterThan(widths[1]!);
    // Band labels stand vertically.
    const band = wb.worksheets[4]!.getColumn(1).values.find((v) => typeof v === 'string' && v.startsWith('現場主義'));
    expect(band).toBeDefined();
  });

  it('gives every row the height its text needs in Excel, and none more than Excel allows', () => {
    for (const ws of wb.worksheets)
      ws.eachRow((row) => {
        expect(row.height).toBeGreaterThan(0);
        expect(row.height).toBeLessThanOrEqual(409);
      });
    // The p1-hr row (nine lines of goals in a 80 mm column) is taller than a one-line row.
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(9).height ?? 0) + (ws.getRow(10).height ?? 0)).toBeGreaterThan(ws.getRow(4).height ?? 0);
  });

  it('writes no formula: text starting with = + - @ stays text', async () => {
    const tricky = structuredClone(data);
    tricky.actionRows[0]!.themes[0]!.text = '=HYPERLINK("http://example.com","x")';
    tricky.actionRows[0]!.termPlan = '+1+1';
    tricky.actionRows[0]!.yearPlans['2020'] = '-2\n@SUM(A1:A3)';
    const book = await readBack(await writeXlsx(buildActionPlanLayout(tricky, { fiscalYear: 2020 })));
    const ws = book.worksheets[0]!;
    expect(text(ws.getCell('B4'))).toBe('・=HYPERLINK("http://example.com","x")');
    expect(text(ws.getCell('C4'))).toBe('+1+1');
    expect(text(ws.getCell('D4'))).toBe('-2\n@SUM(A1:A3)');
    for (const sheet of book.worksheets)
      sheet.eachRow((row) =>
        row.eachCell((c) => {
          expect(c.type, c.address).not.toBe(ExcelJS.ValueType.Formula);
          expect(c.formula, c.address).toBeUndefined();
        }),
      );
    // And in the file itself: no <f> element anywhere.
    const path = join(dir.dir, 'tricky.xlsx');
    writeFileSync(path, await writeXlsx(buildActionPlanLayout(tricky, { fiscalYear: 2020 })));
    const listing = execFileSync('unzip', ['-p', path, 'xl/worksheets/*.xml'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(listing).not.toMatch(/<f[ >]/);
  });

  it('keeps a cell of 2,000 characters whole, on rows Excel can hold', async () => {
    const long = structuredClone(data);
    const body = '長い本文の確認用テキスト。'.repeat(160).slice(0, 2000);
    long.actionRows[0]!.yearPlans['2020'] = body;
    const layout = buildActionPlanLayout(long, { fiscalYear: 2020 });
    const book = await readBack(await writeXlsx(layout));
    const ws = book.worksheets[0]!;
    expect(text(ws.getCell('D4'))).toBe(body);
    const range = merges(ws).find((m) => m.startsWith('D4:'))!;
    const last = Number(/D4:D(\d+)/.exec(range)![1]);
    let height = 0;
    for (let r = 4; r <= last; r++) height += ws.getRow(r).height ?? 0;
    // 2,000 characters in the year column (its width in the layout) at the sheet's size need well over 400 pt.
    const size = ws.getCell('D4').font?.size ?? 0;
    const perLine = Math.floor((layout.sheets[0]!.columnsMm[3]! - 2.4) / (size * 0.3528));
    // Rows are as tall as the PDF's (lines LINE_HEIGHT em apart); Excel sets the lines 1.0 em apart.
    expect(height).toBeGreaterThanOrEqual(Math.ceil(2000 / perLine) * size * LINE_HEIGHT);
  });
});

describe('the other layouts as Excel', () => {
  it('prints the FY2021 overview on A3 landscape (paper size 8)', async () => {
    const book = await readBack(await writeXlsx(buildOverviewLayout(data, 2021)));
    expect(book.worksheets.map((w) => w.name)).toEqual(['2021年度 事業活動計画', '部会・委員会・女性会・青年部における重点取り組み内容', '23支部における重点取り組み内容']);
    expect(book.worksheets[0]!.pageSetup).toMatchObject({ paperSize: 8, orientation: 'landscape', scale: 100 });
    // Two tables side by side (name | focus, twice): down the left one, then down the right one.
    const units = [...columnTexts(book.worksheets[1]!, 2, 2), ...columnTexts(book.worksheets[1]!, 5, 2)];
    expect(units).toEqual(data.unitFocus.filter((f) => f.period === '2021' && f.groupHeading !== null).map((f) => f.text));
  });

  it('keeps the rollup figures as numbers with their formats', async () => {
    const book = await readBack(await writeXlsx(await exportDocument(env.db.db, { layout: 'rollup', fiscalYear: 2020 })));
    expect(book.worksheets.map((w) => w.name)).toEqual(['集計 目標別', '集計 組織別', '集計 柱・指針別', '集計 年度別']);
    const ws = book.worksheets[0]!;
    const table = rollupTable(await rollupOf(env.db.db, { fiscalYear: 2020 }));
    const headerTexts = [2, 3].flatMap((r) => table.columns.map((_, c) => text(ws.getCell(r, c + 1))));
    for (const column of table.columns) expect(headerTexts).toContain(column.header);
    expect(columnTexts(ws, 1, 4).slice(0, table.rows.length)).toEqual(table.rows.map((r) => String(r.cells[table.columns[0]!.key] ?? '')));
    let numbers = 0;
    ws.eachRow((row, r) => {
      if (r > 3)
        row.eachCell((c) => {
          if (typeof c.value === 'number') {
            numbers++;
            expect(c.numFmt).toMatch(/0/);
          }
        });
    });
    expect(numbers).toBeGreaterThan(100);
  });
});

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

describe.skipIf(!soffice)('printed by LibreOffice (headless)', () => {
  it('prints the FY2020 action plan on seven A4 landscape pages, one per sheet', async () => {
    const path = join(dir.dir, 'action-plan.xlsx');
    writeFileSync(path, await writeXlsx(buildActionPlanLayout(data, { fiscalYear: 2020 })));
    const r = spawnSync(soffice!, ['--headless', `-env:UserInstallation=file://${dir.dir}/lo-profile`, '--convert-to', 'pdf', '--outdir', dir.dir, path], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const info = execFileSync('pdfinfo', [join(dir.dir, 'action-plan.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+7\b/);
    expect(info).toMatch(/Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)/);
    const page7 = execFileSync('pdftotext', ['-f', '7', '-l', '7', join(dir.dir, 'action-plan.pdf'), '-'], { encoding: 'utf8' });
    expect(page7).toContain('江戸川');
    expect(readFileSync(join(dir.dir, 'action-plan.pdf')).byteLength).toBeGreaterThan(10_000);
  }, 150_000);
});
