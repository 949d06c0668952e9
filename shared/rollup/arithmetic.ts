/**
 * Sums and differences of plan figures without binary floating-point noise: 55.7 − 60 is −4.3,
 * not −4.299999999999997, and 0.1 + 0.2 is 0.3. Each result is rounded to the most decimals
 * among its operands (at most 10), which is exact for figures typed as decimals.
 */

/** Decimals of a figure as typed (at most 10); exported for sums made in one pass without an array. */
export function decimalsOf(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return 0;
  const text = String(value);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Math.min(10, Number(exp[1]) + (text.split('e')[0]!.split('.')[1]?.length ?? 0));
  return Math.min(10, text.split('.')[1]?.length ?? 0);
}

/** `value` rounded to `decimals` decimals, as exactSum rounds its result. */
export function roundTo(value: number, decimals: number): number {
  if (decimals === 0) return Math.round(value);
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** The sum of the values, rounded to the most decimals among them. */
export function exactSum(values: readonly number[]): number {
  let decimals = 0;
  let sum = 0;
  for (const v of values) {
    decimals = Math.max(decimals, decimalsOf(v));
    sum += v;
  }
  return roundTo(sum, decimals);
}

/** a − b, rounded to the most decimals of the two. */
export function exactDifference(a: number, b: number): number {
  return roundTo(a - b, Math.max(decimalsOf(a), decimalsOf(b)));
}

/** a / b as a percentage with one decimal (33.2 for 8,300 / 25,000). */
export function percentOf(a: number, b: number): number {
  return Math.round((a / b) * 1000) / 10;
}
