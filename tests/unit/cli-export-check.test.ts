import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../electron/api/handlers';
import type { PrintCheck } from '../../electron/export/print-check';
import { readPdfPages } from '../../electron/export/print-check-pdf';
import { privateTempRoot } from '../../electron/files/private-temp';
import { Workspace } from '../../electron/workspace/workspace';
import { locationState, runCliCaptured } from '../helpers/cli-capture';
import { engines, type PlanUnderTest, seededPlan } from '../helpers/engines';
import { tempDir } from '../helpers/temp';

/**
 * `npm run plan -- export … --check` on the seed plan, on a file and on PostgreSQL: the figures it
 * prints agree with the files it wrote (the PDF's pages and their paper as pdfinfo sees them where
 * installed, the workbook's paper and page breaks as its XML holds them), it leaves no file behind
 * without --out and changes nothing in the plan, and a plan whose text runs long is reported with
 * exit code 1.
 */

type CheckJson = PrintCheck & { files: string[] };

const hasPdfinfo = (() => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** What the files say, read without the check's own readers where another is at hand. */
async function filesFacts(pdfPath: string, xlsxPath: string) {
  const pdfPages = readPdfPages(readFileSync(pdfPath));
  if (hasPdfinfo) {
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '999', pdfPath], { encoding: 'utf8' });
    expect(Number(/^Pages:\s+(\d+)/m.exec(info)![1])).toBe(pdfPages.length);
    const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(sizes).toEqual(pdfPages.map((p) => [expect.closeTo(p.widthPt, 1), expect.closeTo(p.heightPt, 1)]));
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsxPath);
  const zip = await JSZip.loadAsync(readFileSync(xlsxPath));
  const sheets = await Promise.all(
    wb.worksheets
      .filter((ws) => ws.state === 'visible')
      .map(async (ws) => {
        const xml = await zip.file(`xl/worksheets/sheet${ws.id}.xml`)!.async('string');
        return { paperSize: ws.pageSetup.paperSize, scale: ws.pageSetup.scale, fitToPage: ws.pageSetup.fitToPage, manualBreaks: (xml.match(/<brk\b/g) ?? []).length };
      }),
  );
  return { pdfPages, sheets };
}

describe.each(engines)('plan export --check (%s)', (engine) => {
  let env: PlanUnderTest;
  let out: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    env = await seededPlan(engine);
    // The command opens the plan itself, as from a terminal.
    await env.db.close();
    out = tempDir();
  });
  afterAll(async () => {
    await env.cleanup();
    out.cleanup();
  });

  it('prints the FY2020 action plan’s figures, which agree with the files written', async () => {
    const dir = join(out.dir, '2020');
    const r = await runCliCaptured('export', '--db', env.location, '--layout', 'action-plan', '--year', '2020', '--out', dir, '--check', '--json');
    expect(r.stderr).toBe('');
    const check = JSON.parse(r.stdout) as CheckJson;
    expect(r.code).toBe(check.ok ? 0 : 1);
    expect(check.sheets.map((s) => s.mark)).toEqual(['①', '②', '③', '④', '⑤', '⑥', '⑦']);
    const pdfPath = check.files.find((f) => f.endsWith('.pdf'))!;
    const xlsxPath = check.files.find((f) => f.endsWith('.xlsx'))!;
    expect(readdirSync(dir).sort()).toEqual([pdfPath, xlsxPath].map((p) => p.slice(dir.length + 1)).sort());
    const files = await filesFacts(pdfPath, xlsxPath);
    expect(check.sheets.reduce((n, s) => n + s.pdf!.pages, 0)).toBe(files.pdfPages.length);
    // Every A4 landscape page: 297 × 210 mm.
    for (const p of files.pdfPages) expect([p.widthPt, p.heightPt].map((x) => Math.round((x * 25.4) / 72))).toEqual([297, 210]);
    check.sheets.forEach((s, i) => {
      const f = files.sheets[i]!;
      expect(s.pdf!.paper).toBe('A4横');
      expect(s.xlsx!.paper).toBe(f.paperSize === 9 ? 'A4横' : 'other');
      expect(s.xlsx!.scalePct).toBe(f.fitToPage ? expect.any(Number) : f.scale);
      // Without fit-to-page the spreadsheet breaks where the file says, and adds a break only where a page would run over.
      expect(s.xlsx!.pages).toBeGreaterThanOrEqual(f.manualBreaks + 1);
      expect(s.xlsx!.fillPct).toHaveLength(s.xlsx!.pages);
      expect(s.pdf!.fillPct).toHaveLength(s.pdf!.pages);
      expect(s.pdf!.bodyPt).toBeGreaterThanOrEqual(6);
    });
    expect(check.ok).toBe([...check.warnings, ...check.sheets.flatMap((s) => s.warnings)].length === 0);
  }, 240_000);

  it('checks the FY2021 action plan without --out: a table on stdout, no file left behind, the plan unchanged', async () => {
    const root = privateTempRoot();
    const mine = () => (existsSync(root) ? readdirSync(root).filter((n) => n.startsWith(`print-check-${process.pid}-`)) : []);
    const before = await locationState(env.location);
    const r = await runCliCaptured('export', '--db', env.location, '--layout', 'action-plan', '--year', '2021', '--check');
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('印刷チェック: 東京商工会議所 中期事業計画・２０２１年度事業活動計画 アクションプラン');
    expect(lines[1]).toMatch(/^面\s+用紙\s+本文pt PDF\s+本文pt Excel\s+充填率% PDF\s+充填率% Excel\s+ページ数 PDF\s+ページ数 Excel$/);
    for (const mark of ['①', '②', '③', '④', '⑤', '⑥', '⑦']) expect(r.stdout).toMatch(new RegExp(`^${mark}\\s+A4横\\s+\\d+\\.\\d`, 'm'));
    const warned = /^注意 \d+ 件$/m.test(r.stdout);
    expect(warned || r.stdout.includes('問題はありません。')).toBe(true);
    expect(r.code).toBe(warned ? 1 : 0);
    expect(mine()).toEqual([]);
    expect(await locationState(env.location)).toEqual(before);
  }, 240_000);

  it('reports a page whose text runs onto further sheets, and exits 1', async () => {
    // Long plan texts on the first rows of page ①, written through the app's own editing method.
    // Opened as the app opens it (the command line closed it after the first tests).
    const ws = new Workspace('test', join(env.dir, 'userdata'));
    await ws.open(env.location);
    const handle = createHandler(ws, 'http', () => {});
    const rows = await handle('actionRows.list', { fiscalYear: 2020 });
    if (!rows.ok) throw new Error(rows.error.message);
    const first = (rows.value as { id: string }[]).slice(0, 4);
    const long = '・地域の中小企業のデジタル化と事業承継を支援し、生産性の向上と雇用の維持を図るため、専門家の派遣と相談会を各支部で開催する。\n'.repeat(14);
    const edited = await handle('edits.apply', { label: '長い計画', edits: first.map((row) => ({ entity: 'actionRow', id: row.id, field: 'termPlan', value: long })) });
    expect(edited.ok).toBe(true);
    await ws.close();

    const r = await runCliCaptured('export', '--db', env.location, '--layout', 'action-plan', '--year', '2020', '--format', 'pdf', '--check', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const check = JSON.parse(r.stdout) as CheckJson;
    const first1 = check.sheets[0]!;
    expect(first1.mark).toBe('①');
    expect(first1.xlsx).toBeNull();
    expect(first1.pdf!.pages).toBeGreaterThan(1);
    expect(first1.warnings).toContain(first1.pdf!.pages === 2 ? '① は2枚目に続きます' : `① は${first1.pdf!.pages}枚にわたります`);
    expect(check.ok).toBe(false);
  }, 240_000);
});
