import { excerpt } from '../../text/excerpt';
import { fiscalYearRange } from '../field-rules';
import { accept, refuse, type InputResult } from './result';

/**
 * The one reading of a fiscal year, for a typed cell, a paste, an import and the command line.
 *
 * Rule: the text is NFKC-normalised (full-width digits and letters, ㋿ → 令和) and its spaces are
 * dropped; then it is a four-digit year (2021), optionally with 年度 or 年 after it and FY before
 * it (2021年度, FY2021), or a Japanese era year: 令和・平成・昭和 (or R・H・S) with a number or 元,
 * optionally followed by 年度 or 年 (令和3年度, 令和元年, R3), within the era (平成31 at most, 昭和64). Western and era years alike must lie in
 * 1900〜2200 (field-rules.ts, the rule the database checks). Nothing else is read as a year:
 * no 2,021, no 2千21, no units; the old `/年度?$/` + number parser took those by accident.
 */

/** Each era's year 0 (令和N = 2018 + N) and its last year (平成 ended in its 31st, 昭和 in its 64th): 平成40 names no year. */
const eras: Record<string, { base: number; last: number }> = {
  令和: { base: 2018, last: Infinity },
  R: { base: 2018, last: Infinity },
  平成: { base: 1988, last: 31 },
  H: { base: 1988, last: 31 },
  昭和: { base: 1925, last: 64 },
  S: { base: 1925, last: 64 },
};

const western = /^(?:FY)?(\d{4})(?:年度?)?$/i;
const era = /^(令和|平成|昭和|R|H|S)(元|\d{1,3})(?:年度?)?$/i;

/** The message of every refused year (the examples show what is read). */
export const fiscalYearMessage = (raw: string): string =>
  `「${excerpt(raw.trim())}」は年度として読めません（${fiscalYearRange.min}〜${fiscalYearRange.max}年度。例: 2021、2021年度、令和3年度）。`;

/** The year a text names, or null when it names none by the rule above. */
function yearOf(raw: string): number | null {
  const s = raw.normalize('NFKC').replace(/\s+/g, '');
  const w = western.exec(s);
  if (w) return Number(w[1]);
  const e = era.exec(s);
  if (!e) return null;
  const n = e[2] === '元' ? 1 : Number(e[2]);
  const named = eras[e[1]!.toUpperCase()]!;
  return n >= 1 && n <= named.last ? named.base + n : null;
}

/** A fiscal year as a person writes it: 2021, ２０２１年度, FY2021, 令和3年度, R3. */
export function parseFiscalYear(raw: string): { ok: true; value: number } | { ok: false; message: string; log: string } {
  const year = yearOf(raw);
  if (year === null || year < fiscalYearRange.min || year > fiscalYearRange.max) return refuse(fiscalYearMessage(raw), `not a fiscal year: ${JSON.stringify(excerpt(raw, 80))}`);
  return accept(year);
}

/** A fiscal year that may be left empty (a blank cell is null). */
export function parseOptionalFiscalYear(raw: string | null): InputResult<number | null> {
  return raw === null || raw.trim() === '' ? accept(null) : parseFiscalYear(raw);
}

/** 「2021年度（中期事業計画2年目）」「令和3年度（…」: the year a heading opens with its （…）, or null. */
export function fiscalYearOfHeading(heading: string): number | null {
  const m = /((?:FY)?\d{4}|(?:令和|平成|昭和)(?:元|\d{1,3}))年度\s*[（(]/i.exec(heading.normalize('NFKC'));
  if (!m) return null;
  const r = parseFiscalYear(m[1]!);
  return r.ok ? r.value : null;
}
