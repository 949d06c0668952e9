import { describe, expect, it } from 'vitest';
import { crashTest } from '../crash/crash-run';

/**
 * The short run of the crash test (`npm run test:crash` is the long one, 200 of each part): 20
 * kills shared between a writer killed with SIGKILL on a plan file, one killed on PostgreSQL, and
 * PostgreSQL stopped with an immediate shutdown under a writer (the cheapest of the three: one
 * writer lives through every stop). The PostgreSQL parts run on a cluster of their own
 * (tests/crash/pg-server.ts), not the suite's shared one: the test stops it.
 */
describe('durability', () => {
  it('SIGKILLs and immediate shutdowns while writing lose no acknowledged edit and leave no half paste or half import', async () => {
    const reports = await crashTest({ 'sqlite-kill': 7, 'postgres-kill': 7, 'postgres-stop': 6 });
    expect(reports.map((r) => r.part)).toEqual(['sqlite-kill', 'postgres-kill', 'postgres-stop']);
    for (const r of reports) {
      expect(r.problems, r.part).toEqual([]);
      // Every kill struck after at least one acknowledged action, every other one after an import.
      expect(r.acknowledged, r.part).toBeGreaterThanOrEqual(r.kills);
      expect(r.imports, r.part).toBe(true);
    }
    // While the server was down the writer was answered with an error (not left hanging).
    expect(reports[2]!.errorsWhileDown.length).toBeGreaterThan(0);
  }, 600_000);
});
