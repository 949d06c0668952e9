import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatQuantity, parseNumberFor, parseQuantity, type Quantity } from '../../shared/numbers/parse';

/** The quantity, or the test fails with the parser's message. */
function quantity(input: string): Quantity {
  const r = parseQuantity(input);
  if (!r.ok) throw new Error(`expected 「${input}」 to parse: ${r.message}`);
  return r.quantity;
}

function refusal(input: string): string {
  const r = parseQuantity(input);
  if (r.ok) throw new Error(`expected 「${input}」 to be refused, got ${JSON.stringify(r.quantity)}`);
  return r.message;
}

const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('parseQuantity: the forms of the documents and of typing', () => {
  it.each([
    ['25,000', 25000, ''],
    ['1万', 10000, ''],
    ['2.5万', 25000, ''],
    ['8万3千', 83000, ''],
    ['30万件', 300000, '件'],
    ['２５，０００', 25000, ''],
    ['80％', 80, '%'],
    ['80%', 80, '%'],
    ['7.5億円', 750000000, '円'],
    ['延3,300名', 3300, '名'],
    ['4割', 40, '%'],
    ['1万社', 10000, '社'],
    ['１万社', 10000, '社'],
    ['460万PV', 4600000, 'PV'],
    ['100,000件', 100000, '件'],
    ['162,500名', 162500, '名'],
    ['55.7％', 55.7, '%'],
    ['6ヶ所', 6, 'ヶ所'],
    ['80店舗', 80, '店舗'],
    ['1億2,000万', 120000000, ''],
    ['2億5000万円', 250000000, '円'],
    ['3千万', 30000000, ''],
    ['1万2千3百', 12300, ''],
    ['5百万円', 5000000, '円'],
    ['10万1', 100001, ''],
    ['1.5割', 15, '%'],
    ['1,000.5', 1000.5, ''],
    ['1.23456789万', 12345.6789, ''],
    ['  3,300 名 ', 3300, '名'],
  ])('%s → %d %s', (input, value, unit) => {
    const q = quantity(input);
    expect(q.value).toBe(value);
    expect(q.unit).toBe(unit);
  });

  it('marks 延 as cumulative (also written 延べ), and only then', () => {
    expect(quantity('延3,300名')).toEqual({ value: 3300, unit: '名', cumulative: true });
    expect(quantity('延べ1,500名')).toEqual({ value: 1500, unit: '名', cumulative: true });
    expect(quantity('3,300名').cumulative).toBeUndefined();
  });

  it.each([
    ['83,000件以上', 83000, '件', 'at_least'],
    ['2,000名超', 2000, '名', 'more_than'],
    ['50未満', 50, '', 'less_than'],
    ['5件以下', 5, '件', 'at_most'],
    ['4割以上', 40, '%', 'at_least'],
    ['80％以上', 80, '%', 'at_least'],
    ['延650名超', 650, '名', 'more_than'],
  ] as const)('reads the direction word of %s', (input, value, unit, qualifier) => {
    const q = quantity(input);
    expect([q.value, q.unit, q.qualifier]).toEqual([value, unit, qualifier]);
  });

  it('has no direction when none is written', () => {
    expect(quantity('25,000名').qualifier).toBeUndefined();
  });

  it.each([
    ['▲2億円', -200000000, '円'],
    ['△3', -3, ''],
    ['-5', -5, ''],
    ['−5', -5, ''], // U+2212 minus sign
    ['－5', -5, ''], // full-width hyphen-minus
    ['ー5', -5, ''], // a long-vowel mark typed for minus
    ['-2.5万円', -25000, '円'],
    ['+3', 3, ''],
  ])('reads the negative (or signed) %s', (input, value, unit) => {
    const q = quantity(input);
    expect(q.value).toBe(value);
    expect(q.unit).toBe(unit);
  });

  it.each([
    ['abc', '数字がありません'],
    ['', '空です'],
    ['   ', '空です'],
    ['1,00', '余分な文字'],
    ['3万4万', '順序'],
    ['12a3', '余分な文字'],
    ['1,0000', '余分な文字'],
    ['3.14.15', '余分な文字'],
    ['5百3千', '順序'],
    ['3万万', '順序'],
    ['万', '数字がありません'],
    ['延', '数字がありません'],
    ['-', '数字がありません'],
    ['5-', '余分な文字'],
    ['4割名', '割'],
    ['25％→50％', '余分な文字'],
  ])('refuses 「%s」 with a Japanese message that quotes the input', (input, why) => {
    const message = refusal(input);
    expect(message).toContain(`「${input}」`);
    expect(message).toContain('数値として読めません');
    expect(message).toContain(why);
    expect(message).toMatch(japanese);
  });

  it('refuses a number too large for a double', () => {
    expect(refusal('9'.repeat(400))).toContain('大きすぎます');
  });
});

describe('parseNumberFor: input for a column counted in a unit', () => {
  it.each([
    ['2.5万', '名', 25000],
    ['2.5万名', '名', 25000],
    ['25,000名', '名', 25000],
    ['7.5億円', '億円', 7.5],
    ['7.5', '億円', 7.5],
    ['750,000,000円', '億円', 7.5],
    ['▲2億円', '億円', -2],
    ['3万人', '万人', 3],
    ['4割', '%', 40],
    ['80％', '%', 80],
    ['80%', '％', 80], // a unit typed full-width in the target's unit cell
    ['1か所', 'ヶ所', 1], // the document writes both 6ヶ所 and 1か所 for one target
    ['2カ所', 'ヶ所', 2],
    ['3,300社', '', 3300],
    ['12,000件以上', '件', 12000],
  ])('「%s」 in a %s column is %d', (input, unit, value) => {
    expect(parseNumberFor(input, unit)).toEqual({ ok: true, value });
  });

  it.each([
    ['3,300社', '名'],
    ['80%', '名'],
    ['7.5億円', '名'],
    ['5件', '社'],
  ])('refuses 「%s」 in a %s column, naming both units in Japanese', (input, unit) => {
    const r = parseNumberFor(input, unit);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toContain(`「${input}」`);
    expect(r.message).toContain(`「${unit}」`);
    expect(r.message).toContain('単位');
  });

  it('passes the parse error through', () => {
    const r = parseNumberFor('abc', '名');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('数値として読めません');
  });
});

describe('formatQuantity', () => {
  it.each([
    [25000, '', '25,000'],
    [25000, '名', '25,000名'],
    [7.5, '億円', '7.5億円'],
    [55.7, '%', '55.7%'],
    [-200000000, '円', '-200,000,000円'],
    [0, '', '0'],
    [1e21, '', '1,000,000,000,000,000,000,000'],
    [1e-7, '', '0.0000001'],
    [0.1 + 0.2, '', '0.30000000000000004'],
  ])('%d %s → %s', (value, unit, text) => {
    expect(formatQuantity(value, unit)).toBe(text);
  });
});

/** Digits and the signs of a number written full-width, as an IME types them. */
const fullWidth = (s: string) => s.replace(/[0-9.,\-+%]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Units that parseQuantity gives back as written (no 万・億 of their own). */
const plainUnit = fc.constantFrom('', '名', '社', '件', '回', '%', 'PV', '店舗', 'ヶ所', '本', '円');
const integer = fc.maxSafeInteger();
/** Decimals as people write them: up to 4 decimal places. */
const decimal = fc.tuple(fc.integer({ min: -1e11, max: 1e11 }), fc.integer({ min: 0, max: 4 })).map(([n, k]) => n / 10 ** k);
const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
const same = (a: number, b: number) => Object.is(a + 0, b + 0); // -0 is shown as 0

describe('properties', () => {
  it('formatQuantity then parseQuantity gives the value and the unit back', () => {
    fc.assert(
      fc.property(fc.oneof(integer, decimal, anyFinite), plainUnit, (value, unit) => {
        const q = quantity(formatQuantity(value, unit));
        return same(q.value, value) && q.unit === unit;
      }),
      { numRuns: 2000 },
    );
  });

  it('formatQuantity then parseNumberFor gives the value back in scaled units too (億円, 万人, 千円)', () => {
    fc.assert(
      fc.property(decimal, fc.constantFrom('億円', '万人', '千円', '百万円', '名', '%'), (value, unit) => {
        const r = parseNumberFor(formatQuantity(value, unit), unit);
        return r.ok && same(r.value, value);
      }),
      { numRuns: 1000 },
    );
  });

  it('full-width digits, commas and signs parse to the same value', () => {
    fc.assert(
      fc.property(fc.oneof(integer, decimal), plainUnit, (value, unit) => {
        const text = formatQuantity(value, unit);
        const wide = quantity(fullWidth(text));
        return wide.value === quantity(text).value && same(wide.value, value);
      }),
      { numRuns: 1000 },
    );
  });

  it('万・億・千 forms of integers parse back (8万3千, 1億2,000万5, 30万件)', () => {
    const kanji = (n: number): string => {
      let rest = n;
      let out = '';
      for (const [mark, size] of [['億', 1e8], ['万', 1e4], ['千', 1e3]] as const) {
        const part = Math.floor(rest / size);
        if (part > 0) out += `${part.toLocaleString('en-US')}${mark}`;
        rest %= size;
      }
      return rest > 0 || out === '' ? `${out}${rest}` : out;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 - 1 }), plainUnit, fc.boolean(), (n, unit, wide) => {
        const text = `${kanji(n)}${unit}`;
        const q = quantity(wide ? fullWidth(text) : text);
        return q.value === n && q.unit === unit;
      }),
      { numRuns: 2000 },
    );
    // the simple form of the brief: ${⌊n/1e4⌋}万${n mod 1e4}
    fc.assert(
      fc.property(fc.integer({ min: 1e4, max: 1e12 }), (n) => quantity(`${Math.floor(n / 1e4)}万${n % 1e4 || ''}`).value === n),
    );
  });

  it('a value with a direction word and 延 keeps its value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(['以上', 'at_least'], ['超', 'more_than'], ['以下', 'at_most'], ['未満', 'less_than']), (n, [word, q]) => {
        const parsed = quantity(`延${formatQuantity(n, '名')}${word}`);
        return parsed.value === n && parsed.unit === '名' && parsed.qualifier === q && parsed.cumulative === true;
      }),
    );
  });
});
