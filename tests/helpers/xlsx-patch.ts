import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Edits an .xlsx the way another program would, without exceljs: the zip is read and written
 * here, and cells are rewritten in the sheet XML as inline strings or plain numbers (as many
 * programs write them, unlike exceljs' shared strings). Tests use it to play a colleague who
 * filled the workbook in with something else than the app.
 */

export type ZipFiles = Map<string, Buffer>;

export function readZip(buf: Buffer): ZipFiles {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files: ZipFiles = new Map();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLength + extra + comment;
  }
  return files;
}

export interface ZipEntryOptions {
  /** Store without compression. */
  stored?: boolean;
  /** Write this as the uncompressed size instead of the real one (to make a lying zip). */
  claimedSize?: number;
}

/** Writes a zip (deflate, or stored), optionally with entries whose headers lie about their size. */
export function writeZip(files: [string, Buffer, ZipEntryOptions?][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data, options] of files) {
    const nameBuf = Buffer.from(name, 'utf8');
    const body = options?.stored ? data : deflateRawSync(data);
    const size = options?.claimedSize ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(options?.stored ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(options?.stored ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, body);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The zip path of a worksheet by its name (workbook.xml → its relationship → the part). */
export function sheetPath(files: ZipFiles, sheetName: string): string {
  const workbook = files.get('xl/workbook.xml')!.toString('utf8');
  const sheet = [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m) => m[0]).find((tag) => tag.includes(`name="${escapeXml(sheetName)}"`));
  if (!sheet) throw new Error(`no sheet ${sheetName}`);
  const rid = /r:id="([^"]+)"/.exec(sheet)![1];
  const rels = files.get('xl/_rels/workbook.xml.rels')!.toString('utf8');
  const rel = [...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => m[0]).find((tag) => tag.includes(`Id="${rid}"`))!;
  const target = /Target="([^"]+)"/.exec(rel)![1]!;
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

export type CellContent = string | number | { formula: string } | { error: string };

function cellXml(ref: string, style: string, content: CellContent): string {
  const s = style ? ` s="${style}"` : '';
  if (typeof content === 'number') return `<c r="${ref}"${s}><v>${content}</v></c>`;
  if (typeof content === 'string') return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${escapeXml(content)}</t></is></c>`;
  if ('formula' in content) return `<c r="${ref}"${s}><f>${escapeXml(content.formula)}</f><v>0</v></c>`;
  return `<c r="${ref}"${s} t="e"><v>${escapeXml(content.error)}</v></c>`;
}

const colNumber = (ref: string) => [.../^[A-Z]+/.exec(ref)![0]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/** Sets a cell in a sheet's XML (keeping its style), inserting the cell or its row where missing. */
export function setCellXml(xml: string, ref: string, content: CellContent): string {
  const rowNo = Number(/\d+$/.exec(ref)![0]);
  const cellRe = new RegExp(`<c r="${ref}"([^>]*?)(/>|>[\\s\\S]*?</c>)`);
  const existing = cellRe.exec(xml);
  if (existing) {
    const style = /\bs="(\d+)"/.exec(existing[1]!)?.[1] ?? '';
    return xml.replace(cellRe, cellXml(ref, style, content));
  }
  const rowRe = new RegExp(`<row r="${rowNo}"[^>]*?(/>|>[\\s\\S]*?</row>)`);
  const row = rowRe.exec(xml);
  const cell = cellXml(ref, '', content);
  if (row) {
    if (row[1] === '/>') return xml.replace(rowRe, (r) => `${r.slice(0, -2)}>${cell}</row>`);
    const cells = [...row[0].matchAll(/<c r="([A-Z]+)\d+"/g)];
    const after = cells.find((c) => colNumber(c[1]!) > colNumber(ref));
    const updated = after ? row[0].replace(after[0], `${cell}${after[0]}`) : row[0].replace('</row>', `${cell}</row>`);
    return xml.replace(row[0], updated);
  }
  const rows = [...xml.matchAll(/<row r="(\d+)"/g)];
  const next = rows.find((r) => Number(r[1]) > rowNo);
  const newRow = `<row r="${rowNo}">${cell}</row>`;
  return next ? xml.replace(next[0], `${newRow}${next[0]}`) : xml.replace('</sheetData>', `${newRow}</sheetData>`).replace('<sheetData/>', `<sheetData>${newRow}</sheetData>`);
}

/** Removes a whole row from a sheet's XML (as deleting a row in a program does, without moving the rows below). */
export function removeRowXml(xml: string, rowNo: number): string {
  return xml.replace(new RegExp(`<row r="${rowNo}"[^>]*?(/>|>[\\s\\S]*?</row>)`), '');
}

/** Rewrites cells of sheets in an .xlsx and writes the zip again, as another program saving it would. */
export function patchXlsx(bytes: Buffer | Uint8Array, edits: { sheet: string; cells?: Record<string, CellContent>; removeRows?: number[] }[]): Buffer {
  const files = readZip(Buffer.from(bytes));
  for (const e of edits) {
    const path = sheetPath(files, e.sheet);
    let xml = files.get(path)!.toString('utf8');
    for (const [ref, content] of Object.entries(e.cells ?? {})) xml = setCellXml(xml, ref, content);
    for (const r of e.removeRows ?? []) xml = removeRowXml(xml, r);
    files.set(path, Buffer.from(xml, 'utf8'));
  }
  return writeZip([...files].map(([name, data]) => [name, data]));
}

/** Deletes a sheet the way a program would: its part, its entry in workbook.xml, its relationship and content type. False when there is no such sheet. */
export function removeSheet(files: ZipFiles, sheetName: string): boolean {
  let path: string;
  try {
    path = sheetPath(files, sheetName);
  } catch {
    return false;
  }
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const workbook = files.get('xl/workbook.xml')!.toString('utf8');
  files.set('xl/workbook.xml', Buffer.from(workbook.replace(new RegExp(`<sheet\\b[^>]*name="${quote(escapeXml(sheetName))}"[^>]*/>`), '')));
  files.delete(path);
  const rels = files.get('xl/_rels/workbook.xml.rels')!.toString('utf8');
  files.set('xl/_rels/workbook.xml.rels', Buffer.from(rels.replace(new RegExp(`<Relationship\\b[^>]*Target="/?(xl/)?${quote(path.replace(/^xl\//, ''))}"[^>]*/>`), '')));
  const types = files.get('[Content_Types].xml')?.toString('utf8');
  if (types) files.set('[Content_Types].xml', Buffer.from(types.replace(new RegExp(`<Override\\b[^>]*PartName="/${quote(path)}"[^>]*/>`), '')));
  return true;
}
