import { type LayoutCell, type LayoutDocument, type LayoutRow, type LayoutSheet, type Paragraph, paperMm, paragraphText } from './model';
import { breakRanks, PHRASE_BREAK } from '../text/phrases';
import { SHEET_GAP_MM } from './fit';
import { breakOptions, CELL_PADDING_X_MM, CELL_PADDING_Y_MM, cellTextWidthEm, LINE_HEIGHT, paragraphLineStarts, PRINT_METRICS } from './text-measure';

/**
 * The print layout as one self-contained HTML page (pure string building). Chromium prints it to
 * PDF (Electron's printToPDF in the app, Playwright's page.pdf() in tests and the command line),
 * the app prints it through the OS dialog, and the print preview shows it in an iframe: one page,
 * so they cannot disagree. Each sheet starts a new page; its header rows repeat on every page it
 * runs over (thead); a printed table row never splits across pages (break-inside: avoid).
 *
 * Lines break where text-measure.ts says (<br>): between phrases, not inside a word (BudouX, with
 * 禁則), so the printed lines are the ones the font size was chosen by. Should a line come out wider
 * than estimated, the browser may still break it between phrases (<wbr>, word-break: keep-all), and
 * a phrase longer than the line anywhere (overflow-wrap: anywhere) rather than let it overflow.
 */

/** The font the document is set in; the caller supplies its @font-face rules (inlined, so every machine prints the same). */
export const PRINT_FONT_FAMILY = "'BIZ UDPGothic', 'Noto Sans CJK JP', 'Noto Sans JP', sans-serif";

/** The content security policy of the print page: no scripts, no requests; inline styles and inlined fonts only. */
export const PRINT_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:";

const escapeMap: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => escapeMap[c]!);

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** The characters printed in regular and in bold type: the font subsets the page needs. */
export function documentCharacters(doc: LayoutDocument): { regular: string; bold: string } {
  const regular = new Set<string>();
  const bold = new Set<string>();
  const add = (set: Set<string>, text: string) => {
    for (const ch of text) set.add(ch);
  };
  add(regular, doc.title + '0123456789 /-');
  for (const sheet of doc.sheets)
    for (const row of [...sheet.header, ...sheet.body.flatMap((g) => g.rows), ...sheet.footer])
      for (const c of row.cells) for (const p of c.paragraphs) for (const r of p) add(c.bold || r.bold ? bold : regular, verticalText(c, r.text));
  return { regular: [...regular].join(''), bold: [...bold].join('') };
}

/** Vertical band labels set half-width signs upright as their full-width forms. */
function verticalText(c: Pick<LayoutCell, 'vertical'>, text: string): string {
  return c.vertical ? text.replace(/\//g, '／').replace(/-/g, '｜') : text;
}

function pageName(sheet: LayoutSheet): string {
  const m = sheet.marginsMm;
  return `p-${sheet.paper}-${sheet.orientation}-${[m.top, m.right, m.bottom, m.left].map((v) => fmt(v).replace('.', '_')).join('-')}`;
}

function pageRules(doc: LayoutDocument): string {
  const seen = new Map<string, LayoutSheet>();
  for (const s of doc.sheets) seen.set(pageName(s), s);
  const counter = doc.pageNumbers
    ? `@bottom-right { content: counter(page) " / " counter(pages); font-family: ${PRINT_FONT_FAMILY}; font-size: 7pt; color: #555; vertical-align: middle; }`
    : '';
  return [...seen.entries()]
    .map(([name, s]) => {
      const m = s.marginsMm;
      return `@page ${name} { size: ${s.paper} ${s.orientation}; margin: ${fmt(m.top)}mm ${fmt(m.right)}mm ${fmt(m.bottom)}mm ${fmt(m.left)}mm; ${counter} }`;
    })
    .join('\n');
}

function screenRules(doc: LayoutDocument): string {
  // On screen (the print preview) each sheet is drawn as a sheet of paper.
  return doc.sheets
    .map((s, i) => {
      const p = paperMm[s.paper];
      const [w, h] = s.orientation === 'landscape' ? [p.width, p.height] : [p.height, p.width];
      const m = s.marginsMm;
      return `section.sheet[data-index="${i}"] { width: ${w}mm; min-height: ${h}mm; padding: ${fmt(m.top)}mm ${fmt(m.right)}mm ${fmt(m.bottom)}mm ${fmt(m.left)}mm; }`;
    })
    .join('\n');
}

/** A run's text with <br> where a line starts and <wbr> between phrases; `at` is the run's first character in its paragraph. */
function runHtml(text: string, at: number, lineStarts: Set<number>, ranks: Uint8Array): string {
  let out = '';
  let piece = '';
  let i = at;
  for (const ch of text) {
    if (i > 0 && (lineStarts.has(i) || ranks[i] === PHRASE_BREAK)) {
      out += escapeHtml(piece) + (lineStarts.has(i) ? '<br>' : '<wbr>');
      piece = '';
    }
    piece += ch;
    i++;
  }
  return out + escapeHtml(piece);
}

function paragraphHtml(p: Paragraph, c: LayoutCell, widthEm: number): string {
  const text = paragraphText(p);
  const bullet = c.hangingBullets && text.startsWith('・');
  let inner: string;
  if (c.vertical) inner = p.map((r) => (r.bold && !c.bold ? `<b>${escapeHtml(verticalText(c, r.text))}</b>` : escapeHtml(verticalText(c, r.text)))).join('');
  else {
    const lineStarts = new Set(paragraphLineStarts(p, widthEm, breakOptions(PRINT_METRICS, c.hangingBullets, p)));
    const ranks = breakRanks(text);
    let at = 0;
    inner = p
      .map((r) => {
        const html = runHtml(r.text, at, lineStarts, ranks);
        at += [...r.text].length;
        return r.bold && !c.bold ? `<b>${html}</b>` : html;
      })
      .join('');
  }
  return `<p${bullet ? ' class="bl"' : ''}>${inner || '<br>'}</p>`;
}

function cellHtml(c: LayoutCell, columnsMm: number[], basePt: number): string {
  const classes = [c.border ? 'b' : 'nb', c.bold ? 'bold' : '', `a-${c.align}`, `v-${c.valign}`].filter(Boolean).join(' ');
  const styles: string[] = [];
  if (c.scale !== 1) styles.push(`font-size: ${fmt(basePt * c.scale)}pt`);
  if (c.fill) styles.push(`background: ${c.fill}`);
  const attrs = [
    `class="${classes}"`,
    c.colSpan > 1 ? `colspan="${c.colSpan}"` : '',
    c.rowSpan > 1 ? `rowspan="${c.rowSpan}"` : '',
    `data-role="${c.role}"`,
    styles.length ? `style="${styles.join('; ')}"` : '',
  ].filter(Boolean);
  const widthEm = cellTextWidthEm(c, columnsMm, basePt);
  const body = c.paragraphs.map((p) => paragraphHtml(p, c, widthEm)).join('');
  return `<td ${attrs.join(' ')}>${c.vertical ? `<div class="vt">${body}</div>` : body}</td>`;
}

function rowsHtml(rows: LayoutRow[], columnsMm: number[], basePt: number): string {
  return rows.map((r) => `<tr>${r.cells.map((c) => cellHtml(c, columnsMm, basePt)).join('')}</tr>`).join('\n');
}

/** The header rows with the page mark cell showing `mark` (⑦-1, ⑦-2, … on the pages of a sheet that runs over several). */
function markedHeader(header: LayoutRow[], mark: string | null): LayoutRow[] {
  return header.map((r) => ({ ...r, cells: r.cells.map((c) => (c.role === 'pageMark' && mark !== null ? { ...c, paragraphs: [[{ text: mark }]] } : c)) }));
}

function sheetHtml(sheet: LayoutSheet, index: number): string {
  // A sheet the layout paginated prints each of its pages as a section of its own: the PDF breaks
  // where the layout says (deterministically) and each page carries its own mark.
  const pages = sheet.pages && sheet.pages.length > 1 ? sheet.pages : [null];
  return pages
    .map((p) => {
      const groups = p ? sheet.body.slice(p.firstGroup, p.firstGroup + p.groupCount) : sheet.body;
      return sectionHtml(sheet, index, p ? markedHeader(sheet.header, p.mark) : sheet.header, groups, p?.mark ?? null);
    })
    .join('\n');
}

function sectionHtml(sheet: LayoutSheet, index: number, header: LayoutRow[], body: LayoutSheet['body'], mark: string | null): string {
  const width = sheet.columnsMm.reduce((a, b) => a + b, 0);
  const cols = sheet.columnsMm.map((w) => `<col style="width: ${fmt(w)}mm">`).join('');
  const groups = body.map((g) => `<tbody class="group">${rowsHtml(g.rows, sheet.columnsMm, sheet.fontSizePt)}</tbody>`).join('\n');
  return `<section class="sheet${sheet.continuesPage ? ' cont' : ''}" data-index="${index}" data-sheet="${escapeHtml(sheet.name)}"${mark ? ` data-page-mark="${escapeHtml(mark)}"` : ''} style="page: ${pageName(sheet)}; font-size: ${fmt(sheet.fontSizePt)}pt">
<table style="width: ${fmt(width)}mm"><colgroup>${cols}</colgroup>
<thead>${rowsHtml(header, sheet.columnsMm, sheet.fontSizePt)}</thead>
${groups}
${sheet.footer.length ? `<tfoot>${rowsHtml(sheet.footer, sheet.columnsMm, sheet.fontSizePt)}</tfoot>` : ''}
</table>
</section>`;
}

/** The whole print page. `fontFaceCss` holds the @font-face rules of PRINT_FONT_FAMILY (see documentCharacters). */
export function renderPrintHtml(doc: LayoutDocument, fontFaceCss: string): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PRINT_PAGE_CSP}">
<title>${escapeHtml(doc.title)}</title>
<style>
${fontFaceCss}
${pageRules(doc)}
html { font-family: ${PRINT_FONT_FAMILY}; color: #000; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
section.sheet { break-before: page; box-sizing: border-box; }
section.sheet:first-of-type { break-before: auto; }
section.sheet.cont { break-before: auto; break-inside: avoid; margin-top: ${SHEET_GAP_MM}mm; }
table { border-collapse: collapse; table-layout: fixed; }
td { padding: ${CELL_PADDING_Y_MM}mm ${CELL_PADDING_X_MM}mm; line-height: ${LINE_HEIGHT}; overflow-wrap: anywhere; word-break: keep-all; line-break: strict; overflow: visible; }
td.b { border: 0.25mm solid #333; }
td.nb { border: none; }
td.bold { font-weight: 700; }
td.a-left { text-align: left; } td.a-center { text-align: center; } td.a-right { text-align: right; }
td.v-top { vertical-align: top; } td.v-middle { vertical-align: middle; } td.v-bottom { vertical-align: bottom; }
td p { margin: 0; }
td p.bl { padding-left: 1em; text-indent: -1em; }
td b { font-weight: 700; }
td .vt { writing-mode: vertical-rl; text-orientation: upright; margin: 0 auto; letter-spacing: 0.02em; word-break: normal; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tbody.group, tr { break-inside: avoid; }
@media screen {
  html { background: #7d838a; }
  body { padding: 6mm 0; }
  section.sheet { background: #fff; margin: 0 auto 6mm; box-shadow: 0 1px 6px rgba(0, 0, 0, 0.45); }
${screenRules(doc)}
}
@media print {
  section.sheet { width: auto; min-height: 0; padding: 0; margin: 0; box-shadow: none; }
}
</style>
</head>
<body>
${doc.sheets.map(sheetHtml).join('\n')}
</body>
</html>
`;
}
