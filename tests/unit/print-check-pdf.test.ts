import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPdfPages } from '../../electron/export/print-check-pdf';
import { tempDir } from '../helpers/temp';

/**
 * The print check's PDF reader (electron/export/print-check-pdf.ts) on PDFs built here byte by
 * byte: a page tree of several levels (pages in tree order, not file order), a MediaBox inherited
 * from a parent, a rotated page, a stream whose bytes spell "endobj", and pages kept in an object
 * stream. Where poppler's pdfinfo is installed it must count the same pages.
 */

/** A PDF of the given objects (number → body), with a correct cross-reference table. */
function pdfOf(objects: [number, string | Buffer][], root: number): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets = new Map<number, number>();
  let at = parts[0]!.length;
  for (const [n, body] of objects) {
    offsets.set(n, at);
    const chunk = Buffer.concat([Buffer.from(`${n} 0 obj\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'latin1') : body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(chunk);
    at += chunk.length;
  }
  const size = Math.max(...objects.map(([n]) => n)) + 1;
  const xref = ['xref', `0 ${size}`, '0000000000 65535 f '];
  for (let n = 1; n < size; n++) xref.push(offsets.has(n) ? `${String(offsets.get(n)).padStart(10, '0')} 00000 n ` : '0000000000 65535 f ');
  parts.push(Buffer.from(`${xref.join('\n')}\ntrailer\n<</Size ${size} /Root ${root} 0 R>>\nstartxref\n${at}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

const A4L = '[0 0 841.92 595.92]';
const A3L = '[0 0 1190.88 841.92]';

function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`<<${dict} /Length ${data.length}>>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
}

describe('PDF pages for the print check', () => {
  const tree = pdfOf(
    [
      [1, '<</Type /Catalog /Pages 2 0 R>>'],
      [6, `<</Type /Page /Parent 3 0 R /Contents 9 0 R>>`],
      [5, `<</Type /Page /Parent 2 0 R /MediaBox ${A3L} /Rotate 90>>`],
      [4, `<</Type /Page /Parent 3 0 R /MediaBox [0 0 595.92 841.92]>>`],
      [3, `<</Type /Pages /Parent 2 0 R /Kids [4 0 R 6 0 R] /Count 2>>`],
      [2, `<</Type /Pages /Kids [3 0 R 5 0 R] /Count 3 /MediaBox ${A4L}>>`],
      // After page 5, a content stream whose bytes spell another object 5: read as one, it would replace the page.
      [9, stream('', Buffer.from('BT (endobj 5 0 obj <</Type /Page /MediaBox [0 0 1 1]>> endobj) Tj ET', 'latin1'))],
    ],
    1,
  );

  it('reads the pages in the order of the page tree, with inherited and rotated sizes', () => {
    expect(readPdfPages(tree)).toEqual([
      { widthPt: 595.92, heightPt: 841.92 },
      { widthPt: 841.92, heightPt: 595.92 },
      { widthPt: 841.92, heightPt: 1190.88 },
    ]);
  });

  it('reads pages kept in an object stream', () => {
    const inner = ['<</Type /Pages /Kids [4 0 R] /Count 1>>', `<</Type /Page /Parent 3 0 R /MediaBox ${A3L}>>`];
    const header = `3 0 4 ${inner[0]!.length + 1} `;
    const body = Buffer.from(header + inner.join(' '), 'latin1');
    const pdf = pdfOf(
      [
        [1, '<</Type /Catalog /Pages 3 0 R>>'],
        [2, stream(`/Type /ObjStm /N 2 /First ${header.length} /Filter /FlateDecode`, deflateSync(body))],
      ],
      1,
    );
    expect(readPdfPages(pdf)).toEqual([{ widthPt: 1190.88, heightPt: 841.92 }]);
  });

  it('refuses what is not a PDF, or a PDF without a page tree', () => {
    expect(() => readPdfPages(Buffer.from('PK\x03\x04'))).toThrow('not a PDF file');
    expect(() => readPdfPages(pdfOf([[1, '<</Type /Catalog>>']], 1))).toThrow('the PDF has no page tree');
  });

  it.runIf((() => {
    try {
      execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })())('counts the pages pdfinfo counts', () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'tree.pdf');
      writeFileSync(path, tree);
      const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
      expect(Number(/^Pages:\s+(\d+)/m.exec(info)![1])).toBe(readPdfPages(tree).length);
    } finally {
      t.cleanup();
    }
  });
});
