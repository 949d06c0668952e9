import { describe, expect, it } from 'vitest';
import { crashTest } from '../crash/crash-run';

describe('durability', () => {
  it('20 SIGKILLs while writing lose no acknowledged edit and leave no half paste', async () => {
    const report = await crashTest(20);
    expect(report.problems).toEqual([]);
    expect(report.acknowledged).toBeGreaterThan(20);
  }, 240_000);
});
