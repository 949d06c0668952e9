import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildActionPlanLayout } from '../../shared/layout/action-plan-layout';
import { EMPTY_YEAR_MARK } from '../../shared/layout/labels';
import { buildOverviewLayout } from '../../shared/layout/overview-layout';
import { POINT_MM } from '../../shared/layout/model';
import { chromiumPdfRenderer } from '../../electron/export/chromium-pdf';
import { printPage } from '../../electron/export/export-document';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { seededDatabase } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * The printed pages of the seed plan, read back from the PDF (real Chromium, poppler): every page's
 * table starts at the same left edge, every page carries one page counter, and empty year cells
 * print 「（未記入）」.
 */

let env: ReturnType<typeof seededDatabase>;
let dir: ReturnType<typeof tempDir>;
const pdfs = { plan2020: '', plan2021: '', overview: '' };

beforeAll(async () => {
  env = seededDatabase();
  const data = await planDocumentData(env.db.db);
  dir = tempDir();
  const docs = [buildActionPlanLayout(data, { fiscalYear: 2020 }), buildActionPlanLayout(data, { fiscalYear: 2021 }), buildOverviewLayout(data, 2021)];
  const rendered = await chromiumPdfRenderer(docs.map((d) => printPage(d)));
  (['plan2020', 'plan2021', 'overview'] as const).forEach((k, i) => {
    pdfs[k] = join(dir.dir, `${k}.pdf`);
    writeFileSync(pdfs[k], rendered[i]!);
  });
}, 120_000);
afterAll(async () => {
  await env.cleanup();
  dir.cleanup();
});

const pageCount = (pdf: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);

interface Word {
  xMin: number;
  yMin: number;
  text: string;
}

function words(pdf: string, page: number): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({ xMin: Number(m[1]), yMin: Number(m[2]), text: m[3]! }));
}

const DPI = 150;

/** The left edge of what is drawn on a page (mm from the paper's edge): the first pixel column with ink, from poppler's greyscale rendering. */
function inkLeftMm(pdf: string, page: number): number {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', String(DPI), '-f', String(page), '-l', String(page), pdf], { maxBuffer: 64 * 1024 * 1024 });
  // Binary PGM: "P5 <width> <height> <max>" and one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(header[0].length);
  let left = width;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < left; x++)
      if (pixels[y * width + x]! < 160) {
        left = x;
        break;
      }
  return (left / DPI) * 25.4;
}

/**
 * The page counters printed on a page: a document's mark (①, ⑦-1 …) standing alone in the top
 * 30 mm (the overview numbers its lists ①② further down) and 「3 / 7」-like counters anywhere.
 */
function pageCounters(pdf: string, page: number): string[] {
  const list = words(pdf, page);
  const marks = list.filter((w) => w.yMin * POINT_MM < 30 && /^[①-⑳](-\d+)?$/.test(w.text)).map((w) => w.text);
  // poppler reads 「3 / 7」 as three words on one line.
  const lines = new Map<number, string[]>();
  for (const w of list.sort((a, b) => a.xMin - b.xMin)) lines.set(Math.round(w.yMin), [...(lines.get(Math.round(w.yMin)) ?? []), w.text]);
  const counters = [...lines.values()].flatMap((l) => l.join(' ').match(/(?<![\d,.])\d+ ?\/ ?\d+(?![\d,.])/g) ?? []);
  return [...marks, ...counters];
}

describe('one left edge', () => {
  it('starts the table of every FY2020 page at the left margin: pages ①–⑦ agree within 0.5 mm', () => {
    const edges = Array.from({ length: pageCount(pdfs.plan2020) }, (_, i) => inkLeftMm(pdfs.plan2020, i + 1));
    expect(edges).toHaveLength(7);
    // The border of the table's first column stands on the 10 mm margin (half its 0.25 mm width outside it).
    for (const [i, x] of edges.entries()) expect(Math.abs(x - 10), `page ${'①②③④⑤⑥⑦'[i]} starts at ${x.toFixed(2)} mm`).toBeLessThan(0.5);
    expect(Math.max(...edges) - Math.min(...edges)).toBeLessThan(0.5);
  });

  it('prints the theme column of pages ①–⑥ at one x, whether or not the page has a band label (17–74 mm: the band column is 10–17)', () => {
    const themeX = [1, 2, 3, 4, 5, 6].map((p) => Math.min(...words(pdfs.plan2020, p).filter((w) => w.text.startsWith('・') && w.xMin * POINT_MM > 17 && w.xMin * POINT_MM < 74).map((w) => w.xMin * POINT_MM)));
    expect(Math.max(...themeX) - Math.min(...themeX), themeX.map((x) => x.toFixed(1)).join(' ')).toBeLessThan(0.5);
  });
});

describe('one page counter', () => {
  it('prints the document’s own mark (①…⑦) on each action-plan page and no second counter', () => {
    for (const pdf of [pdfs.plan2020, pdfs.plan2021])
      for (let p = 1; p <= pageCount(pdf); p++) {
        const counters = pageCounters(pdf, p);
        expect(counters, `page ${p}`).toHaveLength(1);
        expect(counters[0], `page ${p}`).toMatch(/^[①-⑦]/);
      }
  });

  it('prints 「n / N」 once on each page of the overview, which has no marks of its own', () => {
    const n = pageCount(pdfs.overview);
    for (let p = 1; p <= n; p++) expect(pageCounters(pdfs.overview, p), `page ${p}`).toEqual([`${p} / ${n}`]);
  });
});

describe('empty year cells', () => {
  it('print 「（未記入）」 in the FY2021 year column: one per table row of pages ①–⑥, none in FY2020', () => {
    const count = (pdf: string, pages: number[]) => pages.reduce((n, p) => n + words(pdf, p).filter((w) => w.text === EMPTY_YEAR_MARK).length, 0);
    const pages = Array.from({ length: pageCount(pdfs.plan2021) }, (_, i) => i + 1);
    expect(count(pdfs.plan2021, pages)).toBe(35);
    // In the year column: the goal column ends 154 mm from the paper's left edge, the year column 253 mm.
    for (const p of pages) for (const w of words(pdfs.plan2021, p).filter((x) => x.text === EMPTY_YEAR_MARK)) expect(w.xMin * POINT_MM).toBeGreaterThan(154);
    expect(count(pdfs.plan2020, [1, 2, 3, 4, 5, 6, 7])).toBe(0);
  });
});
