import { excerpt } from '../../shared/text/excerpt';
import type { FileProblems } from './file-problems';

/**
 * What exceljs reads too kindly, checked on the sheet XML itself before it loads: a number cell
 * whose `<v>` is not a decimal number (exceljs turns `0x1A` into 0 and ` 12` into 12), a
 * shared-string index that points nowhere (an empty cell to exceljs), a boolean that is neither 0
 * nor 1. It also finds the inline strings that hold Excel's `_xHHHH_` escapes: exceljs decodes
 * them in shared strings and rich text but leaves them literal in a plain inline string, so the
 * loader decodes exactly those cells (decoding every text would decode the shared ones twice).
 */

/** xsd:double as Excel writes it; anything else in a number cell is refused, never guessed. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
export const ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,8}|#\d{1,10}|\w+);/g, (m, e: string) => {
    const code = e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : e.startsWith('#') ? Number(e.slice(1)) : null;
    // A reference past Unicode stays as written (fromCodePoint would throw): the name then matches no sheet.
    if (code !== null) return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    return entities[e] ?? m;
  });
}

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s(?:\\w+:)?${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? unescapeXml(m[2] ?? m[3] ?? '') : undefined;
};

/** Sheet name → its part in the zip, from xl/workbook.xml and its relationships. */
export function sheetParts(parts: Map<string, Buffer>): Map<string, string> {
  const out = new Map<string, string>();
  const workbook = parts.get('xl/workbook.xml')?.toString('utf8') ?? '';
  const rels = parts.get('xl/_rels/workbook.xml.rels')?.toString('utf8') ?? '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`);
  }
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = attr(m[0], 'name');
    const target = targets.get(attr(m[0], 'id') ?? '');
    if (name !== undefined && target) out.set(name, target);
  }
  return out;
}

const colName = (n: number): string => (n <= 0 ? '' : colName(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));
const colNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/** The addresses (by sheet) of plain inline-string cells that hold an `_xHHHH_` escape. */
export type EscapedCells = Map<string, Set<string>>;

interface CellScan {
  address: string;
  row: number;
  type: string;
  formula: boolean;
  v: string | undefined;
  rich: boolean;
  text: string;
}

/**
 * The tags a cell is made of, in one pass over the sheet (linear: a regex per row or cell that
 * looks ahead for its closing tag would rescan the rest of a sheet whose closing tags are gone).
 */
const TAG = /<(\/?)(?:[A-Za-z_][\w.-]*:)?(row|c|v|f|is|r|t)(?=[\s>/])([^>]*)>/g;

export function checkCellXml(parts: Map<string, Buffer>, problems: FileProblems): EscapedCells {
  const escaped: EscapedCells = new Map();
  const sst = parts.get('xl/sharedStrings.xml')?.toString('utf8');
  const sharedCount = sst === undefined ? 0 : (sst.match(/<(?:\w+:)?si[\s>/]/g) ?? []).length;
  for (const [sheet, path] of sheetParts(parts)) {
    const xml = parts.get(path)?.toString('utf8');
    if (xml === undefined) continue;
    let rowNo = 0;
    let colNo = 0;
    let cell: CellScan | null = null;
    let valueStart = -1;
    let textStart = -1;
    const finish = (c: CellScan) => {
      if (c.formula) return; // formulas are refused by the reader, with their own message
      const place = { sheet, row: c.row, address: c.address };
      const v = c.v;
      if (c.type === 'n' && v !== undefined && (!DECIMAL.test(v) || !Number.isFinite(Number(v))))
        problems.add(place, `数値のセルに数値として読めない値（${excerpt(v, 20)}）が入っています。数値を入力し直してください。`, `number cell <v>${JSON.stringify(v.slice(0, 40))}</v> is not a decimal number`);
      else if (c.type === 's' && (v === undefined || !/^\d+$/.test(v) || Number(v) >= sharedCount))
        problems.add(place, 'セルの文字列がブックの中に見つかりません（ファイルが壊れています）。Excel で開いて保存し直してください。', `shared string index ${JSON.stringify((v ?? '').slice(0, 20))} of ${sharedCount}`);
      else if (c.type === 'b' && v !== undefined && v !== '0' && v !== '1')
        problems.add(place, `TRUE/FALSE のセルに読めない値（${excerpt(v, 20)}）が入っています。`, `boolean cell <v>${JSON.stringify(v.slice(0, 40))}</v>`);
      else if (c.type === 'inlineStr' && !c.rich && /_x[0-9A-Fa-f]{4}_/.test(c.text)) {
        const set = escaped.get(sheet) ?? new Set<string>();
        set.add(c.address);
        escaped.set(sheet, set);
      }
    };
    for (const m of xml.matchAll(TAG)) {
      const closing = m[1] === '/';
      const name = m[2]!;
      const attrs = m[3] ?? '';
      const selfClosing = attrs.endsWith('/');
      if (name === 'row' && !closing) {
        const r = Number(attr(attrs, 'r') ?? NaN);
        rowNo = Number.isInteger(r) && r > 0 ? r : rowNo + 1;
        colNo = 0;
      } else if (name === 'c') {
        if (closing) {
          if (cell) finish(cell);
          cell = null;
          continue;
        }
        if (cell) finish(cell);
        const ref = attr(attrs, 'r');
        const at = ref ? /^([A-Z]{1,3})(\d+)$/.exec(ref) : null;
        colNo = at ? colNumber(at[1]!) : colNo + 1;
        cell = { address: at ? ref! : `${colName(colNo)}${rowNo}`, row: rowNo, type: attr(attrs, 't') ?? 'n', formula: false, v: undefined, rich: false, text: '' };
        if (selfClosing) {
          finish(cell);
          cell = null;
        }
      } else if (!cell) continue;
      else if (name === 'f' && !closing) cell.formula = true;
      else if (name === 'r' && !closing) cell.rich = true;
      else if (name === 'v') {
        if (!closing && selfClosing) cell.v = '';
        else if (!closing) valueStart = (m.index ?? 0) + m[0].length;
        else if (valueStart >= 0) {
          cell.v = xml.slice(valueStart, m.index);
          valueStart = -1;
        }
      } else if (name === 't') {
        if (!closing && !selfClosing) textStart = (m.index ?? 0) + m[0].length;
        else if (closing && textStart >= 0) {
          cell.text += xml.slice(textStart, m.index);
          textStart = -1;
        }
      }
    }
    if (cell) finish(cell);
  }
  return escaped;
}

/** Excel's escapes decoded: `_x0007_` is U+0007, `_x005F_` an underscore (so `_x005F_x0007_` stays literal). */
export function decodeEscapes(text: string): string {
  return text.replace(ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
