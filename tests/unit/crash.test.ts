import { describe, expect, it } from 'vitest';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { baselineOf, checkPlan } from '../crash/checks';
import { crashTest } from '../crash/crash-run';
import { crashLayout } from '../crash/layout';
import { noAcks } from '../crash/victim';
import { seededDatabase } from '../helpers/seeded-db';

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

describe('the crash checks', () => {
  it('see a lost acknowledged edit, half a paste and a cell changed outside the change log', async () => {
    const s = seededDatabase();
    try {
      const db = s.db.db;
      const baseline = await baselineOf(db);
      const layout = await crashLayout(db);
      const acks = noAcks();
      expect(await checkPlan(db, acks, baseline)).toEqual([]);
      // A whole paste through the services: sound.
      await applyGridEdits(db, '貼り付け', layout.blockRows.map((id) => ({ entity: 'actionRow' as const, id, field: 'termPlan', value: 'b7' })));
      acks.block = 7;
      expect(await checkPlan(db, acks, baseline)).toEqual([]);
      // An acknowledged edit that is not there; one row of the paste rewritten behind the log's back.
      acks.single.set(layout.singleRows[0]!, 9);
      await db.q.updateTable('action_row').set({ term_plan: 'b8' }).where('id', '=', layout.blockRows[3]!).execute();
      const problems = (await checkPlan(db, acks, baseline)).join('\n');
      expect(problems).toContain('acknowledged edit v9');
      expect(problems).toContain('half a paste');
      expect(problems).toContain(`action_row ${layout.blockRows[3]} term_plan: the data holds "b8", the log gives "b7"`);
    } finally {
      await s.cleanup();
    }
  });
});
