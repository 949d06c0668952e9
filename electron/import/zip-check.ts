import { inflateRawSync } from 'node:zlib';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import { importLimits, mb } from '../../shared/import/limits';

/**
 * Reads a zip's central directory by itself and inflates every entry with a cap, before exceljs
 * (JSZip) sees the file: a workbook with too many entries, with more inflated bytes than allowed,
 * or whose directory lies about the sizes is refused without ever being inflated in full.
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
  encrypted: boolean;
}

export interface ZipLimits {
  entries: number;
  uncompressedBytes: number;
}

const defaultLimits: ZipLimits = { entries: importLimits.zipEntries, uncompressedBytes: importLimits.uncompressedBytes };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const broken = (fileName: string, why: string): AppError =>
  new AppError('bad_file', `「${fileName}」は壊れているため読めません（Excel ブックの zip 構造が不正です）。`, `${fileName}: corrupted zip: ${why}`);

/**
 * The name a zip reader may resolve an entry to: readers differ in whether they fold case, Unicode
 * normalisation, backslashes and `./` or `/` prefixes, so two entries that agree here are the
 * same part to one of them, and which of the two wins is a guess.
 */
function entryKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/')
    .toLowerCase();
}

const duplicate = (fileName: string, first: string, second: string): AppError =>
  new AppError(
    'bad_file',
    `「${fileName}」の中に同じ名前の部品が 2 つあります（${excerpt(second)}）。どちらが正しいか判断できないため取り込めません。Excel で開いて保存し直してください。`,
    `${fileName}: duplicate zip entries ${JSON.stringify(first.slice(0, 200))} and ${JSON.stringify(second.slice(0, 200))}`,
  );

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

function findEndOfDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** The entries of a zip, from its central directory, after checking the entry count and the declared sizes. */
export function readZipDirectory(buf: Buffer, fileName: string, limits: ZipLimits = defaultLimits): ZipEntry[] {
  const eocd = findEndOfDirectory(buf);
  if (eocd < 0) throw broken(fileName, 'no end of central directory');
  let count = buf.readUInt16LE(eocd + 10);
  let dirSize = buf.readUInt32LE(eocd + 12);
  let dirOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR) throw broken(fileName, 'zip64 fields without a zip64 locator');
    const at = u64(buf, locator + 8);
    if (at + 56 > buf.length || buf.readUInt32LE(at) !== ZIP64_EOCD) throw broken(fileName, 'bad zip64 end record');
    count = u64(buf, at + 32);
    dirSize = u64(buf, at + 40);
    dirOffset = u64(buf, at + 48);
  }
  if (count > limits.entries)
    throw new AppError(
      'bad_file',
      `「${fileName}」には ${count.toLocaleString('ja-JP')} 個のファイルが含まれています（上限 ${limits.entries.toLocaleString('ja-JP')} 個）。計画ワークベンチの記入用ブックではありません。`,
      `${fileName}: ${count} zip entries, limit ${limits.entries}`,
    );
  if (dirOffset + dirSize > buf.length) throw broken(fileName, 'central directory outside the file');

  const entries: ZipEntry[] = [];
  const names = new Map<string, string>();
  let total = 0;
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw broken(fileName, `bad central header ${i}`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    // A damaged header can claim a name, extra field or comment past the end of the file.
    if (p + 46 + nameLength + extraLength + commentLength > buf.length) throw broken(fileName, `central header ${i} runs past the end`);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    // Zip64: the real sizes are in the extra field, in this order, for the fields set to 0xffffffff.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const size = buf.readUInt16LE(e + 2);
      if (e + 4 + size > extraEnd) throw broken(fileName, `extra field of central header ${i} runs past its end`);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff && q + 8 <= e + 4 + size) {
          uncompressedSize = u64(buf, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + size) {
          compressedSize = u64(buf, q);
          q += 8;
        }
        if (localOffset === 0xffffffff && q + 8 <= e + 4 + size) localOffset = u64(buf, q);
      }
      e += 4 + size;
    }
    total += uncompressedSize;
    if (total > limits.uncompressedBytes)
      throw new AppError(
        'bad_file',
        `「${fileName}」は展開すると ${mb(limits.uncompressedBytes)} を超えます（圧縮爆弾の疑い）。取り込めません。`,
        `${fileName}: declared uncompressed size over ${limits.uncompressedBytes} bytes (at entry ${name})`,
      );
    const same = names.get(entryKey(name));
    if (same !== undefined) throw duplicate(fileName, same, name);
    names.set(entryKey(name), name);
    entries.push({ name, method, compressedSize, uncompressedSize, localOffset, encrypted: (flags & 1) === 1 });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Inflates every entry with its declared size as the cap, so a directory that understates a
 * size is caught before anything downstream inflates it for real. Stops at the total limit.
 * Returns the inflated bytes of the entries `keep` asks for (the parts checked at the XML level).
 */
export function verifyZipEntries(buf: Buffer, entries: ZipEntry[], fileName: string, limits: ZipLimits = defaultLimits, keep: (name: string) => boolean = () => false): Map<string, Buffer> {
  const kept = new Map<string, Buffer>();
  let total = 0;
  for (const entry of entries) {
    if (entry.encrypted)
      throw new AppError('bad_file', `「${fileName}」は暗号化されています。パスワードを解除して保存し直してから取り込んでください。`, `${fileName}: encrypted zip entry ${entry.name}`);
    const p = entry.localOffset;
    if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw broken(fileName, `bad local header for ${entry.name}`);
    const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
    // A reader that walks the local headers would see another name than the directory says.
    if (buf.toString('utf8', p + 30, p + 30 + buf.readUInt16LE(p + 26)) !== entry.name) throw broken(fileName, `local name differs from the directory's for ${entry.name}`);
    if (start + entry.compressedSize > buf.length) throw broken(fileName, `entry ${entry.name} runs past the end`);
    const data = buf.subarray(start, start + entry.compressedSize);
    let size: number;
    let inflated: Buffer;
    if (entry.method === 0) {
      size = data.length;
      inflated = data;
    } else if (entry.method === 8) {
      try {
        // One byte over the declared size is enough to know the directory lied.
        inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize + 1) });
        size = inflated.length;
      } catch (e) {
        if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw new AppError('bad_file', `「${fileName}」の中身が申告された大きさを超えて展開されます（圧縮爆弾の疑い）。取り込めません。`, `${fileName}: ${entry.name} inflates past its declared size`);
        throw broken(fileName, `cannot inflate ${entry.name}: ${String(e)}`);
      }
    } else throw new AppError('bad_file', `「${fileName}」は対応していない圧縮方式（${entry.method}）で保存されています。Excel で保存し直してください。`, `${fileName}: zip method ${entry.method} in ${entry.name}`);
    if (size > entry.uncompressedSize)
      throw new AppError('bad_file', `「${fileName}」の中身が申告された大きさを超えて展開されます（圧縮爆弾の疑い）。取り込めません。`, `${fileName}: ${entry.name} inflates past its declared size`);
    total += size;
    if (total > limits.uncompressedBytes)
      throw new AppError('bad_file', `「${fileName}」は展開すると ${mb(limits.uncompressedBytes)} を超えます（圧縮爆弾の疑い）。取り込めません。`, `${fileName}: inflated size over ${limits.uncompressedBytes} bytes`);
    if (keep(entry.name)) kept.set(entry.name, inflated);
  }
  return kept;
}
