import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEmphasis, emphasisRuns, hasEmphasis, markedText, textOfRuns, withoutEmphasis, type EmphasisRun } from '../../shared/text/emphasis';

// Texts made of the characters that matter to the marks: stars, line breaks, spaces and words.
const markyText = fc.array(fc.constantFrom('*', '**', 'a', 'あ', ' ', '\n', '・', '事業承継'), { maxLength: 30 }).map((parts) => parts.join(''));

/** The look of each character: which characters print bold. */
const lookOf = (runs: readonly EmphasisRun[]) => runs.flatMap((r) => [...r.text].map((ch) => `${r.bold ? 'B' : 'p'}${ch}`)).join('');

describe('emphasised phrases as **…** marks', () => {
  it('cuts the seed texts as the document sets them', () => {
    expect(emphasisRuns('区内事業者の**事業継続・発展**／**参画促進**の推進')).toEqual([
      { text: '区内事業者の', bold: false },
      { text: '事業継続・発展', bold: true },
      { text: '／', bold: false },
      { text: '参画促進', bold: true },
      { text: 'の推進', bold: false },
    ]);
    expect(withoutEmphasis('⇒**新入会員に対して**を実施')).toBe('⇒新入会員に対してを実施');
  });

  it('leaves an unpaired mark, an empty pair and a pair across a line break as text', () => {
    expect(emphasisRuns('a ** b')).toEqual([{ text: 'a ** b', bold: false }]);
    expect(emphasisRuns('****')).toEqual([{ text: '****', bold: false }]);
    expect(emphasisRuns('**a\nb**')).toEqual([{ text: '**a\nb**', bold: false }]);
    expect(hasEmphasis('a ** b')).toBe(false);
    expect(hasEmphasis('a **b**')).toBe(true);
    expect(withoutEmphasis('a ** b')).toBe('a ** b');
  });

  it('writes back exactly the text it read, for any text', () => {
    fc.assert(fc.property(markyText, (t) => markedText(emphasisRuns(t)) === t), { numRuns: 2000 });
  });

  it('reads back the look a workbook gave, however its runs were split', () => {
    const starless = fc.array(fc.constantFrom('a', 'あ', ' ', '\n', '・'), { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
    const runs = fc.array(fc.record({ text: starless, bold: fc.boolean() }), { maxLength: 8 });
    fc.assert(
      fc.property(runs, (rs) => {
        // A bold line break prints as a plain one: compare what shows.
        const shown = (r: readonly EmphasisRun[]) => lookOf(r).replace(/B\n/g, 'p\n');
        expect(shown(emphasisRuns(textOfRuns(rs)))).toBe(shown(rs));
      }),
      { numRuns: 2000 },
    );
  });

  it('stores the canonical form: what a printed workbook reads back, the same look, its own canonical form', () => {
    expect(canonicalEmphasis('**a****b**')).toBe('**ab**');
    expect(canonicalEmphasis('x** **y')).toBe('x** **y');
    expect(canonicalEmphasis('**a** **b**')).toBe('**a** **b**');
    expect(canonicalEmphasis('a ** b')).toBe('a ** b');
    const shown = (r: readonly EmphasisRun[]) => lookOf(r).replace(/B\n/g, 'p\n');
    fc.assert(
      fc.property(markyText, (t) => {
        const c = canonicalEmphasis(t);
        expect(canonicalEmphasis(c)).toBe(c);
        expect(shown(emphasisRuns(c))).toBe(shown(emphasisRuns(t)));
        // A printed workbook gives the runs back split anyhow: they read as the canonical text.
        expect(textOfRuns(emphasisRuns(c))).toBe(c);
      }),
      { numRuns: 3000 },
    );
  });
});

