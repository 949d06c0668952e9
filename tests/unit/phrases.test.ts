import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jaModel, Parser } from 'budoux';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breaksInsideWords, paragraphLines, paragraphLineStarts, textLineStarts } from '../../shared/layout/text-measure';
import { breakLines, breakRanks, modelPhrases, NO_BREAK, PHRASE_BREAK, phrases } from '../../shared/text/phrases';

/** The lines of a text broken at `widthEm`, joined with ／. */
const broken = (text: string, widthEm: number, hanging = false) => {
  const chars = [...text];
  const starts = [0, ...textLineStarts(text, widthEm, { hanging }), chars.length];
  return starts.slice(1).map((e, i) => chars.slice(starts[i], e).join('')).join('／');
};

describe('phrases (BudouX) and where lines may break', () => {
  it('keeps the words the issue found broken whole', () => {
    for (const [text, word] of [
      ['新事業・イノベーション創出委員会', '委員会'],
      ['中小企業のデジタルシフト推進委員会', 'デジタルシフト'],
      ['新型コロナウイルス感染症への対応', '感染症'],
      ['中小企業の取り組みを推進する', '取り組み'],
    ] as const) {
      const ranks = breakRanks(text);
      const at = [...text].length - [...text.slice(text.indexOf(word))].length;
      for (let i = at + 1; i < at + [...word].length; i++) expect(ranks[i], `${text} @${i}`).toBeLessThan(PHRASE_BREAK);
      expect(phrases(text).join('')).toBe(text);
    }
    // BudouX splits 「中｜小企業」: a one-letter phrase joins the next.
    expect(phrases('中小企業のデジタルシフト推進委員会')[0]).toBe('中小企業の');
  });

  it('breaks unit names between phrases, a phrase longer than a line at a weaker break, 禁則 kept', () => {
    expect(broken('中小企業のデジタルシフト推進委員会', 10)).toMatch(/^中小企業の／デジタルシフト／推進委員会$/);
    expect(broken('新事業・イノベーション創出委員会', 10)).toBe('新事業・／イノベーション／創出委員会');
    expect(broken('新型コロナウイルス感染症への対応を強化する', 12)).not.toMatch(/感／染|取／り/);
    // No line starts with 、。）ー or a small kana; none ends with （ (where a line can hold the text between two such signs).
    for (let w = 7; w < 20; w++) for (const line of broken('取り組み（ウェブ）、ビジネスマッチング・交流会。ッー', w).split('／')) expect(line, `${w}`).not.toMatch(/^[、。）ーッ]|（$/);
  });

  it('hangs a bulleted paragraph: its later lines are 1 em narrower', () => {
    const p = [{ text: '・あいうえおかきくけこさしすせそたちつてと' }];
    expect(paragraphLines(p, 10, { breaks: 'characters' })).toBe(3);
    expect(paragraphLines(p, 10, { breaks: 'characters', hanging: true })).toBe(3);
    // ・ is half an em wide in BIZ UDPGothic: the first line holds it and 9 kana; the others 8 (9 em, less the slack).
    expect(paragraphLineStarts(p, 10, { breaks: 'characters' })).toEqual([10, 19]);
    expect(paragraphLineStarts(p, 10, { breaks: 'characters', hanging: true })).toEqual([10, 18]);
  });

  it('breaks by characters where asked (as Excel sets text), and a word longer than any line anyway', () => {
    expect(paragraphLineStarts([{ text: 'あいうえおかきく' }], 3, { breaks: 'characters' })).toEqual([2, 4, 6]);
    expect(breakLines([1, 1, 1, 1], [NO_BREAK, NO_BREAK, NO_BREAK, NO_BREAK], 2)).toEqual([2]);
    expect(textLineStarts('', 5)).toEqual([]);
  });

  it('tells the workbook writer which widths break a word when text breaks anywhere', () => {
    expect(breaksInsideWords('中小企業のデジタルシフト推進委員会', 17.5)).toEqual([]);
    expect(breaksInsideWords('取り組みを推進する', 6.1)).toEqual([6]);
    // A phrase longer than the line is broken whatever the width: not counted.
    expect(breaksInsideWords('中小企業のデジタルシフト推進委員会', 8)).toEqual([]);
    expect(breaksInsideWords('中小企業の', 5.1)).toEqual([]);
  });

  it('finds the phrases budoux’s own Parser finds (the scoring loop of phrases.ts is ours): every seed line and generated text', () => {
    const parser = new Parser(jaModel);
    const seedLines = ['branches.yaml', 'plan.yaml', 'units.yaml', 'overview-2021.yaml']
      .flatMap((f) => readFileSync(join(import.meta.dirname, '..', '..', 'seeds', f), 'utf8').split('\n'))
      .map((l) => l.replace(/^[\s-]*[\w.]+:\s*/, '').trim())
      .filter((l) => l.length > 1);
    expect(seedLines.length).toBeGreaterThan(300);
    for (const line of seedLines) expect(modelPhrases(line), line).toEqual(parser.parse(line));
    const pieces = fc.constantFrom('東京商工会議所', 'の', 'デジタル', 'シフト', '推進', '、', '。', '（', '）', 'ａ', 'AI', '2021', '𠮷', 'ｲﾝﾀｰﾝ', ' ', '・', 'を', '支援する');
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 1, maxLength: 20 }), (parts) => {
        const text = parts.join('');
        expect(modelPhrases(text)).toEqual(parser.parse(text));
      }),
      { numRuns: 1500 },
    );
  });
});

