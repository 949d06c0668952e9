import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { openPlanDatabase } from '../../electron/db/open';
import type { PlanDb } from '../../electron/db/plan-db';
import { copiedTables, copyPlan } from '../../electron/db/plan-copy';
import { openPostgresPlan } from '../../electron/db/postgres-open';
import { freshPostgresDatabase } from '../helpers/pg-database';
import { seededDatabase, sqliteOf } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

/**
 * A whole plan, its change log included, copied from the seed file to a real PostgreSQL database
 * and from there to a new file: every row of every table arrives as it was (texts of any Unicode,
 * fractions, positions at ±10^12, nulls), the copy's ids go on where the original's stopped, and a
 * target that holds a plan is refused unless forced.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Loose = Kysely<Record<string, Record<string, unknown>>>;

/** Every row of every copied table, ordered by id. */
async function contents(db: PlanDb): Promise<Record<string, Record<string, unknown>[]>> {
  return db.snapshot(async (tx) => {
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const table of copiedTables) out[table] = await (tx.q as unknown as Loose).selectFrom(table).selectAll().orderBy('id').execute();
    return out;
  });
}

async function seeded(): Promise<PlanDb> {
  const s = seededDatabase();
  cleanups.push(s.cleanup);
  return s.db.db;
}

async function postgresPlan(): Promise<PlanDb> {
  const fresh = await freshPostgresDatabase();
  cleanups.push(fresh.drop);
  const opened = await openPostgresPlan(fresh.location);
  cleanups.push(() => opened.db.close());
  return opened.db;
}

function sqlitePlan(): PlanDb {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const opened = openPlanDatabase(join(t.dir, 'copy.plandb'));
  cleanups.push(() => opened.db.close());
  return opened.db;
}

/** Values a plain seed does not have: odd Unicode, fractions, extreme positions, nulls, and a change log with an undo. */
async function addEdgeValues(db: PlanDb): Promise<void> {
  await db.transaction(async (tx) => {
    const q = tx.q;
    const unit = await q.selectFrom('unit').select('id').orderBy('id').executeTakeFirstOrThrow();
    await q
      .updateTable('unit')
      .set({ name: 'e\u0301 😀 𠮷野家 ‮rtl‬ \t tab\nline ﻿bom', short_name: null, position: 1_000_000_000_000 })
      .where('id', '=', unit.id)
      .execute();
    const targets = await q.selectFrom('target').select('id').orderBy('id').limit(3).execute();
    const values: [number | null, number | null][] = [
      [0.1 + 0.2, -1e-300],
      [null, 1e300],
      [-2.5, 123456789.12345679],
    ];
    for (const [i, t] of targets.entries())
      await q.updateTable('target').set({ baseline_value: values[i]![0], term_goal_value: values[i]![1], position: -1_000_000_000_000 + i, note: i === 0 ? null : '' }).where('id', '=', t.id).execute();
    const first = await q.insertInto('change_set').values({ at: '2026-04-01T09:00:00.000Z', user: '山田 太郎', label: '編集', source: null, reverts_id: null }).returning('id').executeTakeFirstOrThrow();
    const undo = await q.insertInto('change_set').values({ at: '2026-04-01T09:00:01.000Z', user: 'yamada', label: '元に戻す', source: 'grid', reverts_id: first.id }).returning('id').executeTakeFirstOrThrow();
    await q
      .insertInto('change')
      .values([
        { set_id: first.id, table_name: 'unit', row_id: unit.id, op: 'update', column_name: 'name', old_value: '"総務部"', new_value: JSON.stringify('e\u0301 😀') },
        { set_id: undo.id, table_name: 'unit', row_id: unit.id, op: 'update', column_name: 'name', old_value: JSON.stringify('e\u0301 😀'), new_value: '"総務部"' },
        { set_id: undo.id, table_name: 'target', row_id: targets[0]!.id, op: 'delete', column_name: null, old_value: '{"a":1}', new_value: null },
      ])
      .execute();
    // More rows than the copy reads in one page (2000), in a table with text ids and in one with integer ids.
    for (let i = 0; i < 2500; i += 250) {
      const units = Array.from({ length: 250 }, (_, j) => ({ id: randomUUID(), kind: 'group' as const, name: `班 ${i + j}`, short_name: j % 2 ? null : `${i + j}`, position: i + j }));
      await q.insertInto('unit').values(units).execute();
      await q
        .insertInto('change')
        .values(units.map((u) => ({ set_id: first.id, table_name: 'unit', row_id: u.id, op: 'insert' as const, column_name: null, old_value: null, new_value: JSON.stringify(u) })))
        .execute();
    }
  });
}

describe('copying a plan between engines', () => {
  it('a file → PostgreSQL → a new file: every row of every table identical, change log included', async () => {
    const original = await seeded();
    const seedSets = (await contents(original)).change_set!.length;
    await addEdgeValues(original);
    const before = await contents(original);
    expect(before.change_set!.length).toBe(seedSets + 2);
    expect(before.action_row!.length).toBeGreaterThan(10);
    expect(before.unit!.length).toBeGreaterThan(2500);

    const pg = await postgresPlan();
    const there = await copyPlan(original, pg);
    expect(there.rows.change).toBe(before.change!.length);
    expect(there.rows.unit).toBe(before.unit!.length);
    expect(await contents(pg)).toEqual(before);

    const back = sqlitePlan();
    await copyPlan(pg, back);
    expect(await contents(back)).toEqual(before);
    // SQLite keeps what it stored as a real a real (and an integer an integer).
    const kinds = (db: PlanDb) => sqliteOf(db).prepare('select id, typeof(baseline_value) as a, typeof(term_goal_value) as b, typeof(position) as p from target order by id').all();
    expect(kinds(back)).toEqual(kinds(original));

    // The copies' ids go on after the copied ones.
    const next = async (db: PlanDb) => (await db.q.insertInto('change_set').values({ at: 'x', user: 'u', label: 'l', source: null, reverts_id: null }).returning('id').executeTakeFirstOrThrow()).id;
    const last = Math.max(...before.change_set!.map((r) => r.id as number));
    expect(await next(pg)).toBe(last + 1);
    expect(await next(back)).toBe(last + 1);
  });

  it('refuses a target that holds a plan, changing nothing, and empties it first when forced', async () => {
    const original = await seeded();
    const pg = await postgresPlan();
    await copyPlan(original, pg);
    await pg.q.insertInto('change_set').values({ at: 'x', user: 'someone else', label: 'their edit', source: null, reverts_id: null }).execute();
    const theirs = await contents(pg);

    let refusal: unknown;
    try {
      await copyPlan(original, pg);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('conflict');
    expect((refusal as AppError).messageJa).toMatch(/すでに入っています。上書きするときは --force/);
    expect(await contents(pg)).toEqual(theirs);

    // Only a change set is there (no plan row): still not empty.
    const logOnly = sqlitePlan();
    await logOnly.q.insertInto('change_set').values({ at: 'x', user: 'u', label: 'l', source: null, reverts_id: null }).execute();
    await expect(copyPlan(original, logOnly)).rejects.toBeInstanceOf(AppError);

    await copyPlan(original, pg, { force: true });
    expect(await contents(pg)).toEqual(await contents(original));
  });

  it('a copy that fails leaves the target as it was', async () => {
    const original = await seeded();
    const pg = await postgresPlan();
    // A row the target refuses (a name PostgreSQL cannot hold): the copy stops inside its one transaction.
    sqliteOf(original).pragma('ignore_check_constraints = ON');
    sqliteOf(original).prepare("update unit set name = 'a' || char(0) || 'b' where id = (select min(id) from unit)").run();
    sqliteOf(original).pragma('ignore_check_constraints = OFF');
    await expect(copyPlan(original, pg)).rejects.toThrow();
    for (const rows of Object.values(await contents(pg))) expect(rows).toEqual([]);
  });

  it('refuses to copy a plan onto itself', async () => {
    const original = await seeded();
    await expect(copyPlan(original, original, { force: true })).rejects.toMatchObject({ code: 'invalid_arguments' });
  });
});
