import { escapeXml, readZip, removeSheet, setCellXml, sheetPath, writeZip, type ZipEntryOptions, type ZipFiles } from '../helpers/xlsx-patch';
import type { Random } from './random';
import { hostileText, numberLiteral, uuidFrom } from './values';

/**
 * Spoils a valid .xlsx (a fill-in workbook or an action-plan export) the way a colleague, another
 * program or a broken disk could: in the sheet XML (cell values and types, hidden ids, `_meta`,
 * shared strings, rows far down, entity tricks) and at the zip level (truncated, flipped bytes,
 * entries dropped, duplicated or lying about their size). Every step says what it did, so a
 * failing case can be told in one line.
 */

export interface WorkbookContext {
  /** Ids that exist in the plan, by table. */
  ids: Record<string, string[]>;
}

interface Book {
  files: ZipFiles;
  /** Extra entries written after the others (a second entry of the same name). */
  extra: [string, Buffer, ZipEntryOptions?][];
  options: Map<string, ZipEntryOptions>;
}

const sheetNames = (files: ZipFiles) => [...(files.get('xl/workbook.xml')?.toString('utf8') ?? '').matchAll(/<sheet\b[^>]*name="([^"]*)"/g)].map((m) => m[1]!);

function sheetXml(book: Book, name: string): { path: string; xml: string } | null {
  try {
    const path = sheetPath(book.files, name);
    const data = book.files.get(path);
    return data ? { path, xml: data.toString('utf8') } : null;
  } catch {
    return null;
  }
}

const colName = (n: number) => {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

const cellRefs = (xml: string) => [...xml.matchAll(/<c r="([A-Z]+)(\d+)"/g)].map((m) => ({ col: m[1]!, row: Number(m[2]) }));

/** The raw XML of a cell with an odd value or type. */
function rawCell(rnd: Random, ref: string, sharedCount: number): string {
  return rnd.weighted<() => string>([
    [5, () => `<c r="${ref}"><v>${escapeXml(numberLiteral(rnd))}</v></c>`],
    [5, () => `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(hostileText(rnd))}</t></is></c>`],
    [2, () => `<c r="${ref}" t="s"><v>${rnd.pick([String(rnd.int(Math.max(1, sharedCount))), String(sharedCount + 5), '-1', 'x', '99999999999'])}</v></c>`],
    [1, () => `<c r="${ref}" t="b"><v>${rnd.pick(['0', '1', '2', 'yes'])}</v></c>`],
    [1, () => `<c r="${ref}" t="d"><v>${rnd.pick(['2021-04-01T00:00:00Z', '2021-13-45', 'not a date', '+275760-09-13T00:00:00.001Z'])}</v></c>`],
    [1, () => `<c r="${ref}" t="e"><v>${rnd.pick(['#N/A', '#DIV/0!', '#REF!', 'nonsense'])}</v></c>`],
    [1, () => `<c r="${ref}"><f>${rnd.pick(['1+1', 'A1', 'INDIRECT("A"&amp;ROW())', ''])}</f><v>2</v></c>`],
    [1, () => `<c r="${ref}" t="str"><v>${escapeXml(hostileText(rnd))}</v></c>`],
    [1, () => `<c r="${ref}" t="n"><v>${escapeXml(hostileText(rnd).slice(0, 200))}</v></c>`],
    [1, () => `<c r="${ref}" t="inlineStr"><is><r><t>リッチ</t></r><r><rPr><b/></rPr><t>${escapeXml(hostileText(rnd).slice(0, 5000))}</t></r></is></c>`],
    [1, () => `<c r="${ref}" s="${rnd.int(400)}"/>`],
    [1, () => `<c r="${ref}" t="${rnd.pick(['q', '', 'inlineStr'])}"><v>1</v></c>`],
  ])();
}

/** Puts raw cell XML at ref, replacing the cell there or inserting it in its row. */
function putCell(xml: string, ref: string, raw: string): string {
  const placed = setCellXml(xml, ref, 0);
  return placed.replace(new RegExp(`<c r="${ref}"[^>]*?(/>|>[\\s\\S]*?</c>)`), () => raw);
}

/** A plausible edit, the kind a unit makes: analysis should accept it and apply it. */
function ordinaryValue(rnd: Random, ref: string): string {
  return rnd.chance(0.5)
    ? `<c r="${ref}"><v>${rnd.pick([0, 1, 5, 12, 120, 3300, 0.5, -2])}</v></c>`
    : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(rnd.pick(['・新しい取組', '見直し中', '国際部', '12件', '50%', '1,200万円', '・一\n・二']))}</t></is></c>`;
}

type Step = (rnd: Random, book: Book, ctx: WorkbookContext) => string | null;

const dataSheets = (book: Book) => sheetNames(book.files).filter((n) => n !== '_meta' && n !== '記入のしかた');

const editCell =
  (ordinary: boolean): Step =>
  (rnd, book) => {
    const names = dataSheets(book).length ? dataSheets(book) : sheetNames(book.files);
    if (names.length === 0) return null;
    const name = rnd.pick(names);
    const s = sheetXml(book, name);
    if (!s) return null;
    const refs = cellRefs(s.xml).filter((r) => r.row >= 4);
    const maxRow = Math.max(5, ...refs.map((r) => r.row));
    const target = refs.length && rnd.chance(0.8) ? rnd.pick(refs) : { col: colName(rnd.between(1, 12)), row: rnd.between(2, maxRow + 3) };
    const ref = `${target.col}${target.row}`;
    const shared = (book.files.get('xl/sharedStrings.xml')?.toString('utf8').match(/<si>/g) ?? []).length;
    const raw = ordinary ? ordinaryValue(rnd, ref) : rawCell(rnd, ref, shared);
    book.files.set(s.path, Buffer.from(putCell(s.xml, ref, raw)));
    return `${ordinary ? 'edit' : 'odd cell'} ${name}!${ref}: ${raw.slice(0, 120)}`;
  };

const editId: Step = (rnd, book, ctx) => {
  const names = dataSheets(book).length ? dataSheets(book) : sheetNames(book.files);
  if (names.length === 0) return null;
  const name = rnd.pick(names);
  const s = sheetXml(book, name);
  if (!s) return null;
  const rows = [...new Set(cellRefs(s.xml).filter((r) => r.row >= 4).map((r) => r.row))];
  if (rows.length === 0) return null;
  const row = rnd.pick(rows);
  const here = [...s.xml.matchAll(/<c r="A(\d+)"[^>]*t="s"[^>]*><v>(\d+)<\/v>/g)];
  const table = rnd.pick(Object.keys(ctx.ids));
  const value = rnd.weighted<() => string>([
    [3, () => rnd.pick(ctx.ids[table]!)],
    [2, () => uuidFrom(rnd)],
    [1, () => ''],
    [1, () => 'not-an-id'],
    [1, () => rnd.pick(ctx.ids[table]!).toUpperCase()],
    [1, () => ` ${rnd.pick(ctx.ids[table]!)} `],
    [1, () => hostileText(rnd)],
  ])();
  // Half the time: copy another row's id (a copied row, or two rows swapped).
  if (here.length > 1 && rnd.chance(0.4)) {
    const other = rnd.pick(here);
    book.files.set(s.path, Buffer.from(putCell(s.xml, `A${row}`, `<c r="A${row}" t="s"><v>${other[2]}</v></c>`)));
    return `id ${name}!A${row} := id of row ${other[1]}`;
  }
  book.files.set(s.path, Buffer.from(setCellXml(s.xml, `A${row}`, value)));
  return `id ${name}!A${row} := ${JSON.stringify(value.slice(0, 60))} (${table})`;
};

const editMeta: Step = (rnd, book, ctx) => {
  const s = sheetXml(book, '_meta');
  if (!s) return null;
  const rows = [...new Set(cellRefs(s.xml).map((r) => r.row))];
  const what = rnd.weighted<string>([
    [4, 'value'],
    [2, 'id'],
    [1, 'add-id'],
    [1, 'remove-row'],
    [1, 'delete-sheet'],
  ]);
  if (what === 'delete-sheet') return deleteSheet(book, '_meta');
  if (what === 'remove-row') {
    if (rows.length === 0) return null;
    const row = rnd.pick(rows);
    book.files.set(s.path, Buffer.from(s.xml.replace(new RegExp(`<row r="${row}"[^>]*?(/>|>[\\s\\S]*?</row>)`), '')));
    return `_meta row ${row} removed`;
  }
  const table = rnd.pick(Object.keys(ctx.ids));
  if (what === 'add-id') {
    const row = Math.max(0, ...rows) + 1;
    let xml = setCellXml(s.xml, `A${row}`, 'id');
    xml = setCellXml(xml, `B${row}`, rnd.pick(['actionRows', 'targets', 'focus', 'other']));
    xml = setCellXml(xml, `C${row}`, rnd.pick(ctx.ids[table]!));
    book.files.set(s.path, Buffer.from(xml));
    return `_meta extra id row ${row} (${table})`;
  }
  const row = what === 'id' ? rnd.pick(rows.filter((r) => r > 12).concat([13])) : rnd.between(1, 12);
  const col = what === 'id' ? 'C' : 'B';
  const value = rnd.weighted<() => string | number>([
    [3, () => hostileText(rnd)],
    [2, () => Number(rnd.pick(['0', '-1', '1', '2', '99', '2021', '1e999', '0.5']))],
    [2, () => rnd.pick(ctx.ids[table]!)],
    [1, () => uuidFrom(rnd)],
    [1, () => numberLiteral(rnd)],
  ])();
  const ref = `${col}${row}`;
  const raw = typeof value === 'number' ? `<c r="${ref}"><v>${Number.isFinite(value) ? value : '1e999'}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`;
  book.files.set(s.path, Buffer.from(putCell(s.xml, ref, raw)));
  return `_meta ${ref} := ${raw.slice(0, 100)}`;
};

function deleteSheet(book: Book, name: string): string | null {
  return removeSheet(book.files, name) ? `sheet ${name} deleted` : null;
}

const editShared: Step = (rnd, book) => {
  const sst = book.files.get('xl/sharedStrings.xml')?.toString('utf8');
  if (!sst) return null;
  const items = [...sst.matchAll(/<si>[\s\S]*?<\/si>/g)];
  if (items.length === 0) return null;
  const item = rnd.pick(items);
  const what = rnd.weighted<string>([
    [4, 'text'],
    [1, 'remove'],
    [1, 'empty-table'],
  ]);
  let next: string;
  if (what === 'remove') next = sst.replace(item[0], '');
  else if (what === 'empty-table') next = sst.replace(/<sst\b[^>]*>[\s\S]*<\/sst>/, '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>');
  else next = sst.replace(item[0], () => `<si><t xml:space="preserve">${escapeXml(hostileText(rnd))}</t></si>`);
  book.files.set('xl/sharedStrings.xml', Buffer.from(next));
  return `shared strings: ${what} (item ${items.indexOf(item)})`;
};

const editStructure: Step = (rnd, book) => {
  const names = sheetNames(book.files);
  if (names.length === 0) return null;
  const name = rnd.pick(names);
  const s = sheetXml(book, name);
  if (!s) return null;
  const rows = [...s.xml.matchAll(/<row r="(\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/row>)/g)];
  const what = rnd.weighted<string>([
    [3, 'far-formatted-cell'],
    [1, 'far-value'],
    [2, 'remove-row'],
    [1, 'duplicate-row'],
    [1, 'huge-dimension'],
    [1, 'truncate-xml'],
    [1, 'entities'],
    [1, 'nul'],
    [1, 'delete-sheet'],
    [1, 'rename-sheet'],
    [1, 'clear-key-row'],
    [1, 'no-r'],
  ]);
  const set = (xml: string) => book.files.set(s.path, Buffer.from(xml));
  switch (what) {
    case 'far-formatted-cell': {
      const row = rnd.pick([1_048_576, 100_001, 65_536, 200_000]);
      set(s.xml.replace('</sheetData>', `<row r="${row}" s="1" customFormat="1"><c r="${rnd.pick(['A', 'C', 'XFD'])}${row}" s="1"/></row></sheetData>`));
      return `${name}: formatted empty cell at row ${row}`;
    }
    case 'far-value': {
      const row = rnd.pick([1_048_576, 100_001, 99_999]);
      set(setCellXml(s.xml, `C${row}`, '遠くの値'));
      return `${name}: value at C${row}`;
    }
    case 'remove-row': {
      if (rows.length === 0) return null;
      const row = rnd.pick(rows);
      set(s.xml.replace(row[0], ''));
      return `${name}: row ${row[1]} removed`;
    }
    case 'duplicate-row': {
      if (rows.length === 0) return null;
      const row = rnd.pick(rows);
      set(s.xml.replace(row[0], row[0] + row[0]));
      return `${name}: row ${row[1]} written twice`;
    }
    case 'huge-dimension':
      set(s.xml.replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>'));
      return `${name}: dimension A1:XFD1048576`;
    case 'truncate-xml': {
      const at = rnd.int(s.xml.length);
      set(s.xml.slice(0, at));
      return `${name}: XML cut at ${at} of ${s.xml.length}`;
    }
    case 'entities': {
      const doctype = rnd.chance(0.5)
        ? '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
        : '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>';
      const xml = s.xml.replace(/(<\?xml[^>]*\?>)?/, (m) => `${m}${doctype}`);
      set(setCellXml(xml, 'D5', 'X').replace(/<t xml:space="preserve">X<\/t>/, rnd.chance(0.5) ? '<t>&e;</t>' : '<t>&x;</t>'));
      return `${name}: DOCTYPE with entities`;
    }
    case 'nul': {
      const at = rnd.int(s.xml.length);
      set(s.xml.slice(0, at) + '\u0000\u0001' + s.xml.slice(at));
      return `${name}: NUL inserted at ${at}`;
    }
    case 'delete-sheet':
      return deleteSheet(book, name);
    case 'rename-sheet': {
      const wb = book.files.get('xl/workbook.xml')!.toString('utf8');
      const to = rnd.pick(['_meta', 'Sheet1', names[0] ?? 'x', 'アクションプラン', '', '目標・実績'.repeat(10)]);
      book.files.set('xl/workbook.xml', Buffer.from(wb.replace(`name="${escapeXml(name)}"`, `name="${escapeXml(to)}"`)));
      return `sheet ${name} renamed ${to}`;
    }
    case 'clear-key-row': {
      const row1 = rows.find((r) => r[1] === '1');
      if (!row1) return null;
      set(s.xml.replace(row1[0], ''));
      return `${name}: hidden key row 1 removed`;
    }
    default: {
      set(s.xml.replace(/<c r="[A-Z]+\d+"/, '<c'));
      return `${name}: a cell without its r attribute`;
    }
  }
};

const editCreated: Step = (rnd, book) => {
  const core = book.files.get('docProps/core.xml')?.toString('utf8');
  if (!core) return null;
  const when = rnd.pick(['2099-01-01T00:00:00Z', '1970-01-01T00:00:00Z', 'garbage', '', new Date(Date.now() - rnd.int(1e9)).toISOString().replace(/\.\d{3}Z$/, 'Z')]);
  book.files.set('docProps/core.xml', Buffer.from(core.replace(/(<dcterms:created[^>]*>)[^<]*/, `$1${when}`)));
  return `created := ${when}`;
};

const zipEntries: Step = (rnd, book) => {
  const names = [...book.files.keys()].filter((n) => !n.endsWith('/'));
  if (names.length === 0) return null;
  const name = rnd.pick(names);
  const what = rnd.weighted<string>([
    [3, 'drop'],
    [3, 'duplicate'],
    [1, 'rename'],
    [1, 'stored'],
    [1, 'lying-size'],
    [1, 'traversal'],
  ]);
  switch (what) {
    case 'drop':
      book.files.delete(name);
      return `zip: entry ${name} dropped`;
    case 'duplicate': {
      // The second copy differs (a changed cell where it is a sheet), so "the second wins" would show.
      const data = book.files.get(name)!;
      const changed = /worksheets\/sheet\d+\.xml$/.test(name) ? Buffer.from(setCellXml(data.toString('utf8'), 'D5', '二つ目の中身')) : data;
      book.extra.push([name, changed]);
      return `zip: entry ${name} written twice`;
    }
    case 'rename':
      book.files.set(`${name}.bak`, book.files.get(name)!);
      book.files.delete(name);
      return `zip: entry ${name} renamed`;
    case 'stored':
      book.options.set(name, { stored: true });
      return `zip: entry ${name} stored`;
    case 'lying-size':
      book.options.set(name, { claimedSize: rnd.pick([0, 1, 10, 0xfffffff0]) });
      return `zip: entry ${name} lies about its size`;
    default:
      book.files.set(rnd.pick(['../../evil.xml', '/abs.xml', 'xl/worksheets/../../../x.xml']), Buffer.from('<x/>'));
      return 'zip: entry with a path outside';
  }
};

/** Spoils the bytes of the finished zip: truncated, flipped, junk inserted. */
function spoilBytes(rnd: Random, bytes: Buffer): { bytes: Buffer; step: string } {
  const what = rnd.weighted<string>([
    [3, 'flip'],
    [2, 'truncate'],
    [1, 'insert'],
    [1, 'zero-run'],
  ]);
  const out = Buffer.from(bytes);
  switch (what) {
    case 'flip': {
      const n = rnd.between(1, 20);
      for (let i = 0; i < n; i++) {
        const at = rnd.int(out.length);
        out[at] = out[at]! ^ (1 << rnd.int(8));
      }
      return { bytes: out, step: `bytes: ${n} bits flipped` };
    }
    case 'truncate': {
      const at = rnd.int(out.length);
      return { bytes: out.subarray(0, at), step: `bytes: cut at ${at} of ${out.length}` };
    }
    case 'insert': {
      const at = rnd.int(out.length);
      return { bytes: Buffer.concat([out.subarray(0, at), Buffer.from(Array.from({ length: rnd.between(1, 64) }, () => rnd.int(256))), out.subarray(at)]), step: `bytes: junk inserted at ${at}` };
    }
    default: {
      const at = rnd.int(out.length);
      const n = rnd.between(1, 4096);
      out.fill(0, at, Math.min(out.length, at + n));
      return { bytes: out, step: `bytes: ${n} zeros at ${at}` };
    }
  }
}

/** A mutated copy of a workbook and the steps taken. */
export function mutateWorkbook(rnd: Random, original: Buffer, ctx: WorkbookContext): { bytes: Buffer; steps: string[] } {
  const book: Book = { files: readZip(original), extra: [], options: new Map() };
  const steps: string[] = [];
  const table: [number, Step][] = [
    [6, editCell(true)],
    [6, editCell(false)],
    [3, editId],
    [3, editMeta],
    [2, editShared],
    [3, editStructure],
    [1, editCreated],
    [2, zipEntries],
  ];
  const count = rnd.weighted<number>([
    [5, 1],
    [3, 2],
    [2, 3],
    [1, 6],
  ]);
  for (let i = 0; i < count; i++) {
    const step = rnd.weighted(table)(rnd, book, ctx);
    if (step) steps.push(step);
  }
  let bytes = writeZip([...[...book.files].map(([n, d]): [string, Buffer, ZipEntryOptions?] => [n, d, book.options.get(n)]), ...book.extra]);
  if (rnd.chance(0.12)) {
    const spoiled = spoilBytes(rnd, bytes);
    bytes = spoiled.bytes;
    steps.push(spoiled.step);
  }
  return { bytes, steps };
}
