import { excerpt } from '../text/excerpt';

/**
 * Reads numbers the way the plan documents write them and the way people type or paste them:
 * 25,000 / 1万 / 2.5万 / 8万3千 / 30万件 / ２５，０００ / 80％ / 7.5億円 / 延3,300名 / 4割 / ▲2億円.
 */

export interface Quantity {
  /** The number in plain units: 1万社 → 10000, 7.5億円 → 750000000, 80％ → 80, 4割 → 40. */
  value: number;
  /** The unit written after the number ('社', '名', '%', '円', …), '' when none. */
  unit: string;
  /** Direction words found after the number. */
  qualifier?: 'at_least' | 'more_than' | 'at_most' | 'less_than';
  /** 延 (cumulative count) was written before the number. */
  cumulative?: boolean;
}

export type ParseResult = { ok: true; quantity: Quantity } | { ok: false; message: string };

/** 万・億・兆 multiply everything written before them (back to the previous one); 千・百・十 multiply one number. */
const bigMultipliers: Record<string, number> = { 兆: 12, 億: 8, 万: 4 };
const smallMultipliers: Record<string, number> = { 千: 3, 百: 2, 十: 1 };
const qualifiers: [string, Quantity['qualifier']][] = [
  ['以上', 'at_least'],
  ['超', 'more_than'],
  ['以下', 'at_most'],
  ['未満', 'less_than'],
];

/** Units with a multiplier of their own: a value in 億円 is counted in 100-million yen. */
const scaledUnits: Record<string, { base: string; power: number }> = {
  億円: { base: '円', power: 8 },
  万円: { base: '円', power: 4 },
  千円: { base: '円', power: 3 },
  百万円: { base: '円', power: 6 },
  万人: { base: '人', power: 4 },
  万件: { base: '件', power: 4 },
  万社: { base: '社', power: 4 },
  万名: { base: '名', power: 4 },
};

function normalise(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\s]/g, '')
    .replace(/[−‐‑–—ー]/g, (c, offset: number) => (offset === 0 ? '-' : c))
    .replace(/^[▲△]/, '-');
}

/** One number group: digits with optional thousands commas and a decimal part. */
const groupPattern = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?/;

function fail(input: string, why: string): ParseResult {
  return { ok: false, message: `「${excerpt(input)}」は数値として読めません（${why}）。例: 25,000、1万、2.5万、80%、7.5億円` };
}

/** An exact decimal: digits / 10^scale. Sums and powers of ten stay exact (no 2.5万 = 24999.999…). */
interface Decimal {
  digits: bigint;
  scale: number;
}
const zero: Decimal = { digits: 0n, scale: 0 };
const decimalOf = (int: string, frac = ''): Decimal => ({ digits: BigInt(`${int}${frac}`), scale: frac.length });
function shift(d: Decimal, power: number): Decimal {
  if (d.scale >= power) return { digits: d.digits, scale: d.scale - power };
  return { digits: d.digits * 10n ** BigInt(power - d.scale), scale: 0 };
}
function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  const widen = (d: Decimal) => d.digits * 10n ** BigInt(scale - d.scale);
  return { digits: widen(a) + widen(b), scale };
}
function toNumber(d: Decimal, sign: number): number {
  const s = d.digits.toString().padStart(d.scale + 1, '0');
  const text = d.scale === 0 ? s : `${s.slice(0, s.length - d.scale)}.${s.slice(s.length - d.scale)}`;
  return sign * Number(text);
}

/** Longer than any finite number written out with commas (1.8e308: 412 characters); refused before the digit arithmetic, quadratic in its length. */
const MAX_NUMBER_CHARS = 1000;

export function parseQuantity(input: string): ParseResult {
  if (input.length > MAX_NUMBER_CHARS * 4) return fail(input, '長すぎます');
  let s = normalise(input);
  if (s === '') return fail(input, '空です');
  if (s.length > MAX_NUMBER_CHARS) return fail(input, '長すぎます');
  let cumulative = false;
  if (s.startsWith('延')) {
    cumulative = true;
    s = s.slice(s.startsWith('延べ') ? 2 : 1);
  }
  let sign = 1;
  if (s.startsWith('-')) {
    sign = -1;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);

  // 8万3千 / 1億2,000万 / 3千万 / 1万2千3百: numbers, each optionally times 千・百・十, grouped under 兆・億・万.
  let total = zero; // the groups closed by 万・億・兆
  let section = zero; // since the last 万・億・兆
  let pending: Decimal | null = null; // a number not yet multiplied
  let numbers = 0;
  let lastBig = Infinity;
  let lastSmall = Infinity;
  for (;;) {
    if (pending === null) {
      const m = groupPattern.exec(s);
      if (m) {
        pending = decimalOf(m[1]!.replace(/,/g, ''), m[2] ?? '');
        numbers++;
        s = s.slice(m[0].length);
      }
    }
    const c = s[0];
    const small = c !== undefined ? smallMultipliers[c] : undefined;
    if (small !== undefined && pending !== null) {
      if (small >= lastSmall) return fail(input, '千・百などの順序が不正です');
      section = add(section, shift(pending, small));
      pending = null;
      lastSmall = small;
      s = s.slice(1);
      continue;
    }
    const big = c !== undefined ? bigMultipliers[c] : undefined;
    if (big !== undefined && (pending !== null || section.digits !== 0n || lastSmall !== Infinity)) {
      if (big >= lastBig) return fail(input, '万・億などの順序が不正です');
      total = add(total, shift(add(section, pending ?? zero), big));
      section = zero;
      pending = null;
      lastBig = big;
      lastSmall = Infinity;
      s = s.slice(1);
      continue;
    }
    break;
  }
  if (numbers === 0) return fail(input, '数字がありません');
  total = add(total, add(section, pending ?? zero));

  let percentFromWari = false;
  if (s.startsWith('割')) {
    percentFromWari = true;
    total = shift(total, 1);
    s = s.slice(1);
  }
  let qualifier: Quantity['qualifier'];
  for (const [word, q] of qualifiers) {
    if (s.endsWith(word)) {
      qualifier = q;
      s = s.slice(0, -word.length);
      break;
    }
  }
  let unit = s;
  if (percentFromWari) {
    if (unit !== '') return fail(input, '「割」のあとに単位があります');
    unit = '%';
  }
  if (/[\d.,+-]/.test(unit)) return fail(input, '数字のあとに余分な文字があります');
  if (unit[0] !== undefined && (unit[0] in bigMultipliers || unit[0] in smallMultipliers)) return fail(input, '万・億などの順序が不正です');
  if (unit.length > 12) return fail(input, '単位が長すぎます');
  const value = toNumber(total, sign);
  if (!Number.isFinite(value)) return fail(input, '大きすぎます');
  const quantity: Quantity = { value, unit };
  if (qualifier) quantity.qualifier = qualifier;
  if (cumulative) quantity.cumulative = true;
  return { ok: true, quantity };
}

/** Spellings of one counter that the documents use interchangeably (6ヶ所 / 1か所). */
const unitSpellings: Record<string, string> = { か所: 'ヶ所', カ所: 'ヶ所', ケ所: 'ヶ所', ヵ所: 'ヶ所', 箇所: 'ヶ所' };
const canonicalUnit = (unit: string) => {
  const u = unit.normalize('NFKC').replace(/\s/g, '');
  return unitSpellings[u] ?? u;
};

/**
 * Reads input meant for a column counted in `unit`: 「2.5万」 in a 名 column is 25000, 「7.5億円」 in
 * a 億円 column is 7.5, 「3,300社」 in a 名 column is refused.
 */
export function parseNumberFor(input: string, columnUnit = ''): { ok: true; value: number } | { ok: false; message: string } {
  const parsed = parseQuantity(input);
  if (!parsed.ok) return parsed;
  const q = parsed.quantity;
  const unit = canonicalUnit(columnUnit);
  const written = canonicalUnit(q.unit);
  const scaled = scaledUnits[unit];
  if (written === '' || written === unit) return { ok: true, value: q.value };
  if (scaled && written === scaled.base) return { ok: true, value: timesPowerOfTen(q.value, -scaled.power) };
  const writtenScaled = scaledUnits[written];
  if (writtenScaled && writtenScaled.base === unit) return { ok: true, value: timesPowerOfTen(q.value, writtenScaled.power) };
  if (unit === '') return { ok: true, value: q.value };
  return { ok: false, message: `「${excerpt(input)}」の単位「${excerpt(q.unit, 20)}」はこの欄の単位「${columnUnit}」と違います。` };
}

/** The shortest decimal that reads back as `value`, without exponent: 1e21 → 1000…, 1e-7 → 0.0000001. */
function plainDecimal(value: number): { int: string; frac: string } {
  const text = String(Math.abs(value));
  const m = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) {
    const [int = '0', frac = ''] = text.split('.');
    return { int, frac };
  }
  const digits = `${m[1]!}${m[2] ?? ''}`;
  const point = m[1]!.length + Number(m[3]);
  if (point <= 0) return { int: '0', frac: `${'0'.repeat(-point)}${digits}`.replace(/0+$/, '') };
  if (point >= digits.length) return { int: `${digits}${'0'.repeat(point - digits.length)}`, frac: '' };
  return { int: digits.slice(0, point), frac: digits.slice(point).replace(/0+$/, '') };
}

/** value × 10^power, moving the decimal point of its shortest decimal (7.5億円 → 750000000 → 7.5, exactly). */
function timesPowerOfTen(value: number, power: number): number {
  const { int, frac } = plainDecimal(value);
  const digits = `${int}${frac}`;
  const point = int.length + power;
  const text = point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? `${digits}${'0'.repeat(point - digits.length)}` : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (value < 0 ? -1 : 1) * Number(text);
}

/**
 * 25000 → 「25,000」; with a unit, 「25,000名」. Parsing the result gives the value back exactly
 * (the shortest decimal that does, with thousands commas; no exponent, no rounding).
 */
export function formatQuantity(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return `${value}${unit}`;
  const { int, frac } = plainDecimal(value);
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}${unit}`;
}
