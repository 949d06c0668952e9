import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTsv, toTsv } from '../../renderer/src/grid/tsv';

describe('TSV as Excel and LibreOffice put it on the clipboard', () => {
  it('reads Excel’s block: CR LF rows, quoted cells with line breaks and doubled quotes, the trailing line break', () => {
    const excel = 'テーマA\t"到達目標A\n二行目"\t年度A\r\nテーマB\t"say ""hi"""\t\r\n';
    expect(parseTsv(excel)).toEqual([
      ['テーマA', '到達目標A\n二行目', '年度A'],
      ['テーマB', 'say "hi"', ''],
    ]);
  });

  it('reads LibreOffice’s LF rows and a single cell without a line break', () => {
    expect(parseTsv('a\tb\nc\td\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseTsv('25,000名')).toEqual([['25,000名']]);
  });

  it('keeps an empty copied cell as one empty value (pasting it clears the cell), and nothing as no rows', () => {
    expect(parseTsv('\r\n')).toEqual([['']]);
    expect(parseTsv('')).toEqual([]);
  });

  it('takes quotes that do not wrap the whole cell literally, as Excel does', () => {
    expect(parseTsv('"A" 社\t"B\r\n')).toEqual([['"A" 社', '"B']]);
    expect(parseTsv('x"y"\r\n')).toEqual([['x"y"']]);
  });

  it('writes what it reads back, for any texts (tabs, line breaks, quotes, Japanese)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'あ', '"', '\t', '\n', ' ', '、', '1') });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 }), fc.array(text, { minLength: 20, maxLength: 20 }), (rows, cols, pool) => {
        const block = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => pool[(r * cols + c) % pool.length]!));
        expect(parseTsv(toTsv(block))).toEqual(block);
      }),
    );
  });

  it('ends rows with CR LF, so Excel pastes each on its own row; a single cell has no line break after it', () => {
    expect(toTsv([['a', 'b'], ['c', 'd']])).toBe('a\tb\r\nc\td\r\n');
    expect(toTsv([['一行目\n"二行目"']])).toBe('"一行目\n""二行目"""');
  });
});
