/** Small timing helpers for the benchmarks (never used in tests: benchmarks print figures, tests assert behaviour). */

export function now(): number {
  return performance.now();
}

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export function distribution(samples: number[]): Distribution {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { n: s.length, p50: round(at(0.5)), p95: round(at(0.95)), max: round(s[s.length - 1]!) };
}

export async function timeIt<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t = now();
  const value = await fn();
  return { ms: round(now() - t), value };
}

/** The median of `runs` timings of fn (after one warm-up). */
export async function medianMs(runs: number, fn: () => unknown): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await timeIt(fn)).ms);
  return distribution(samples).p50;
}

export const round = (x: number) => Math.round(x * 1000) / 1000;
export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
