import { formatQuantity } from '../numbers/parse';

/** What is shown where a figure is missing: never 0. */
export const MISSING = '—';

/** A figure for people: thousands separators, at most two decimals; — when missing. */
export function formatFigure(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const rounded = Math.round(value * 100) / 100;
  // Whole numbers (most figures) without formatQuantity's decimal parsing; the same text.
  if (Number.isSafeInteger(rounded)) return `${rounded < 0 ? '−' : ''}${grouped(String(Math.abs(rounded)))}${unit}`;
  return formatQuantity(rounded, unit).replace(/^-/, '−');
}

/** Digits with a comma every three from the right: 1234567 → 1,234,567. */
function grouped(digits: string): string {
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/** A difference with its sign: +1,200 / −16,700 / ±0. */
export function formatSigned(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const rounded = Math.round(value * 100) / 100;
  if (rounded === 0) return `±0${unit}`;
  return `${rounded > 0 ? '+' : '−'}${formatQuantity(Math.abs(rounded), unit)}`;
}

/** A share in percent with one decimal: 33.2%. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return `${formatQuantity(Math.round(value * 10) / 10)}%`;
}

/** 2021・2022年度 / 2020年度 */
export function formatYears(years: readonly number[]): string {
  return years.length === 0 ? '' : `${years.join('・')}年度`;
}

/** A figure with exactly `decimals` decimals and thousands separators: 60 → 「60.0」 with one decimal. */
export function formatFixed(value: number | null | undefined, decimals: number, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const [int = '0', frac] = Math.abs(value).toFixed(decimals).split('.');
  const negative = value < 0 && Number(`${int}.${frac ?? '0'}`) !== 0;
  return `${negative ? '−' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}${unit}`;
}
