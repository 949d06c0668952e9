/**
 * Tab-separated text as Excel and LibreOffice put it on the clipboard: cells separated by tabs,
 * rows by CR LF (or LF), a cell holding a tab, line break or quote wrapped in double quotes with
 * inner quotes doubled, and one trailing line break after the last row.
 */

/** Reads clipboard text into rows of cells. A trailing line break does not make an empty last row. */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  const n = text.length;
  let atCellStart = true;
  while (i < n) {
    const c = text[i]!;
    if (atCellStart && c === '"') {
      // A quoted cell: runs to the closing quote that is not doubled.
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < n) {
        const d = text[j]!;
        if (d === '"') {
          if (text[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        value += d;
        j++;
      }
      const next = text[j];
      if (closed && (j >= n || next === '\t' || next === '\n' || next === '\r')) {
        cell = value;
        i = j;
        atCellStart = false;
        continue;
      }
      // Not a well-formed quoted cell (e.g. 「"A" 社」): take the text literally.
    }
    atCellStart = false;
    if (c === '\t') {
      row.push(cell);
      cell = '';
      atCellStart = true;
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atCellStart = true;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      cell += c;
      i++;
    }
  }
  if (!atCellStart || row.length > 0 || cell !== '') {
    row.push(cell);
    rows.push(row);
  }
  // Inside a quoted cell Excel writes line breaks as LF; keep them as LF.
  return rows.map((r) => r.map((v) => v.replace(/\r\n?/g, '\n')));
}

function quote(value: string): string {
  return /[\t\n\r"]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes rows of cells the way Excel reads them back: CR LF between rows and after the last. */
export function toTsv(rows: string[][]): string {
  return rows.map((r) => r.map(quote).join('\t')).join('\r\n') + (rows.length > 1 || (rows[0]?.length ?? 0) > 1 ? '\r\n' : '');
}
