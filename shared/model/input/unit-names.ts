import { excerpt } from '../../text/excerpt';
import { accept, isBlank, refuse } from './result';

/**
 * The one way a unit (組織) is found by what a person wrote: a 主な担当 cell typed or pasted in the
 * grid, a returned fill-in workbook, an export read back, the command line's --unit, a rollup.
 *
 * One name:
 * - Compared in NFKC, lower case, without spaces: 「総務統括部」「総務 統括部」 and half-width kana
 *   all find the same unit.
 * - The full name first: a unit's name always finds it (names are kept unique, apply-edits.ts).
 * - Else the short name (千代田 for 千代田支部), when exactly one unit has it.
 * - Ambiguous (two units with that name, or two with that short name): refused with a message that
 *   names the candidates, never the first match.
 *
 * A list (主な担当):
 * - Names are separated by a line break, 、 , ; or a tab (full- and half-width: the text is
 *   NFKC-normalised first); empty entries are skipped and a unit named twice counts once, in the
 *   order first written.
 * - ・ / and spaces separate names only where the entry as written is not one name: unit names
 *   contain them (事業・会員サービス向上委員会), so 「総務統括部・国際部」 is two units, and
 *   「事業・会員サービス向上委員会」 one. A bullet (「・国際部」) is ignored. The longest names are
 *   taken first.
 * - One unknown or ambiguous name refuses the whole list (the message quotes that entry).
 */

export interface UnitName {
  id: string;
  name: string;
  shortName?: string | null;
}

/** Units as stored rows (a plan state of the import, a database row): name and short_name columns. */
export function unitNamesOfRows(rows: readonly { id: string; name?: unknown; short_name?: unknown }[]): UnitName[] {
  return rows.map((u) => ({ id: u.id, name: String(u.name ?? ''), shortName: typeof u.short_name === 'string' ? u.short_name : null }));
}

/** The form names are compared in. */
export const unitNameKey = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

// After NFKC: ，→ ,  ；→ ;  ､→ 、  ／→ /  ･→ ・. Line breaks of every kind end an entry.
// eslint-disable-next-line no-control-regex -- vertical tab and form feed are line breaks in pasted text
const listSeparators = /[\r\n\u000b\u000c\u2028\u2029\u0085、,;\t]+/;
const softSeparators = /([・/\s]+)/;

type Lookup = { unit: UnitName } | { candidates: UnitName[] } | null;

const indexes = new WeakMap<readonly UnitName[], UnitIndex>();

/** The units by name and by short name, and every prefix of those names (to stop a search early). */
class UnitIndex {
  private readonly byName = new Map<string, UnitName[]>();
  private readonly byShort = new Map<string, UnitName[]>();
  readonly prefixes = new Set<string>();

  constructor(units: readonly UnitName[]) {
    for (const u of units) {
      this.add(this.byName, unitNameKey(u.name), u);
      if (u.shortName) this.add(this.byShort, unitNameKey(u.shortName), u);
    }
  }

  private add(map: Map<string, UnitName[]>, key: string, u: UnitName): void {
    if (key === '') return;
    const list = map.get(key);
    if (list) list.push(u);
    else map.set(key, [u]);
    for (let i = 1; i <= key.length; i++) this.prefixes.add(key.slice(0, i));
  }

  /**
   * The index of `units`, built once per list: an import resolves the 主な担当 of every row against
   * the same list, and building it per row made reading a 100× plan's export back quadratic (118 s).
   * A list is not changed once handed out (callers build a new one when the units change).
   */
  static of(units: readonly UnitName[]): UnitIndex {
    let index = indexes.get(units);
    if (!index) indexes.set(units, (index = new UnitIndex(units)));
    return index;
  }

  lookup(key: string): Lookup {
    for (const map of [this.byName, this.byShort]) {
      const found = map.get(key);
      if (found?.length === 1) return { unit: found[0]! };
      if (found && found.length > 1) return { candidates: found };
    }
    return null;
  }
}

const unknown = (text: string, noun: string, hint = '') =>
  refuse(`「${excerpt(text)}」という${noun}はありません。${hint}`, `unknown unit ${JSON.stringify(excerpt(text, 80))}`);

function ambiguous(text: string, noun: string, candidates: UnitName[]) {
  const shown = candidates.slice(0, 5).map((u) => `「${excerpt(u.name, 30)}」`);
  const more = candidates.length > 5 ? `ほか${candidates.length - 5}件` : '';
  return refuse(
    `「${excerpt(text)}」に当てはまる${noun}が${candidates.length}つあります（${shown.join('')}${more}）。どれか分かる名前で入力してください。`,
    `ambiguous unit name ${JSON.stringify(excerpt(text, 60))}: ${candidates.length} candidates`,
  );
}

function answer(lookup: Lookup, text: string, noun: string) {
  if (lookup === null) return unknown(text, noun);
  if ('candidates' in lookup) return ambiguous(text, noun, lookup.candidates);
  return accept(lookup.unit);
}

/**
 * One unit by its name or unique short name. `noun` names what is looked for in the message
 * (組織, or 支部 where only branches are searched).
 */
export function resolveUnitName(
  units: readonly UnitName[],
  raw: string,
  options: { noun?: string } = {},
): { ok: true; unit: UnitName } | { ok: false; message: string; log: string } {
  const noun = options.noun ?? '組織';
  const text = raw.normalize('NFKC').trim();
  if (unitNameKey(text) === '') return refuse(`${noun}名が空です。`, 'empty unit name');
  const r = answer(UnitIndex.of(units).lookup(unitNameKey(text)), text, noun);
  return r.ok ? { ok: true, unit: r.value } : r;
}

/** The entries of a list as written (NFKC, trimmed, empty ones dropped), before any name is looked up. */
export function splitUnitList(raw: string | null): string[] {
  if (raw === null) return [];
  return raw
    .normalize('NFKC')
    .split(listSeparators)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A name read from an entry: what it found, and the words that found it (for the message). */
interface Reading {
  hit: Exclude<Lookup, null>;
  text: string;
}

/**
 * The units of one entry: the entry as one name, or else names separated by ・ / or spaces, longest
 * names first. null when no such reading exists.
 */
function unitsOfEntry(index: UnitIndex, entry: string): Reading[] | null {
  const tokens = entry.split(softSeparators);
  const raw = tokens.filter((_, i) => i % 2 === 0);
  const rawSeps = tokens.filter((_, i) => i % 2 === 1);
  const parts = raw.map(unitNameKey);
  const seps = rawSeps.map(unitNameKey);
  const n = parts.length;
  // next[i]: where the reading of parts i… continues after its first name; n + 1: no reading.
  const next = new Array<number>(n + 1).fill(n + 1);
  const found = new Array<Reading | null>(n).fill(null);
  next[n] = n;
  for (let i = n - 1; i >= 0; i--) {
    if (parts[i] === '') {
      // Before the first name (a bullet) or after the last.
      next[i] = next[i + 1]! <= n ? i + 1 : n + 1;
      continue;
    }
    let key = parts[i]!;
    let text = raw[i]!;
    for (let j = i; j < n && index.prefixes.has(key); j++) {
      const hit = index.lookup(key);
      if (hit && next[j + 1]! <= n) {
        next[i] = j + 1;
        found[i] = { hit, text };
      }
      if (j + 1 < n) {
        key += seps[j]! + parts[j + 1]!;
        text += rawSeps[j]! + raw[j + 1]!;
      }
    }
  }
  if (next[0]! > n) return null;
  const out: Reading[] = [];
  for (let i = 0; i < n; i = next[i]!) {
    const f = found[i];
    if (f && parts[i] !== '') out.push(f);
  }
  return out;
}

/** A list of units (主な担当): their ids in the order written, each once; blank is the empty list. */
export function resolveUnitList(units: readonly UnitName[], raw: string): { ok: true; ids: string[] } | { ok: false; message: string; log: string } {
  if (isBlank(raw)) return { ok: true, ids: [] };
  const index = UnitIndex.of(units);
  const ids = new Set<string>();
  for (const entry of splitUnitList(raw)) {
    const read = unitsOfEntry(index, entry);
    if (read === null) return unknown(entry, '組織', '組織名を1行に1つずつ入力してください。');
    for (const { hit, text } of read) {
      const r = answer(hit, text.trim(), '組織');
      if (!r.ok) return r;
      ids.add(r.value.id);
    }
  }
  return { ok: true, ids: [...ids] };
}
