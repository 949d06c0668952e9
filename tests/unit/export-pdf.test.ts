import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildActionPlanLayout } from '../../shared/layout/action-plan-layout';
import type { PlanDocumentData } from '../../shared/layout/document-data';
import { buildOverviewLayout } from '../../shared/layout/overview-layout';
import { type LayoutDocument, type LayoutSheet, POINT_MM } from '../../shared/layout/model';
import { chromiumPdfRenderer } from '../../electron/export/chromium-pdf';
import { printPage } from '../../electron/export/export-document';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { seededDatabase } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';
import { withoutEmphasis } from '../../shared/text/emphasis';

/**
 * The PDFs, printed by real Chromium (Playwright, as the command line does; the app's printToPDF is
 * the same print path) and read back with poppler: the pages, what stands on each, and where.
 */

let env: Awaited<ReturnType<typeof seededDatabase>>;
let data: PlanDocumentData;
let dir: ReturnType<typeof tempDir>;
const pdfs: Record<'plan' | 'overview' | 'long', string> = { plan: '', overview: '', long: '' };
let docs: Record<'plan' | 'overview' | 'long', LayoutDocument>;
const LONG = '長い本文の確認用テキスト。'.repeat(160).slice(0, 2000);

beforeAll(async () => {
  env = await seededDatabase();
  data = await planDocumentData(env.db.db);
  dir = tempDir();
  const long = structuredClone(data);
  // Three rows of page ① get a 2,000-character year cell: the page runs over several sheets.
  for (const r of long.actionRows.slice(0, 3)) r.yearPlans['2020'] = LONG;
  docs = { plan: buildActionPlanLayout(data, { fiscalYear: 2020 }), overview: buildOverviewLayout(data, 2021), long: buildActionPlanLayout(long, { fiscalYear: 2020 }) };
  const rendered = await chromiumPdfRenderer([printPage(docs.plan), printPage(docs.overview), printPage(docs.long)]);
  (['plan', 'overview', 'long'] as const).forEach((k, i) => {
    pdfs[k] = join(dir.dir, `${k}.pdf`);
    writeFileSync(pdfs[k], rendered[i]!);
  });
}, 120_000);
afterAll(async () => {
  await env.cleanup();
  dir.cleanup();
});

const squash = (s: string) => s.replace(/\s+/g, '');
const pageCount = (pdf: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
const pageSize = (pdf: string) => /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))!.slice(1).map(Number);
const pageText = (pdf: string, page: number) => squash(execFileSync('pdftotext', ['-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' }));

/** Each text appears on the page, after the one before it. */
function expectInOrder(page: string, texts: string[], what: string) {
  let at = -1;
  for (const t of texts) {
    const next = page.indexOf(squash(t), at + 1);
    expect(next, `${what}: 「${t.slice(0, 30)}」`).toBeGreaterThan(at);
    at = next;
  }
}

interface Word {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

function words(pdf: string, page: number): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: m[5]!,
  }));
}

const VOICED_KANA = /[\uFF66-\uFF9D][\uFF9E\uFF9F]/g;
/** A text as columnTexts reads it back. */
const comparable = (s: string) => squash(s).replace(VOICED_KANA, '');

/**
 * The text of each column of a page, top to bottom, from the words' positions (poppler's own reading
 * order of a table is not the document's). `edgesMm` are the column edges from the left of the paper.
 * The font sets a half-width kana with its (han)dakuten (ﾌﾟ, ﾊﾟ, ｸﾞ) as one glyph, which poppler reads
 * apart from its line: such pairs are left out of both sides of the comparison.
 */
function columnTexts(pdf: string, page: number, edgesMm: number[]): string[] {
  const cols: Word[][] = edgesMm.slice(1).map(() => []);
  for (const w of words(pdf, page)) {
    const x = ((w.xMin + w.xMax) / 2) * POINT_MM;
    const i = edgesMm.findIndex((e, k) => k < edgesMm.length - 1 && x >= e && x < edgesMm[k + 1]!);
    if (i >= 0) cols[i]!.push(w);
  }
  return cols.map((list) =>
    squash(
      list
        .sort((a, b) => Math.round(a.yMin) - Math.round(b.yMin) || a.xMin - b.xMin)
        .map((w) => w.text)
        .join(''),
    ).replace(VOICED_KANA, ''),
  );
}

/** The column edges (mm from the left of the paper) of a sheet: the widths follow each page's text (issue 14), so they are read from the layout. */
const edgesOf = (sheet: LayoutSheet) => sheet.columnsMm.reduce((edges, w) => [...edges, edges[edges.length - 1]! + w], [sheet.marginsMm.left]);

describe('the FY2020 action plan as PDF', () => {
  it('has seven A4 landscape pages, like the document', () => {
    expect(pageCount(pdfs.plan)).toBe(7);
    const [w, h] = pageSize(pdfs.plan);
    expect(Math.abs(w! - 297 / POINT_MM)).toBeLessThan(1);
    expect(Math.abs(h! - 210 / POINT_MM)).toBeLessThan(1);
  });

  it('prints every theme, goal, year cell and unit in its column of its page, in the document order, under the header', () => {
    const unitName = new Map(data.units.map((u) => [u.id, u.name]));
    for (let page = 1; page <= 6; page++) {
      const text = pageText(pdfs.plan, page);
      expect(text).toContain('2022年度末の到達目標３年間のアクションプラン');
      expect(text).toContain('2020年度（中期事業計画１年目）事業活動計画');
      expect(text).toContain('①②③④⑤⑥'[page - 1]!);
      const [band, themes, goals, years, units] = columnTexts(pdfs.plan, page, edgesOf(docs.plan.sheets[page - 1]!));
      const rows = data.actionRows.filter((r) => r.page === page);
      expectInOrder(themes!, ['中期事業計画', ...rows.flatMap((r) => [...(r.heading ? [r.heading] : []), ...r.themes.map((t) => `・${comparable(t.text)}`)])], `themes of page ${page}`);
      expectInOrder(goals!, ['2022年度末の到達目標', ...rows.map((r) => comparable(r.termPlan))], `goals of page ${page}`);
      expectInOrder(years!, ['2020年度（中期事業計画１年目）', ...rows.map((r) => comparable(r.yearPlans['2020'] ?? ''))], `FY2020 of page ${page}`);
      expectInOrder(units!, ['主な担当', ...rows.flatMap((r) => r.unitIds.map((id) => unitName.get(id)!))], `units of page ${page}`);
      const bands = [...new Set(rows.filter((r) => r.bandPillarId).map((r) => data.pillars.find((p) => p.id === r.bandPillarId)!.name.replace('/', '／')))];
      expectInOrder(band!, bands, `band labels of page ${page}`);
    }
    expect(pageText(pdfs.plan, 1)).toContain('東京商工会議所中期事業計画・２０２０年度事業活動計画アクションプラン');
  });

  it('prints page ⑦: the 23 branches in order with both focus texts, the common goal and the footer', () => {
    const text = pageText(pdfs.plan, 7);
    expect(text).toContain('⑦');
    expectInOrder(text, ['２３支部における重点取組内容', '【共通目標】', '支部名', '３年間の重点取組内容', '2020年度のアクションプラン'], 'page ⑦ header');
    const branches = data.units.filter((u) => u.kind === 'branch');
    const focus = (id: string, period: string) => data.unitFocus.find((f) => f.period === period && f.groupHeading === null && f.unitIds.includes(id))!.text;
    const [names, terms, years] = columnTexts(pdfs.plan, 7, edgesOf(docs.plan.sheets[6]!));
    expectInOrder(names!, branches.map((b) => b.shortName!), 'branch names');
    expectInOrder(terms!, branches.map((b) => focus(b.id, 'term')), '3-year focus');
    expectInOrder(years!, branches.map((b) => focus(b.id, '2020')), 'FY2020 focus');
    expect(text).toContain('中期事業計画2020-2022');
  });
});

describe('the FY2021 overview as PDF', () => {
  it('prints three A3 landscape pages with the plan vision, the sections, the tables and the branches', () => {
    expect(pageCount(pdfs.overview)).toBe(3);
    const [w, h] = pageSize(pdfs.overview);
    expect(Math.abs(w! - 420 / POINT_MM)).toBeLessThan(1);
    expect(Math.abs(h! - 297 / POINT_MM)).toBeLessThan(1);
    const first = pageText(pdfs.overview, 1);
    expectInOrder(first, ['2021年度 事業活動計画', '挑みつつける、変わらぬ意志で。', ...data.missions], 'vision');
    for (const g of data.challengeGroups) expectInOrder(first, [g.heading, ...g.challenges.map((c) => c.text)], g.heading);
    for (const s of data.overviewSections.filter((x) => x.fiscalYear === 2021)) {
      expect(first).toContain(squash(s.title));
      // poppler reads a line of one cell next to the line of the cell beside it: an item broken over
      // two lines is found in the page's reading order or in the text right of the label column.
      const [, right] = columnTexts(pdfs.overview, 1, edgesOf(docs.overview.sheets[0]!).filter((_, k, e) => k <= 1 || k === e.length - 1));
      for (const g of s.groups)
        for (const i of g.items) {
          const item = squash(i.text.replace(/^新/, ''));
          expect(first.includes(item) || right!.includes(comparable(item)), i.text.slice(0, 20)).toBe(true);
        }
    }
    expect(first).toContain('積立金7.5億円取り崩し');
    const second = pageText(pdfs.overview, 2);
    // Two columns side by side (issue 14): read down the left focus column, then down the right one.
    const unitColumns = columnTexts(pdfs.overview, 2, edgesOf(docs.overview.sheets[1]!));
    expectInOrder(unitColumns[1]! + unitColumns[4]!, data.unitFocus.filter((f) => f.period === '2021' && f.groupHeading !== null).map((f) => comparable(withoutEmphasis(f.text))), 'units');
    expect(second).toContain(squash(docs.overview.sheets[1]!.name));
    const third = pageText(pdfs.overview, 3);
    // Printed as they read: the emphasised phrases in bold (export-layout.test.ts), their marks not printed.
    const branchTexts = data.units.filter((u) => u.kind === 'branch').flatMap((u) => [`<${u.shortName}>`, withoutEmphasis(data.unitFocus.find((f) => f.period === '2021' && f.unitIds.includes(u.id))!.text)]);
    for (const t of branchTexts) expect(third, t.slice(0, 20)).toContain(squash(t));
    for (const j of data.jointProjects) expect(third).toContain(squash(withoutEmphasis(j.text)));
    expect(third).not.toContain('**');
  });
});

describe('long texts', () => {
  it('keeps a cell of 2,000 characters whole, inside its column, with the header repeated on every page', () => {
    const pages = pageCount(pdfs.long);
    expect(pages).toBeGreaterThan(7);
    let all = '';
    for (let p = 1; p <= pages; p++) {
      const text = pageText(pdfs.long, p);
      all += text;
      if (p < pages) expect(text, `page ${p}`).toContain('主な担当');
    }
    // The three long cells, each whole: every character is printed.
    expect(all.split('確認用').length - 1).toBe(3 * (LONG.split('確認用').length - 1));

    // Where the year column is (mm from the left edge): its edges in the layout (the widths follow the text).
    const edges = edgesOf(docs.long.sheets[0]!);
    const left = edges[3]! / POINT_MM;
    const right = edges[4]! / POINT_MM;
    const [, height] = pageSize(pdfs.long);
    for (let p = 1; p <= pages; p++)
      for (const w of words(pdfs.long, p)) {
        // Only the page counter 「3 / 9」 stands in the bottom margin.
        if (w.yMin > height! - 11 / POINT_MM) {
          expect(w.text, `page ${p}`).toMatch(/^(\d+|\/)$/);
          continue;
        }
        // Nothing else runs into the margins: no line is cut at the edge of a page.
        expect(w.yMin, `page ${p} ${w.text}`).toBeGreaterThanOrEqual(10 / POINT_MM - 1);
        if (w.text.includes('確認用')) {
          expect(w.xMin, `page ${p} ${w.text}`).toBeGreaterThanOrEqual(left);
          expect(w.xMax, `page ${p} ${w.text}`).toBeLessThanOrEqual(right);
        }
      }
  });
});
