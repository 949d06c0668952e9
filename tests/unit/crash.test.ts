import { describe, expect, it } from 'vitest';
import { crashTest } from '../crash/crash-run';

describe('durability', () => {
  it('20 SIGKILLs while writing lose no acknowledged edit and leave no half paste or half import', async () => {
    const report = await crashTest(20);
    expect(report.problems).toEqual([]);
    expect(report.acknowledged).toBeGreaterThan(20);
    expect(report.imports).toBe(true);
  }, 240_000);
});
