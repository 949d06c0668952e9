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
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) return 'alnum';
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

/**
 * BudouX's Japanese model as tables over small character ids, so that scoring a position allocates
 * nothing: budoux's own Parser looks up 13 substrings per character in Maps of strings, and the
 * first export of a plan segments every distinct cell text once. Each of the model's 364 characters
 * gets an id (1…); a window holding a character the model does not know matches no key and is
 * skipped. The scores, their order of addition and the rule (a boundary where the sum is above 0)
 * are budoux's (Parser.parseBoundaries, budoux 0.7), so the boundaries are the same:
 * tests/unit/phrases.test.ts compares them with budoux's Parser.
 */
interface Segmenter {
  baseScore: number;
  /** The id (1…) of each UTF-16 unit the model's keys hold; 0 for the others. */
  ids: Uint16Array;
  /** Number of ids + 1: the base of the pairs' and triples' keys. */
  base: number;
  /** UW1…UW6: the score of one unit, by id (0 for no key). */
  uw: Float64Array[];
  /** BW1…BW3 and TW1…TW4: the score of a pair or triple, by its ids' key. */
  bw: Map<number, number>[];
  tw: Map<number, number>[];
}

const UNIGRAMS = ['UW1', 'UW2', 'UW3', 'UW4', 'UW5', 'UW6'];
const BIGRAMS = ['BW1', 'BW2', 'BW3'];
const TRIGRAMS = ['TW1', 'TW2', 'TW3', 'TW4'];

/** The model as tables, or null for a model of another shape (budoux's own Parser is used then). */
function buildSegmenter(model: Record<string, Record<string, number>>): Segmenter | null {
  const groups = [UNIGRAMS, BIGRAMS, TRIGRAMS];
  if (Object.keys(model).some((name) => !groups.some((g) => g.includes(name)))) return null;
  // budoux: -0.5 × the sum of every score, in the model's order.
  const baseScore = -0.5 * Object.values(model).map((group) => Object.values(group)).flat().reduce((a, b) => a + b, 0);
  const ids = new Uint16Array(0x10000);
  let next = 1;
  for (const group of Object.values(model)) for (const key of Object.keys(group)) for (let j = 0; j < key.length; j++) if (!ids[key.charCodeAt(j)]) ids[key.charCodeAt(j)] = next++;
  const base = next;
  // Keys of up to 3 ids stay small integers (Smis): base³ must stay below 2^30.
  if (base ** 3 >= 2 ** 30) return null;
  const keyOf = (key: string) => {
    let k = 0;
    for (let j = 0; j < key.length; j++) k = k * base + ids[key.charCodeAt(j)]!;
    return k;
  };
  // A key of another length would match budoux's substrings cut short at the text's ends: not handled here.
  const entries = (name: string, length: number) => {
    const e = Object.entries(model[name] ?? {});
    return e.every(([key]) => key.length === length) ? e : null;
  };
  const uw: Float64Array[] = [];
  for (const name of UNIGRAMS) {
    const e = entries(name, 1);
    if (!e) return null;
    const table = new Float64Array(base);
    for (const [key, score] of e) table[keyOf(key)] = score;
    uw.push(table);
  }
  const maps = (names: string[], length: number) => names.map((name) => entries(name, length)).map((e) => (e ? new Map(e.map(([key, score]) => [keyOf(key), score])) : null));
  const bw = maps(BIGRAMS, 2);
  const tw = maps(TRIGRAMS, 3);
  if (bw.includes(null) || tw.includes(null)) return null;
  return { baseScore, ids, base, uw, bw: bw as Map<number, number>[], tw: tw as Map<number, number>[] };
}

let segmenter: Segmenter | null | undefined;
let fallback: Parser | null = null;

/**
 * budoux's boundaries: the UTF-16 indices where a phrase starts, after the first. Written out per
 * feature (the first export runs this in the interpreter, where a loop over features costs double).
 * An id of 0 (out of the text, or a unit no key holds) matches no key: budoux adds 0 for it too.
 */
function boundaries(text: string): number[] {
  segmenter ??= buildSegmenter(jaModel);
  const seg = segmenter;
  const n = text.length;
  const out: number[] = [];
  if (n < 2) return out;
  if (!seg) {
    fallback ??= new Parser(jaModel);
    let at = 0;
    for (const p of fallback.parse(text).slice(0, -1)) out.push((at += p.length));
    return out;
  }
  // Ids with 3 zeros either side, for the windows at the text's ends.
  const ids = new Uint16Array(n + 6);
  let known = false;
  for (let j = 0; j < n; j++) if ((ids[j + 3] = seg.ids[text.charCodeAt(j)]!)) known = true;
  // No character of the model (a number, a Latin word): every position scores baseScore.
  if (!known) {
    if (seg.baseScore > 0) for (let i = 1; i < n; i++) out.push(i);
    return out;
  }
  const { base, baseScore } = seg;
  const [uw1, uw2, uw3, uw4, uw5, uw6] = seg.uw as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const [bw1, bw2, bw3] = seg.bw as [Map<number, number>, Map<number, number>, Map<number, number>];
  const [tw1, tw2, tw3, tw4] = seg.tw as [Map<number, number>, Map<number, number>, Map<number, number>, Map<number, number>];
  for (let i = 1; i < n; i++) {
    // The units at i-3 … i+2 (a = before i, b = from i).
    const a3 = ids[i]!, a2 = ids[i + 1]!, a1 = ids[i + 2]!, b0 = ids[i + 3]!, b1 = ids[i + 4]!, b2 = ids[i + 5]!;
    let score = baseScore;
    score += uw1[a3]!;
    score += uw2[a2]!;
    score += uw3[a1]!;
    score += uw4[b0]!;
    score += uw5[b1]!;
    score += uw6[b2]!;
    if (a2 && a1) score += bw1.get(a2 * base + a1) ?? 0;
    if (a1 && b0) score += bw2.get(a1 * base + b0) ?? 0;
    if (b0 && b1) score += bw3.get(b0 * base + b1) ?? 0;
    if (a3 && a2 && a1) score += tw1.get((a3 * base + a2) * base + a1) ?? 0;
    if (a2 && a1 && b0) score += tw2.get((a2 * base + a1) * base + b0) ?? 0;
    if (a1 && b0 && b1) score += tw3.get((a1 * base + b0) * base + b1) ?? 0;
    if (b0 && b1 && b2) score += tw4.get((b0 * base + b1) * base + b2) ?? 0;
    if (score > 0) out.push(i);
  }
  return out;
}

/** The model's own phrases of a text, before one-letter phrases are joined on (what budoux's Parser.parse answers). */
export function modelPhrases(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const b of boundaries(text)) {
    out.push(text.slice(start, b));
    start = b;
  }
  if (text !== '') out.push(text.slice(start));
  return out;
}

const cache = new Map<string, readonly string[]>();
/** Cached texts at most (a long session exports many plans; the cache is rebuilt when full). */
const CACHE_LIMIT = 50_000;

const isKana = (s: Script) => s === 'kanji' || s === 'hiragana' || s === 'katakana';

/** The phrases of a text (BudouX, Japanese model): they join to the text. A one-letter phrase joins the next (BudouX splits 「中｜小企業」). */
export function phrases(text: string): readonly string[] {
  const known = cache.get(text);
  if (known) return known;
  const merged: string[] = [];
  let carry = '';
  let start = 0;
  const take = (p: string) => {
    // One letter (one code point) of kana or kanji: carried on to the next phrase.
    const oneLetter = p.length === 1 || (p.length === 2 && p.codePointAt(0)! > 0xffff);
    if (oneLetter && isKana(scriptOf(p))) carry += p;
    else {
      merged.push(carry + p);
      carry = '';
    }
  };
  if (text !== '') {
    for (const b of boundaries(text)) {
      take(text.slice(start, b));
      start = b;
    }
    take(text.slice(start));
  }
  if (carry) {
    if (merged.length) merged[merged.length - 1] += carry;
    else merged.push(carry);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, merged);
  return merged;
}

/** The number of code points of a string. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    n++;
  }
  return n;
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
  // Where each phrase starts, in code points.
  const phraseStart = new Uint8Array(chars.length + 1);
  let at = 0;
  for (const p of phrases(text)) {
    phraseStart[at] = 1;
    at += codePoints(p);
  }
  let prev = chars.length ? scriptOf(chars[0]!) : 'other';
  for (let i = 1; i < chars.length; i++) {
    const script = scriptOf(chars[i]!);
    let rank = CHAR_BREAK;
    if (NO_LINE_START.has(chars[i]!) || NO_LINE_END.has(chars[i - 1]!)) rank = NO_BREAK;
    else if (prev === 'space') rank = PHRASE_BREAK;
    // BudouX now and then splits a kanji compound (紹介事｜例動画, ・中｜小企業): a break between two
    // kanji is kept for a phrase longer than a line.
    else if (phraseStart[i]) rank = prev === 'kanji' && script === 'kanji' ? SUB_PHRASE_BREAK : PHRASE_BREAK;
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
