import ExcelJS from 'exceljs';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import { importLimits } from '../../shared/import/limits';
import { checkCellXml, decodeEscapes } from './cell-xml-check';
import { type CellPlace, FileProblems } from './file-problems';
import { readZipDirectory, verifyZipEntries } from './zip-check';
import { normalizeText, unwantedCharacter } from '../../shared/model/field-rules';
import { richTextOf } from '../files/workbook-text';

/**
 * Opens an .xlsx safely (zip checked and inflated with caps first, then exceljs' normal loader:
 * never its streaming reader, which corrupts Japanese text) and reads cells as plain values,
 * refusing what a person can only have put there by mistake: formulas, error values, huge texts.
 */

export async function loadWorkbook(bytes: Buffer, fileName: string, onProgress?: (fraction: number) => void): Promise<ExcelJS.Workbook> {
  const entries = readZipDirectory(bytes, fileName);
  if (!entries.some((e) => e.name === 'xl/workbook.xml'))
    throw new AppError(
      'bad_file',
      `「${fileName}」は Excel ブック（.xlsx）ではありません（zip ファイルですが、ブックの中身がありません）。`,
      `${fileName}: a zip without xl/workbook.xml`,
    );
  const parts = verifyZipEntries(bytes, entries, fileName, undefined, (name) => /^xl\/.*\.(xml|rels)$/i.test(name));
  const problems = new FileProblems(fileName);
  const escaped = checkCellXml(parts, problems);
  parts.clear();
  problems.throwIfAny();
  onProgress?.(0.2);
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs' typings ask for an ArrayBuffer; it takes a Node Buffer (JSZip reads both).
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new AppError('bad_file', `「${fileName}」は壊れているため読めません（Excel ブックとして開けません）。`, `${fileName}: exceljs cannot load it: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const [sheet, addresses] of escaped) {
    const ws = wb.getWorksheet(sheet);
    if (!ws) continue;
    for (const address of addresses) {
      const cell = ws.getCell(address);
      if (typeof cell.value === 'string') cell.value = decodeEscapes(cell.value);
    }
  }
  onProgress?.(1);
  return wb;
}

export { type CellPlace, FileProblems, placeRef, placeText } from './file-problems';

export type PlainCell = { kind: 'empty' } | { kind: 'text'; text: string } | { kind: 'number'; value: number } | { kind: 'refused' };

const pad = (n: number) => String(n).padStart(2, '0');

/** Whether a cell's text holds only characters a plan cell may hold; else a problem at its place. */
export function charactersAllowed(text: string, place: CellPlace, problems: FileProblems): boolean {
  const bad = unwantedCharacter(text);
  if (bad) problems.add(place, `表示できない制御文字（${bad}）が入っています。その文字を消してから取り込んでください。`, `control character ${bad} in cell text`);
  return bad === null;
}

/**
 * A cell's value as a person sees it, or a problem (formula, error, date where a number is meant,
 * too long). With `emphasis` (a field that carries emphasised phrases) bold type reads as marks.
 */
export function plainCell(cell: ExcelJS.Cell, place: CellPlace, problems: FileProblems, emphasis = false): PlainCell {
  // A merged cell's value is in its top-left cell only.
  if (cell.isMerged && cell.master.address !== cell.address) return { kind: 'empty' };
  const v = cell.value;
  if (v === null || v === undefined) return { kind: 'empty' };
  if (typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) {
    problems.add(place, '数式が入っています。数式は取り込めません。値だけを入力してください（コピーして「値として貼り付け」）。', `formula ${JSON.stringify(('formula' in v ? v.formula : v.sharedFormula) ?? '')}`);
    return { kind: 'refused' };
  }
  if (typeof v === 'object' && 'error' in v) {
    problems.add(place, `エラー値（${String(v.error)}）が入っています。`, `error value ${String(v.error)}`);
    return { kind: 'refused' };
  }
  let text: string;
  if (typeof v === 'number') return { kind: 'number', value: v };
  if (typeof v === 'boolean') text = v ? 'TRUE' : 'FALSE';
  else if (v instanceof Date) text = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  else if (typeof v === 'string') text = emphasis && cell.font?.bold ? richTextOf([{ text: v }], true, true) : v;
  else if (typeof v === 'object' && 'richText' in v) text = richTextOf(v.richText, emphasis, !!cell.font?.bold);
  else if (typeof v === 'object' && 'text' in v) text = typeof v.text === 'string' ? v.text : richTextOf((v.text as ExcelJS.CellRichTextValue).richText, emphasis, !!cell.font?.bold);
  else text = String(v as unknown);
  if (text.length > importLimits.cellChars) {
    problems.add(place, `文字数が多すぎます（${text.length.toLocaleString('ja-JP')} 文字、上限 ${importLimits.cellChars.toLocaleString('ja-JP')} 文字）。`, `cell text of ${text.length} characters`);
    return { kind: 'refused' };
  }
  const normalized = normalizeText(text);
  if (!charactersAllowed(normalized, place, problems)) return { kind: 'refused' };
  return normalized.trim() === '' ? { kind: 'empty' } : { kind: 'text', text: normalized };
}

/** The text of a cell for a text field: null when empty. */
export function cellText(cell: ExcelJS.Cell, place: CellPlace, problems: FileProblems, emphasis = false): string | null {
  const c = plainCell(cell, place, problems, emphasis);
  if (c.kind === 'text') return c.text;
  if (c.kind === 'number') return String(c.value);
  return null;
}

/**
 * The sheet's last row that holds a value, refusing sheets longer than the limit. Rows that are
 * only formatted do not count (one formatted empty cell at row 1,048,576 is not a long sheet), and
 * the count visits only the rows the file has, so the work is bounded by the real data.
 */
export function lastRowOf(ws: ExcelJS.Worksheet, problems: FileProblems): number {
  let n = 0;
  ws.eachRow((_row, number) => {
    n = Math.max(n, number);
  });
  if (n > importLimits.sheetRows) {
    problems.add(null, `シート「${excerpt(ws.name)}」の行が多すぎます（${n.toLocaleString('ja-JP')} 行、上限 ${importLimits.sheetRows.toLocaleString('ja-JP')} 行）。`, `sheet ${ws.name} has ${n} rows`);
    problems.throwIfAny();
  }
  return n;
}
