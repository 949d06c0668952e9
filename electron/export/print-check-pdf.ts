import { inflateSync } from 'node:zlib';
import type { PdfPageFact } from './print-check';

/**
 * The pages of a PDF file and their sizes, read from the file itself for the print check
 * (print-check.ts): the page tree from the catalog (/Root → /Pages → /Kids, in order), each
 * leaf's /MediaBox (inherited from its parents where the page has none) turned by its /Rotate.
 * Enough for the PDFs Chromium (Skia) writes and most others: plain objects and object streams
 * (/ObjStm, Flate); no poppler, so it runs on Windows as well. Encrypted PDFs are not read.
 */

type Objects = Map<number, string>;

const ref = (text: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(text);
  return m ? Number(m[1]) : null;
};

/** The dictionary of an object (its text before any stream data), with a stream's data skipped by its direct /Length. */
function readObjects(pdf: Buffer): Objects {
  const text = pdf.toString('latin1');
  const objects: Objects = new Map();
  const header = /(\d+)\s+\d+\s+obj\b/g;
  for (let m = header.exec(text); m; m = header.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const streamAt = text.indexOf('stream', start);
    const hasStream = streamAt >= 0 && streamAt < end;
    const dict = text.slice(start, hasStream ? streamAt : end);
    objects.set(Number(m[1]), dict);
    if (hasStream) {
      const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
      let dataStart = streamAt + 'stream'.length;
      if (text[dataStart] === '\r') dataStart++;
      if (text[dataStart] === '\n') dataStart++;
      if (length) {
        const dataEnd = dataStart + Number(length[1]);
        if (/\/Type\s*\/ObjStm\b/.test(dict)) readObjectStream(dict, pdf.subarray(dataStart, dataEnd), objects);
        // Past the data: a stream's bytes may happen to spell "obj" or "endobj".
        header.lastIndex = Math.max(header.lastIndex, text.indexOf('endobj', dataEnd));
      } else header.lastIndex = end;
    } else header.lastIndex = end;
  }
  return objects;
}

/** The objects inside an object stream (PDF 1.5): N pairs of number and offset, the objects from /First. */
function readObjectStream(dict: string, data: Buffer, objects: Objects): void {
  if (!/\/Filter\s*\/FlateDecode\b/.test(dict)) return;
  const n = Number(/\/N\s+(\d+)/.exec(dict)?.[1] ?? 0);
  const first = Number(/\/First\s+(\d+)/.exec(dict)?.[1] ?? 0);
  let body: string;
  try {
    body = inflateSync(data).toString('latin1');
  } catch {
    return;
  }
  const pairs = body.slice(0, first).trim().split(/\s+/).map(Number);
  for (let i = 0; i < n; i++) {
    const num = pairs[2 * i]!;
    const from = first + pairs[2 * i + 1]!;
    const to = i + 1 < n ? first + pairs[2 * i + 3]! : body.length;
    if (!objects.has(num)) objects.set(num, body.slice(from, to));
  }
}

function numbersOf(text: string): number[] {
  return text.trim().split(/\s+/).filter(Boolean).map(Number);
}

function mediaBox(dict: string, objects: Objects): number[] | null {
  const direct = /\/MediaBox\s*\[([^\]]*)\]/.exec(dict);
  if (direct) return numbersOf(direct[1]!);
  const indirect = ref(dict, 'MediaBox');
  const array = indirect !== null ? /\[([^\]]*)\]/.exec(objects.get(indirect) ?? '') : null;
  return array ? numbersOf(array[1]!) : null;
}

/** The pages of a PDF in order with their sizes in points (as displayed: /Rotate 90 or 270 swaps them). */
export function readPdfPages(pdf: Uint8Array): PdfPageFact[] {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF file');
  const objects = readObjects(bytes);
  const text = bytes.toString('latin1');
  // The last trailer (or cross-reference stream) names the catalog.
  const roots = [...text.matchAll(/\/Root\s+(\d+)\s+\d+\s+R/g)];
  const root = roots.length > 0 ? Number(roots[roots.length - 1]![1]) : null;
  const pagesRoot = root !== null ? ref(objects.get(root) ?? '', 'Pages') : null;
  if (pagesRoot === null) throw new Error('the PDF has no page tree');
  const pages: PdfPageFact[] = [];
  const seen = new Set<number>();
  const walk = (num: number, inheritedBox: number[] | null, inheritedRotate: number) => {
    if (seen.has(num)) return; // a broken tree that loops
    seen.add(num);
    const dict = objects.get(num);
    if (dict === undefined) throw new Error(`the PDF's page tree names a missing object ${num}`);
    const box = mediaBox(dict, objects) ?? inheritedBox;
    const rotate = Number(/\/Rotate\s+(-?\d+)/.exec(dict)?.[1] ?? inheritedRotate);
    if (/\/Type\s*\/Pages\b/.test(dict)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(dict)?.[1] ?? '';
      for (const k of kids.matchAll(/(\d+)\s+\d+\s+R/g)) walk(Number(k[1]), box, rotate);
    } else {
      if (!box || box.length !== 4) throw new Error(`page object ${num} has no MediaBox`);
      const w = Math.abs(box[2]! - box[0]!);
      const h = Math.abs(box[3]! - box[1]!);
      const turned = ((rotate % 360) + 360) % 180 === 90;
      pages.push(turned ? { widthPt: h, heightPt: w } : { widthPt: w, heightPt: h });
    }
  };
  walk(pagesRoot, null, 0);
  return pages;
}
