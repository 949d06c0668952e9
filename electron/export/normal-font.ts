import JSZip from 'jszip';

/**
 * Sets the Normal (default) font of a written workbook. exceljs always writes Calibri 11 from the
 * theme as font 0, the font of the Normal style; Excel and LibreOffice measure every column width in
 * digits of that font, so a workbook set in another font would have its widths depend on Calibri
 * (and LibreOffice, without a Calibri-metric font, prints such sheets at 75 %). The fix rewrites
 * font 0 in xl/styles.xml after exceljs has written the file, and nothing else.
 */

export interface NormalFont {
  name: string;
  sizePt: number;
  /** Windows character set: 128 is Shift JIS (Japanese). */
  charset: number;
  /** 3 is "modern" (fixed pitch or CJK), as Excel writes it for Japanese fonts. */
  family: number;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** styles.xml with its first <font> (the Normal style's) replaced; throws if there is none. */
export function withNormalFont(stylesXml: string, font: NormalFont): string {
  const start = stylesXml.search(/<fonts[\s>]/);
  const first = start < 0 ? -1 : stylesXml.indexOf('<font>', start);
  const end = first < 0 ? -1 : stylesXml.indexOf('</font>', first);
  if (end < 0) throw new Error('styles.xml has no font to make the Normal font');
  const element = `<font><sz val="${font.sizePt}"/><color theme="1"/><name val="${escapeXml(font.name)}"/><family val="${font.family}"/><charset val="${font.charset}"/></font>`;
  return stylesXml.slice(0, first) + element + stylesXml.slice(end + '</font>'.length);
}

/** The workbook's bytes with `font` as its Normal font (the other parts are copied unchanged). */
export async function setNormalFont(xlsx: Uint8Array, font: NormalFont): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(xlsx);
  const styles = zip.file('xl/styles.xml');
  if (!styles) throw new Error('the workbook has no xl/styles.xml');
  zip.file('xl/styles.xml', withNormalFont(await styles.async('string'), font));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
