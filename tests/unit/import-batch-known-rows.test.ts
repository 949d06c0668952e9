/**
 * The rows under a parent the change set inserted are answered by the writer, without a query (an
 * import asks for a new target's values once per year and column): the answer must be the
 * database's, at every step (values set, changed, cleared, a row moved under the new parent, one
 * deleted), on both engines.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { withChange } from '../../electron/db/change-writer';
import type { PlanDb } from '../../electron/db/plan-db';
import { SqlStore } from '../../electron/model/sql-store';
import { setTargetValue } from '../../shared/model/cell-writes';
import type { StoredRow, Where } from '../../shared/model/store';
import { engines, usePlan } from '../helpers/engines';

describe.each(engines)('%s', (engine) => {
  const env = usePlan(engine);
  let db: PlanDb;
  beforeEach(() => void (db = env.db));

  it('answers finds under a new target as the database does', async () => {
    const existing = await db.q.selectFrom('target_value').selectAll().orderBy('id').executeTakeFirstOrThrow();
    const answers: { known: StoredRow[]; stored: StoredRow[] }[] = [];
    await withChange(db, { label: 'テスト' }, async (w, tx) => {
      const store = new SqlStore(tx, w);
      // Reads the database itself: a store without a writer knows nothing written.
      const database = new SqlStore(tx, null);
      const template = (await database.get('target', existing.target_id))!;
      const id = '0b0b0b0b-1111-4222-8333-444444444444';
      await store.insert('target', { ...template, id, key: 'batch-known-rows' });
      const compare = async () => {
        for (const where of [{ target_id: id }, { target_id: id, fiscal_year: 2021 }, { target_id: id, fiscal_year: 2022 }] as Where[])
          answers.push({ known: await store.find('target_value', where), stored: await database.find('target_value', where) });
      };
      await compare();
      await setTargetValue(store, id, 2021, 'plan_value', 12.5);
      await compare();
      await setTargetValue(store, id, 2021, 'plan_text', '十二');
      await setTargetValue(store, id, 2022, 'actual_value', 3);
      await compare();
      await setTargetValue(store, id, 2021, 'plan_value', null);
      await setTargetValue(store, id, 2021, 'plan_text', null);
      await compare();
      // A row of an older target moved under the new one, then taken away again.
      await w.update('target_value', existing.id, { target_id: id, fiscal_year: 2030 });
      await compare();
      await w.delete('target_value', existing.id);
      await compare();
      throw new Error('rolled back');
    }).catch((e: unknown) => {
      if (!(e instanceof Error) || e.message !== 'rolled back') throw e;
    });
    expect(answers).toHaveLength(18);
    // The store with a writer answered from what it wrote (no query would have needed the writer).
    expect(answers.some((a) => a.known.length > 0)).toBe(true);
    for (const a of answers) expect(a.known).toEqual(a.stored);
    expect(answers[12]!.known.map((r) => r.id)).toContain(existing.id);
    expect(answers[15]!.known.map((r) => r.id)).not.toContain(existing.id);
  });
});
