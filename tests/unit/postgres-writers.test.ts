import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withChange } from '../../electron/db/change-writer';
import type { OpenedDatabase } from '../../electron/db/open';
import { latestRevision } from '../../electron/model/plan-state';
import { type PlanUnderTest, reopen, seededPlan } from '../helpers/engines';

/**
 * Two processes writing one PostgreSQL plan (two pools on one database): writers take turns, so a
 * change set's id follows the order change sets commit, and "the plan at revision n" (what a
 * hand-out or an import analysis records) holds every change with a smaller id.
 */
describe('two writers on one PostgreSQL plan', () => {
  let plan: PlanUnderTest;
  let other: OpenedDatabase;
  beforeEach(async () => {
    plan = await seededPlan('postgres');
    other = await reopen(plan.location);
  });
  afterEach(async () => {
    await other.db.close();
    await plan.cleanup();
  });

  const rename = (unitId: string, name: string) => async (w: Parameters<Parameters<typeof withChange>[2]>[0]) => {
    await w.update('unit', unitId, { name });
  };

  it('take turns: the second waits for the first to commit, and ids follow the commit order', async () => {
    const units = await plan.db.q.selectFrom('unit').select('id').orderBy('position').limit(2).execute();
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => (releaseFirst = r));
    const committed: string[] = [];
    let firstInside!: () => void;
    const firstIsInside = new Promise<void>((r) => (firstInside = r));
    const first = withChange(plan.db, { label: '一つ目' }, async (w) => {
      await rename(units[0]!.id, '一つ目の名前')(w);
      firstInside();
      await firstMayCommit;
    }).then((r) => (committed.push('first'), r));
    await firstIsInside;
    const second = withChange(other.db, { label: '二つ目' }, rename(units[1]!.id, '二つ目の名前')).then((r) => (committed.push('second'), r));
    // While the first holds its turn, a reader sees neither change and the second has not committed.
    await new Promise((r) => setTimeout(r, 300));
    expect(committed).toEqual([]);
    const before = await latestRevision(plan.db);
    releaseFirst();
    const [a, b] = await Promise.all([first, second]);
    expect(committed).toEqual(['first', 'second']);
    expect(a.changeSetId).toBeGreaterThan(before);
    expect(b.changeSetId).toBeGreaterThan(a.changeSetId!);
    const names = await plan.db.q.selectFrom('unit').select('name').where('id', 'in', units.map((u) => u.id)).orderBy('position').execute();
    expect(names.map((n) => n.name)).toEqual(['一つ目の名前', '二つ目の名前']);
  });

  it('many concurrent actions from two processes all land, each once, in id order of commit', async () => {
    const units = await plan.db.q.selectFrom('unit').select('id').orderBy('position').limit(10).execute();
    const order: number[] = [];
    await Promise.all(
      units.map((u, i) =>
        withChange(i % 2 ? other.db : plan.db, { label: `名前${i}` }, rename(u.id, `名前${i}`)).then((r) => order.push(r.changeSetId!)),
      ),
    );
    // The order in which the callers heard of their commits is the order of the ids.
    expect(order).toEqual([...order].sort((x, y) => x - y));
    const names = await plan.db.q.selectFrom('unit').select(['id', 'name']).where('id', 'in', units.map((u) => u.id)).execute();
    expect(new Set(names.map((n) => n.name))).toEqual(new Set(units.map((_, i) => `名前${i}`)));
  });

  it('lets go of its turn after a commit and after a refused action, so the other process is not kept waiting', async () => {
    const [unit] = await plan.db.q.selectFrom('unit').select('id').orderBy('position').limit(1).execute();
    const heldTurns = async () => Number((await sql<{ n: number }>`select count(*) as n from pg_locks where locktype = 'advisory' and granted`.execute(other.db.q)).rows[0]!.n);
    await withChange(plan.db, { label: '通る' }, rename(unit!.id, '通る名前'));
    expect(await heldTurns()).toBe(0);
    // Refused inside the transaction, more times than the pool has connections: every one lets go.
    for (let i = 0; i < 6; i++)
      await expect(
        withChange(plan.db, { label: '断られる' }, async (w) => {
          await rename(unit!.id, `断られる名前${i}`)(w);
          throw new Error('refused on purpose');
        }),
      ).rejects.toThrow('refused on purpose');
    expect(await heldTurns()).toBe(0);
    const r = await withChange(other.db, { label: '他の人' }, rename(unit!.id, '他の人の名前'));
    expect(r.changeSetId).not.toBeNull();
    const [after] = await plan.db.q.selectFrom('unit').select('name').where('id', '=', unit!.id).execute();
    expect(after!.name).toBe('他の人の名前');
  });

  it('never reports as saved an action whose query failed unseen: PostgreSQL rolled it back, and so is the action', async () => {
    const [unit] = await plan.db.q.selectFrom('unit').select(['id', 'name']).orderBy('position').limit(1).execute();
    const heldTurns = async () => Number((await sql<{ n: number }>`select count(*) as n from pg_locks where locktype = 'advisory' and granted`.execute(other.db.q)).rows[0]!.n);
    await expect(
      plan.db.transaction(async (tx) => {
        await tx.q.updateTable('unit').set({ name: '消えるはずの名前' }).where('id', '=', unit!.id).execute();
        // Its failure is caught here and never reaches the action: the transaction is aborted all the same,
        // and a COMMIT would answer ROLLBACK without an error.
        void sql`select * from no_such_table`.execute(tx.q).catch(() => {});
      }),
    ).rejects.toThrow(/no_such_table/);
    const [after] = await other.db.q.selectFrom('unit').select('name').where('id', '=', unit!.id).execute();
    expect(after!.name).toBe(unit!.name);
    expect(await heldTurns()).toBe(0);
  });
});
