import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { digitWidthMm } from './excel-metrics';
import type { WorkbookSheetFact } from './print-check';

/**
 * What each printed worksheet of an .xlsx file says about its printing, read from the file for the
 * print check (print-check.ts): paper, orientation, scale or fit-to-page, margins, the rows
 * repeated on every page, every row's height, the manual page breaks, the column widths in mm
 * and the font size of every cell with text. exceljs reads rows, columns and the page setup; the
 * page breaks, the Normal font (what column widths are counted in) and the font sizes come from
 * the XML itself (exceljs does not read breaks back, and reads sizes as whole points).
 */

const PAPER_CODES: Record<number, 'A4' | 'A3'> = { 9: 'A4', 8: 'A3' };
const INCH_MM = 25.4;
/** Excel's default column width in digits when a column has none (8.43 characters and the padding). */
const DEFAULT_COLUMN_DIGITS = 9.14;
/** Calibri's digits advance 0.507 em (7 px at 11 pt, 96 dpi): the width unit of workbooks left with Excel's own Normal style. */
const CALIBRI_DIGIT_EM = 0.507;

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The width of one digit of the workbook's Normal font in mm, or null for a font whose digits are not known here. */
function normalDigitMm(stylesXml: string): number | null {
  const xf = /<cellStyleXfs[^>]*>\s*<xf\b([^>]*)/.exec(stylesXml)?.[1] ?? '';
  const fontId = Number(attr(xf, 'fontId') ?? 0);
  const fonts = /<fonts\b[^>]*>([\s\S]*?)<\/fonts>/.exec(stylesXml)?.[1] ?? '';
  const font = [...fonts.matchAll(/<font\b[^>]*?(?:\/>|>([\s\S]*?)<\/font>)/g)][fontId]?.[1] ?? '';
  const size = Number(attr(/<sz\b[^>]*>/.exec(font)?.[0] ?? '', 'val') ?? 11);
  const name = unescape(attr(/<name\b[^>]*>/.exec(font)?.[0] ?? '', 'val') ?? 'Calibri');
  if (/^BIZ UDPゴシック$|^BIZ UDPGothic$/i.test(name)) return digitWidthMm(size);
  if (/^Calibri$/i.test(name)) return ((CALIBRI_DIGIT_EM * size) / 72) * INCH_MM;
  return null;
}

/** The XML part of each sheet by name (workbook.xml's sheets through its relationships). */
async function sheetParts(zip: JSZip): Promise<Map<string, string>> {
  const workbook = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
  const rels = (await zip.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const parts = new Map<string, string>();
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = attr(m[0], 'name');
    const id = attr(m[0], 'r:id');
    const target = id ? targets.get(id) : undefined;
    if (name !== undefined && target) parts.set(unescape(name), target);
  }
  return parts;
}

const entities = (s: string) => s.replace(/&(?:#x?[0-9a-fA-F]+|[a-z]+);/g, 'x');
/** The characters of the <t> elements of an XML fragment (phonetic guides left out), line breaks not counted. */
const textLength = (xml: string) =>
  [...xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)].reduce((n, m) => n + entities(m[1]!).replace(/[\r\n]/g, '').length, 0);
const sizeOf = (xml: string) => {
  const v = attr(/<sz\b[^>]*>/.exec(xml)?.[0] ?? '', 'val');
  return v === undefined ? undefined : Number(v);
};

/** A string's runs: size (undefined: the cell's) and length. */
type Runs = { pt: number | undefined; chars: number }[];

/** A string item (<si> or <is>): its rich-text runs with their own sizes, or one run in the cell's font. */
function runsOf(item: string): Runs {
  const runs = [...item.matchAll(/<r>([\s\S]*?)<\/r>/g)];
  if (runs.length === 0) return [{ pt: undefined, chars: textLength(item) }];
  return runs.map((r) => ({ pt: sizeOf(/<rPr>([\s\S]*?)<\/rPr>/.exec(r[1]!)?.[1] ?? ''), chars: textLength(r[1]!) }));
}

/**
 * The font size of every run of text in the rows below `titleRows`, read from the sheet's XML (exceljs
 * reads font sizes as whole numbers: 8.5 pt would come back as 8).
 */
function bodyTextOf(sheetXml: string, titleRows: number, shared: Runs[], cellFontPt: number[], normalPt: number): WorkbookSheetFact['bodyText'] {
  const out: WorkbookSheetFact['bodyText'] = [];
  for (const m of sheetXml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const attrs = m[1]!;
    const inner = m[2] ?? '';
    const row = Number(/^[A-Z]+(\d+)$/.exec(attr(attrs, 'r') ?? '')?.[1] ?? 0);
    if (row <= titleRows || inner === '') continue;
    const cellPt = cellFontPt[Number(attr(attrs, 's') ?? 0)] ?? normalPt;
    const type = attr(attrs, 't');
    const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
    // A merged range's other cells hold no value: only its first cell's text is counted.
    const runs: Runs = type === 's' ? (shared[Number(v)] ?? []) : type === 'inlineStr' ? runsOf(inner) : v !== undefined ? [{ pt: undefined, chars: entities(v).length }] : [];
    for (const r of runs) if (r.chars > 0) out.push({ pt: r.pt ?? cellPt, chars: r.chars });
  }
  return out;
}

/** The font size of each cell format (cellXfs, by index) and of the Normal font. */
function cellFontSizes(stylesXml: string): { cellFontPt: number[]; normalPt: number } {
  const fonts = [...(/<fonts\b[^>]*>([\s\S]*?)<\/fonts>/.exec(stylesXml)?.[1] ?? '').matchAll(/<font\b[^>]*?(?:\/>|>([\s\S]*?)<\/font>)/g)].map((f) => sizeOf(f[1] ?? '') ?? 11);
  const xfs = [...(/<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)?.[1] ?? '').matchAll(/<xf\b[^>]*>/g)];
  const normalXf = /<cellStyleXfs[^>]*>\s*<xf\b([^>]*)/.exec(stylesXml)?.[1] ?? '';
  const normalPt = fonts[Number(attr(normalXf, 'fontId') ?? 0)] ?? 11;
  return { cellFontPt: xfs.map((x) => fonts[Number(attr(x[0], 'fontId') ?? 0)] ?? normalPt), normalPt };
}

/** The visible worksheets of a workbook, in order, as the print check needs them. */
export async function readWorkbookSheets(xlsx: Uint8Array): Promise<WorkbookSheetFact[]> {
  const zip = await JSZip.loadAsync(xlsx);
  const styles = (await zip.file('xl/styles.xml')?.async('string')) ?? '';
  const digitMm = normalDigitMm(styles);
  const { cellFontPt, normalPt } = cellFontSizes(styles);
  const sharedXml = (await zip.file('xl/sharedStrings.xml')?.async('string')) ?? '';
  const shared = [...sharedXml.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => runsOf(m[1]!));
  const parts = await sheetParts(zip);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  const facts: WorkbookSheetFact[] = [];
  for (const ws of wb.worksheets) {
    if (ws.state !== 'visible') continue;
    const part = parts.get(ws.name);
    const xml = part ? ((await zip.file(part)?.async('string')) ?? '') : '';
    const breaks = /<rowBreaks\b[^>]*>([\s\S]*?)<\/rowBreaks>/.exec(xml)?.[1] ?? '';
    const breaksAfter = [...breaks.matchAll(/<brk\b[^>]*>/g)].map((b) => Number(attr(b[0], 'id'))).filter((n) => n > 0);
    const setup = ws.pageSetup;
    const m = setup.margins ?? { top: 0.75, bottom: 0.75, left: 0.7, right: 0.7, header: 0.3, footer: 0.3 };
    const titles = /^\$?(\d+):\$?(\d+)$/.exec(setup.printTitlesRow ?? '');
    const titleRows = titles && Number(titles[1]) === 1 ? Number(titles[2]) : 0;
    const defaultHeight = ws.properties.defaultRowHeight ?? 15;
    const rowHeightsPt: number[] = [];
    for (let r = 1; r <= ws.rowCount; r++) rowHeightsPt.push(ws.getRow(r).height ?? defaultHeight);
    const columnCount = Math.max(ws.columnCount, ws.columns?.length ?? 0);
    const columnsMm =
      digitMm === null ? null : Array.from({ length: columnCount }, (_, i) => (ws.getColumn(i + 1).width ?? ws.properties.defaultColWidth ?? DEFAULT_COLUMN_DIGITS) * digitMm);
    const paper = setup.paperSize === undefined ? null : (PAPER_CODES[Number(setup.paperSize)] ?? Number(setup.paperSize));
    facts.push({
      name: ws.name,
      paper,
      orientation: setup.orientation === 'landscape' ? 'landscape' : 'portrait',
      scalePct: setup.scale ?? 100,
      fitTo: setup.fitToPage ? { width: setup.fitToWidth ?? 1, height: setup.fitToHeight ?? 1 } : null,
      marginsMm: { top: m.top * INCH_MM, right: m.right * INCH_MM, bottom: m.bottom * INCH_MM, left: m.left * INCH_MM },
      columnsMm,
      rowHeightsPt,
      titleRows,
      breaksAfter,
      bodyText: bodyTextOf(xml, titleRows, shared, cellFontPt, normalPt),
    });
  }
  return facts;
}
