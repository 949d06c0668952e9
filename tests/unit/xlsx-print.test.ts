import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPdfRenderer } from '../../electron/export/chromium-pdf';
import { type DocumentRequest, exportDocument, printPage } from '../../electron/export/export-document';
import { writeXlsx } from '../../electron/export/xlsx-writer';
import type { LayoutSheet } from '../../shared/layout/model';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { seededDatabase } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * The seed plan's workbooks printed by LibreOffice (headless, a private profile) print like the
 * app's PDF of the same document: as many pages, each at 100 %. The scale of a page is read from
 * the words both PDFs print alike (same text, once on the page): the same font at the same size
 * sets them equally wide, so their width ratio is the print scale (LibreOffice's fit-to-page shrink
 * showed as 0.75–0.94 here). Needs LibreOffice with BIZ UDPGothic (.ci/run installs both).
 */

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
const bizUd = (() => {
  try {
    return execFileSync('fc-list', [':family=BIZ UDPGothic'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
})();
const why = !soffice ? 'LibreOffice (soffice) is not installed' : !bizUd ? 'the BIZ UDPGothic font is not installed' : '';
if (why) console.warn(`xlsx-print: skipped, ${why}`);

interface Word {
  text: string;
  width: number;
}

/** The words of each page of a PDF, with their widths (pdftotext -bbox). */
function pdfWords(path: string): Word[][] {
  const xml = execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return xml
    .split('<page ')
    .slice(1)
    .map((page) => [...page.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({ text: m[3]!, width: Number(m[2]) - Number(m[1]) })));
}

const once = (words: Word[]) => {
  const seen = new Map<string, Word | null>();
  for (const w of words) seen.set(w.text, seen.has(w.text) ? null : w);
  return seen;
};

/** The print scale of `page` against `reference`: the median width ratio of the words of 3+ characters both print once. */
function pageScale(page: Word[], reference: Word[]): { scale: number; words: number } {
  const a = once(page);
  const b = once(reference);
  const ratios: number[] = [];
  for (const [text, w] of a) {
    const r = b.get(text);
    if (w && r && [...text].length >= 3) ratios.push(w.width / r.width);
  }
  ratios.sort((x, y) => x - y);
  return { scale: ratios[Math.floor(ratios.length / 2)] ?? NaN, words: ratios.length };
}

/** The share of a page's words that the reference page prints too: low when the pages break elsewhere. */
function shared(page: Word[], reference: Word[]): number {
  const b = new Set(reference.map((w) => w.text));
  return page.filter((w) => b.has(w.text)).length / Math.max(1, page.length);
}

/**
 * The PDF's page of each page the workbook prints: a worksheet per layout sheet, a page per layout
 * page; a sheet that continues the page before it in the PDF (a short table below another) is a
 * worksheet of its own, printed on a page of its own.
 */
function pdfPages(sheets: readonly LayoutSheet[]): number[] {
  const map: number[] = [];
  let next = 0;
  for (const sheet of sheets) {
    const pages = Math.max(1, sheet.pages?.length ?? 1);
    const start = sheet.continuesPage && next > 0 ? next - 1 : next;
    for (let k = 0; k < pages; k++) map.push(start + k);
    next = start + pages;
  }
  return map;
}

const documents: [string, (unitId: string) => DocumentRequest][] = [
  ['action-plan-2020', () => ({ layout: 'action-plan', fiscalYear: 2020 })],
  ['action-plan-2021', () => ({ layout: 'action-plan', fiscalYear: 2021 })],
  ['overview-2021', () => ({ layout: 'overview', fiscalYear: 2021 })],
  ['unit-2020', (unitId) => ({ layout: 'unit', fiscalYear: 2020, unitId })],
  ['rollup-2020', () => ({ layout: 'rollup', fiscalYear: 2020 })],
];

describe.skipIf(why !== '')('the seed plan’s workbooks printed by LibreOffice', () => {
  const dir = tempDir('xlsx-print-');
  const app = new Map<string, Word[][]>();
  const office = new Map<string, Word[][]>();
  /** For each page the workbook prints, the PDF's page that prints the same (pdfPages). */
  const pdfPageOfSheetPage = new Map<string, number[]>();

  beforeAll(async () => {
    const env = seededDatabase();
    try {
      const data = await planDocumentData(env.db.db);
      const unitId = data.units.find((u) => u.name === '中小企業のデジタルシフト推進委員会')?.id ?? data.units[0]!.id;
      const pages: string[] = [];
      for (const [name, request] of documents) {
        const doc = await exportDocument(env.db.db, request(unitId));
        writeFileSync(join(dir.dir, `${name}.xlsx`), await writeXlsx(doc));
        pdfPageOfSheetPage.set(name, pdfPages(doc.sheets));
        pages.push(printPage(doc));
      }
      const pdfs = await chromiumPdfRenderer(pages);
      documents.forEach(([name], i) => writeFileSync(join(dir.dir, `${name}.app.pdf`), pdfs[i]!));
    } finally {
      await env.cleanup();
    }
    // One LibreOffice start for all the workbooks, with a profile of its own.
    const out = join(dir.dir, 'lo');
    const r = spawnSync(soffice!, ['--headless', `-env:UserInstallation=file://${dir.dir}/lo-profile`, '--convert-to', 'pdf', '--outdir', out, ...documents.map(([n]) => join(dir.dir, `${n}.xlsx`))], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    if (r.status !== 0) throw new Error(`soffice failed: ${r.stderr}`);
    for (const [name] of documents) {
      app.set(name, pdfWords(join(dir.dir, `${name}.app.pdf`)));
      office.set(name, pdfWords(join(out, `${name}.pdf`)));
    }
  }, 300_000);
  afterAll(() => dir.cleanup());

  it.each(documents.map(([name]) => name))('%s: as many pages as the PDF, each at 100 %% and breaking where the PDF does', (name) => {
    const ours = office.get(name)!;
    const theirs = app.get(name)!;
    const pdfPage = pdfPageOfSheetPage.get(name)!;
    expect(ours.length, 'pages').toBe(pdfPage.length);
    expect(theirs.length, 'the PDF’s pages').toBe(pdfPage[pdfPage.length - 1]! + 1);
    ours.forEach((page, i) => {
      const reference = theirs[pdfPage[i]!]!;
      const { scale, words } = pageScale(page, reference);
      expect(words, `page ${i + 1}: words to compare`).toBeGreaterThanOrEqual(5);
      expect(scale, `page ${i + 1}: print scale`).toBeGreaterThan(0.99);
      expect(scale, `page ${i + 1}: print scale`).toBeLessThan(1.01);
      // A page that broke elsewhere shares far fewer words with the PDF's page (lines wrap
      // differently in the two programs, so not all of them).
      expect(shared(page, reference), `page ${i + 1}: words also on the PDF's page`).toBeGreaterThan(0.2);
    });
  });
});
