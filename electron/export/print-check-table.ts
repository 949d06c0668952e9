import type { PrintCheck, PrintSide } from './print-check';

/**
 * The print check as a table for a terminal (`export --check`): one line per sheet with the PDF's
 * and the workbook's figures side by side, then the warnings as plain sentences, then the verdict.
 * Columns are padded by display width (kana, kanji and ①… take two cells in a Japanese terminal).
 */

/** Cells a character takes in a terminal: East Asian wide and full-width characters (and ①…, ambiguous, wide in Japanese terminals) take two. */
function cells(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2460 && c <= 0x24ff) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      c >= 0x20000;
    n += wide ? 2 : 1;
  }
  return n;
}

const pad = (text: string, width: number, right = false) => {
  const fill = ' '.repeat(Math.max(0, width - cells(text)));
  return right ? fill + text : text + fill;
};

const pt = (side: PrintSide | null) => (side === null ? '—' : side.bodyPt === null ? '（なし）' : side.bodyPt.toFixed(1));
const fill = (side: PrintSide | null) => (side === null ? '—' : side.fillPct.join('・'));
const pages = (side: PrintSide | null) => (side === null ? '—' : String(side.pages));

/** The check as lines of text (no trailing newline). */
export function printCheckTable(check: PrintCheck): string {
  const header = ['面', '用紙', '本文pt PDF', '本文pt Excel', '充填率% PDF', '充填率% Excel', 'ページ数 PDF', 'ページ数 Excel'];
  const rows = check.sheets.map((s) => {
    const paper = s.pdf?.paper ?? s.xlsx?.paper ?? '—';
    const scaled = s.xlsx && s.xlsx.scalePct !== 100 ? `（${s.xlsx.scalePct}%）` : '';
    return [s.mark, paper, pt(s.pdf), pt(s.xlsx) + scaled, fill(s.pdf), fill(s.xlsx), pages(s.pdf), pages(s.xlsx)];
  });
  const widths = header.map((h, i) => Math.max(cells(h), ...rows.map((r) => cells(r[i]!))));
  const line = (r: string[]) => r.map((c, i) => pad(c, widths[i]!, i >= 2)).join('  ').trimEnd();
  const warnings = [...check.warnings, ...check.sheets.flatMap((s) => s.warnings)];
  return [
    `印刷チェック: ${check.title}`,
    line(header),
    ...rows.map(line),
    '（充填率: 印刷できる高さに対する内容の高さ。PDFはレイアウトの見積もり、Excelは書き出した行の高さから。PDFの面ごとのページ数はレイアウトの改ページで、書き出したPDFの総ページ数・用紙と照合済み）',
    '',
    ...(warnings.length === 0 ? ['問題はありません。'] : [...warnings.map((w) => `注意: ${w}`), `注意 ${warnings.length} 件`]),
  ].join('\n');
}
