import { jaModel, Parser } from 'budoux';

/**
 * Where Japanese text may break between lines, and how good each break is. Japanese has no spaces,
 * so a printer that breaks "anywhere" splits words (「感／染症」, 「取／り組み」); BudouX (Google's
 * phrase segmenter, Japanese model) finds the phrases a reader expects a line to end between. The
 * print layout (text-measure.ts, print-html.ts) breaks between phrases, within a phrase longer than
 * a line at a weaker boundary (after ・, before a kanji after kana…), and only then between any two
 * characters; the usual 禁則 rules (line-break: strict) hold at every level.
 *
 * Ranks are given per code point of the text (not per UTF-16 unit): `ranks[i]` says how good a
 * break before character i is. Results are cached per text: the layout asks for the same cells at
 * every font size it tries, and a 100× plan has thousands of cells.
 */

/** A break before this character is not allowed. */
export const NO_BREAK = 0;
/** Between two characters of a word: only when a word is longer than a line. */
export const CHAR_BREAK = 1;
/** Inside a phrase, at a change of script or after punctuation: when a phrase is longer than a line. */
export const SUB_PHRASE_BREAK = 2;
/** Between two phrases (or after a space): where lines should break. */
export const PHRASE_BREAK = 3;

/** 禁則: characters a line may not start with (closing signs, small kana, the long-vowel mark; CSS line-break: strict). */
const NO_LINE_START = new Set([...'、。，．,.・：；:;？！?!‼⁇⁈⁉）)］]｝}〕〉》」』】〙〗〟’”｠»ゝゞヽヾー々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ゠–〜～‐％%℃°′″']);
/** 禁則: characters a line may not end with (opening signs). */
const NO_LINE_END = new Set([...'（(［[｛{〔〈《「『【〘〖〝‘“｟«']);

type Script = 'kanji' | 'hiragana' | 'katakana' | 'alnum' | 'space' | 'other';

function scriptOf(ch: string): Script {
  const c = ch.codePointAt(0)!;
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || c === 0x3005 || c === 0x3006 || c === 0x30f6) return 'kanji';
  if (c >= 0x3041 && c <= 0x309f) return 'hiragana';
  if ((c >= 0x30a0 && c <= 0x30ff && c !== 0x30fb) || (c >= 0xff66 && c <= 0xff9f) || (c >= 0x31f0 && c <= 0x31ff)) return 'katakana';
  if (/[0-9A-Za-z]/.test(ch) || (c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) return 'alnum';
  if (c === 0x20 || c === 0x3000 || c === 0x09) return 'space';
  return 'other';
}

/**
 * A break between two scripts inside a phrase: before a kanji after kana (の｜対応, ・｜イノベーション),
 * between katakana and kanji, before a number or Latin word. Not before kana after a kanji (取り組み
 * keeps its okurigana), nor before a particle after katakana, nor after a number (2020｜年度).
 */
function subPhraseBreak(before: Script, after: Script): boolean {
  if (before === 'other') return after !== 'other';
  if (after === 'other' || before === after) return false;
  if (after === 'kanji') return before === 'hiragana' || before === 'katakana';
  if (after === 'katakana') return before === 'kanji' || before === 'hiragana';
  if (after === 'alnum') return before !== 'space';
  return false;
}

let parser: Parser | null = null;
const cache = new Map<string, readonly string[]>();
/** Cached texts at most (a long session exports many plans; the cache is rebuilt when full). */
const CACHE_LIMIT = 50_000;

/** The phrases of a text (BudouX, Japanese model): they join to the text. A one-letter phrase joins the next (BudouX splits 「中｜小企業」). */
export function phrases(text: string): readonly string[] {
  const known = cache.get(text);
  if (known) return known;
  parser ??= new Parser(jaModel);
  const found = text === '' ? [] : parser.parse(text);
  const merged: string[] = [];
  let carry = '';
  for (const p of found) {
    const letters = [...p];
    if (letters.length === 1 && ['kanji', 'hiragana', 'katakana'].includes(scriptOf(p))) carry += p;
    else {
      merged.push(carry + p);
      carry = '';
    }
  }
  if (carry) {
    if (merged.length) merged[merged.length - 1] += carry;
    else merged.push(carry);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, merged);
  return merged;
}

const ranksCache = new Map<string, Uint8Array>();

/**
 * How good a line break before each character (code point) of `text` is: NO_BREAK … PHRASE_BREAK.
 * `ranks[0]` is NO_BREAK (a line cannot break before its first character).
 */
export function breakRanks(text: string): Uint8Array {
  const known = ranksCache.get(text);
  if (known) return known;
  const chars = [...text];
  const ranks = new Uint8Array(chars.length);
  const phraseStarts = new Set<number>();
  let at = 0;
  for (const p of phrases(text)) {
    phraseStarts.add(at);
    at += [...p].length;
  }
  let prev = chars.length ? scriptOf(chars[0]!) : 'other';
  for (let i = 1; i < chars.length; i++) {
    const script = scriptOf(chars[i]!);
    let rank = CHAR_BREAK;
    if (NO_LINE_START.has(chars[i]!) || NO_LINE_END.has(chars[i - 1]!)) rank = NO_BREAK;
    else if (prev === 'space') rank = PHRASE_BREAK;
    // BudouX now and then splits a kanji compound (紹介事｜例動画, ・中｜小企業): a break between two
    // kanji is kept for a phrase longer than a line.
    else if (phraseStarts.has(i)) rank = prev === 'kanji' && script === 'kanji' ? SUB_PHRASE_BREAK : PHRASE_BREAK;
    else if (subPhraseBreak(prev, script)) rank = SUB_PHRASE_BREAK;
    // Inside a Latin word or a number a break is a last resort, like a break that 禁則 forbids.
    else if (prev === 'alnum' && script === 'alnum') rank = NO_BREAK;
    ranks[i] = rank;
    prev = script;
  }
  if (ranksCache.size >= CACHE_LIMIT) ranksCache.clear();
  ranksCache.set(text, ranks);
  return ranks;
}

/**
 * Greedy line breaking over characters of the given widths: each line takes as much as fits, and
 * ends at the best kind of break in reach. A phrase that does not fit the rest of the line moves to
 * the next; a phrase longer than a whole line is broken at its weaker breaks (filling the line it
 * starts on), and a piece still longer than a line between characters. Returns the index of the
 * first character of each line after the first. `firstLimit` is the width of the first line,
 * `restLimit` of the others (a hanging indent makes them narrower).
 */
export function breakLines(widths: ArrayLike<number>, ranks: ArrayLike<number>, firstLimit: number, restLimit = firstLimit): number[] {
  const n = widths.length;
  const starts: number[] = [];
  // Width of the unit (of the given rank) starting at i: up to the next break of that rank or better.
  const unitWidth = (i: number, rank: number) => {
    let w = widths[i]!;
    for (let j = i + 1; j < n && ranks[j]! < rank; j++) w += widths[j]!;
    return w;
  };
  let s = 0;
  let limit = firstLimit;
  while (s < n) {
    let x = widths[s]!;
    let e = s + 1; // chars s..e-1 fit
    while (e < n && x + widths[e]! <= limit) x += widths[e++]!;
    if (e >= n) break;
    let b = -1;
    for (let rank = PHRASE_BREAK; rank >= CHAR_BREAK && b < 0; rank--) {
      let best = -1;
      for (let i = e; i > s; i--)
        if (ranks[i]! >= rank) {
          best = i;
          break;
        }
      // Breaking at `best` moves the unit starting there to the next line: only worth it when the unit fits a line.
      if (best > 0 && (rank === CHAR_BREAK || unitWidth(best, rank) <= restLimit)) b = best;
    }
    if (b < 0) b = e; // no allowed break within reach: break where the line is full
    starts.push(b);
    s = b;
    limit = restLimit;
  }
  return starts;
}
