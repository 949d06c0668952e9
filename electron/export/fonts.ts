import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The bundled Japanese print font (BIZ UDPGothic from @fontsource), inlined into the print page as
 * data: URLs so that the PDF, the preview and the printout look the same on every machine. Only the
 * subsets (fontsource splits the font by unicode-range) holding characters the page prints are
 * inlined: a few hundred kB to a few MB instead of 8 MB.
 */

interface Subset {
  weight: number;
  file: string;
  ranges: [number, number][];
}

let subsets: Subset[] | null = null;
const fileCache = new Map<string, string>();

function packageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@fontsource/biz-udpgothic/package.json'));
}

function parseRanges(spec: string): [number, number][] {
  return spec.split(',').map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, '').split('-');
    const start = parseInt(a!, 16);
    return [start, b ? parseInt(b, 16) : start];
  });
}

/** The @font-face blocks of fontsource's CSS for one weight. */
export function parseFontsourceCss(css: string, weight: number): Subset[] {
  const out: Subset[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (file && range) out.push({ weight, file, ranges: parseRanges(range) });
  }
  return out;
}

function allSubsets(): Subset[] {
  if (!subsets) {
    const dir = packageDir();
    subsets = [400, 700].flatMap((w) => parseFontsourceCss(readFileSync(join(dir, `${w}.css`), 'utf8'), w));
  }
  return subsets;
}

const covers = (s: Subset, code: number) => s.ranges.some(([a, b]) => code >= a && code <= b);

function fileBase64(file: string): string {
  let data = fileCache.get(file);
  if (!data) {
    data = readFileSync(join(packageDir(), 'files', file)).toString('base64');
    fileCache.set(file, data);
  }
  return data;
}

/** @font-face rules (with inlined woff2 data) covering `regular` in weight 400 and `bold` in weight 700. */
export function printFontFaceCss(chars: { regular: string; bold: string }): string {
  const wanted = (weight: number, text: string) => {
    const codes = [...new Set([...text].map((c) => c.codePointAt(0)!))];
    return allSubsets().filter((s) => s.weight === weight && codes.some((code) => covers(s, code)));
  };
  return [...wanted(400, chars.regular), ...wanted(700, chars.bold)]
    .map(
      (s) =>
        `@font-face { font-family: 'BIZ UDPGothic'; font-style: normal; font-weight: ${s.weight}; font-display: block; ` +
        `src: url(data:font/woff2;base64,${fileBase64(s.file)}) format('woff2'); unicode-range: ${s.ranges.map(([a, b]) => (a === b ? `U+${a.toString(16)}` : `U+${a.toString(16)}-${b.toString(16)}`)).join(',')}; }`,
    )
    .join('\n');
}
