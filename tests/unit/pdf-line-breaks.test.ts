import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildActionPlanLayout } from '../../shared/layout/action-plan-layout';
import { type LayoutDocument, paragraphText, POINT_MM } from '../../shared/layout/model';
import { cellTextWidthEm, cellWidthMm, charWidthEm, hangsUnderBullet } from '../../shared/layout/text-measure';
import { breakRanks, PHRASE_BREAK } from '../../shared/text/phrases';
import { chromiumPdfRenderer } from '../../electron/export/chromium-pdf';
import { printPage } from '../../electron/export/export-document';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { seededDatabase } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * No printed line of the seed plan's action plans ends inside a word: every line of the PDF (read
 * back with poppler's bounding boxes) is found in a paragraph of a cell under it, and starts and
 * ends between two phrases of that paragraph (BudouX, shared/text/phrases.ts), or inside a phrase
 * longer than the cell's line. The same check finds words broken in the page printed the old way
 * (breaking anywhere), so it can fail.
 */

interface Source {
  chars: string[];
  ranks: Uint8Array;
  /** The text without white space, and the index in `chars` of each of its characters. */
  squashed: string;
  at: number[];
  /** The width of the cell's lines (em), less the indent of a paragraph hanging under its ・. */
  widthEm: number;
  xMm: [number, number];
}

/**
 * The font sets a half-width kana with its (han)dakuten (ﾌﾟ) as one glyph, which poppler reads apart
 * from its line: such pairs are left out of both sides (as in export-pdf.test.ts).
 */
const VOICED_KANA = /[\uFF66-\uFF9D][\uFF9E\uFF9F]/g;
const voiced = (chars: string[], i: number) => /[\uFF66-\uFF9D][\uFF9E\uFF9F]/.test(chars[i]! + (chars[i + 1] ?? '')) || /[\uFF66-\uFF9D][\uFF9E\uFF9F]/.test((chars[i - 1] ?? '') + chars[i]!);

/** The paragraphs of the horizontal cells, and the x ranges (mm) of the vertical ones. */
function sources(doc: LayoutDocument): { horizontal: Source[]; vertical: [number, number][] } {
  const out: Source[] = [];
  const vertical: [number, number][] = [];
  for (const sheet of doc.sheets)
    for (const row of [...sheet.header, ...sheet.body.flatMap((g) => g.rows), ...sheet.footer])
      // A sheet running over several pages marks them ⑦-1, ⑦-2 (its pages) in its page-mark cell.
      for (const c of row.cells.flatMap((x) => (x.role === 'pageMark' && sheet.pages && sheet.pages.length > 1 ? sheet.pages.map((p) => ({ ...x, paragraphs: [[{ text: p.mark ?? '' }]] })) : [x]))) {
        const left = sheet.marginsMm.left + sheet.columnsMm.slice(0, c.col).reduce((a, b) => a + b, 0);
        if (c.vertical) {
          vertical.push([left, left + cellWidthMm(c, sheet.columnsMm)]);
          continue;
        }
        for (const p of c.paragraphs) {
          const chars = [...paragraphText(p)];
          const at: number[] = [];
          let squashed = '';
          chars.forEach((ch, i) => {
            if (/\s/.test(ch) || voiced(chars, i)) return;
            squashed += ch;
            at.push(i);
          });
          if (squashed) out.push({ chars, ranks: breakRanks(chars.join('')), squashed, at, widthEm: cellTextWidthEm(c, sheet.columnsMm, sheet.fontSizePt) - (hangsUnderBullet(c, p) ? 1 : 0), xMm: [left, left + cellWidthMm(c, sheet.columnsMm)] });
        }
      }
  return { horizontal: out, vertical };
}

/** Whether a line may break before character `i` of the source: at its ends, between phrases, or inside a phrase longer than the line. */
function breakAllowed(s: Source, i: number): boolean {
  while (i < s.chars.length && /\s/.test(s.chars[i]!)) i++;
  if (i <= 0 || i >= s.chars.length || s.ranks[i] === PHRASE_BREAK) return true;
  let a = i;
  while (a > 0 && s.ranks[a] !== PHRASE_BREAK) a--;
  let b = i;
  while (b < s.chars.length && s.ranks[b] !== PHRASE_BREAK) b++;
  const width = s.chars.slice(a, b).reduce((w, ch) => w + charWidthEm(ch), 0);
  return width > s.widthEm;
}

interface Line {
  page: number;
  text: string;
  /** mm from the left of the paper */
  xMin: number;
  xMax: number;
  /** pt from the top */
  yMin: number;
}

function lines(pdf: string): Line[] {
  const html = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const out: Line[] = [];
  html.split('<page ').slice(1).forEach((page, k) => {
    for (const m of page.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([\s\S]*?)<\/line>/g)) {
      // Poppler may join the lines of two cells side by side into one line where they nearly touch:
      // a line is cut where its words are further apart than a space (cells are 2.65 mm apart at least).
      const words = [...m[4]!.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((w) => ({ xMin: Number(w[1]) * POINT_MM, xMax: Number(w[2]) * POINT_MM, text: w[3]! }));
      const pieces: (typeof words)[] = [];
      for (const w of words) {
        const last = pieces[pieces.length - 1];
        if (last && w.xMin - last[last.length - 1]!.xMax < 1.8) last.push(w);
        else pieces.push([w]);
      }
      for (const piece of pieces) {
        const text = piece.map((w) => w.text).join('');
        out.push({ page: k + 1, text: text.replace(VOICED_KANA, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'"), xMin: piece[0]!.xMin, xMax: piece[piece.length - 1]!.xMax, yMin: Number(m[2]) });
      }
    }
  });
  return out;
}

interface Checked {
  /** Lines ending (or starting) inside a word, with the word. */
  broken: string[];
  /** Lines found in no paragraph of a cell under them (the page counter). */
  unmatched: string[];
  matched: number;
}

function check(pdf: string, doc: LayoutDocument): Checked {
  const { horizontal, vertical } = sources(doc);
  const result: Checked = { broken: [], unmatched: [], matched: 0 };
  const within = (line: Line, [a, b]: [number, number]) => line.xMin >= a - 1 && line.xMax <= b + 1;
  const occurrences = (line: Line) => {
    const found: { s: Source; from: number; to: number }[] = [];
    for (const s of horizontal.filter((h) => within(line, h.xMm)))
      for (let k = s.squashed.indexOf(line.text); k >= 0; k = s.squashed.indexOf(line.text, k + 1)) found.push({ s, from: s.at[k]!, to: s.at[k + line.text.length - 1]! + 1 });
    return found;
  };
  // Poppler ends a line at a half-width kana with (han)dakuten (ﾊﾟﾌﾞﾘｯｸ) and goes on in another: the
  // pieces of one printed line (same page and height, one after the other) are joined where the
  // joined text stands in a cell under them.
  const merged: Line[] = [];
  for (const line of lines(pdf).sort((a, b) => a.page - b.page || a.yMin - b.yMin || a.xMin - b.xMin)) {
    const last = merged[merged.length - 1];
    if (last && last.page === line.page && Math.abs(last.yMin - line.yMin) < 1 && line.xMin > last.xMax && line.xMin - last.xMax < 8 && line.text) {
      const joined = { ...last, text: last.text + line.text, xMax: line.xMax };
      if (occurrences(joined).length) {
        merged[merged.length - 1] = joined;
        continue;
      }
    }
    merged.push(line);
  }
  for (const line of merged) {
    // Vertical band labels read back one character a line.
    if (vertical.some((v) => within(line, v)) || line.text === '') continue;
    const found = occurrences(line);
    if (found.length === 0) {
      result.unmatched.push(`p${line.page} ${line.text}`);
      continue;
    }
    result.matched++;
    // A short line may stand in several cells: it reads whole if it does in one of them.
    if (found.some(({ s, from, to }) => breakAllowed(s, from) && breakAllowed(s, to))) continue;
    const { s, from, to } = found[0]!;
    result.broken.push(`p${line.page}: ${s.chars.slice(Math.max(0, from - 4), from).join('')}｜${line.text}｜${s.chars.slice(to, to + 4).join('')}`);
  }
  return result;
}

let env: ReturnType<typeof seededDatabase>;
let dir: ReturnType<typeof tempDir>;
const docs: Record<string, LayoutDocument> = {};
const pdfs: Record<string, string> = {};

/** The print page as it was before phrases: no set breaks, breaking anywhere. */
const anywhere = (html: string) => html.replace(/<br>(?!<\/p>)|<wbr>/g, '').replace('word-break: keep-all', 'word-break: normal');

beforeAll(async () => {
  env = seededDatabase();
  dir = tempDir();
  const data = await planDocumentData(env.db.db);
  docs.fy2020 = buildActionPlanLayout(data, { fiscalYear: 2020 });
  docs.fy2021 = buildActionPlanLayout(data, { fiscalYear: 2021 });
  const pages = { fy2020: printPage(docs.fy2020), fy2021: printPage(docs.fy2021), anywhere: anywhere(printPage(docs.fy2020)) };
  const rendered = await chromiumPdfRenderer(Object.values(pages));
  Object.keys(pages).forEach((k, i) => {
    pdfs[k] = join(dir.dir, `${k}.pdf`);
    writeFileSync(pdfs[k], rendered[i]!);
  });
}, 180_000);
afterAll(async () => {
  await env.cleanup();
  dir.cleanup();
});

describe('line breaks in the printed action plans', () => {
  it.each(['fy2020', 'fy2021'])('%s: no line ends inside a word', (name) => {
    const { broken, unmatched, matched } = check(pdfs[name]!, docs[name]!);
    expect(broken, name).toEqual([]);
    expect(matched).toBeGreaterThan(300);
    expect(unmatched).toEqual([]);
  });

  it('finds the words broken when the page breaks anywhere (the check can fail)', () => {
    const { broken } = check(pdfs.anywhere!, docs.fy2020!);
    expect(broken.length).toBeGreaterThan(10);
  });
});
