/**
 * The SQLite engine (electron/db/sqlite-engine.ts) turns a boolean handed to a query into 0 or 1
 * itself, where the parameters are, rather than through the plugin that walks every query (the
 * PostgreSQL engine keeps that), and every SQLite Kysely shares one query compiler. These tests hold
 * both to what the plugin did: booleans stored, matched and listed as 0 and 1, a literal TRUE read as
 * 1, and two plans open at once each reading its own rows when their queries interleave.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openPlanDatabase } from '../../electron/db/open';
import { seededDatabase, sqliteOf } from '../helpers/seeded-db';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function seeded() {
  const s = seededDatabase();
  cleanups.push(s.cleanup);
  return s;
}

// What a caller may hand a yes/no column (is_new holds 0 or 1): a JavaScript boolean.
const yes = true as unknown as number;
const no = false as unknown as number;

describe('the SQLite engine', () => {
  it('stores a boolean handed to a query as 1 or 0, and finds rows by one (in a comparison and in a list)', async () => {
    const s = seeded();
    const db = s.db.db;
    const [a, b] = (await db.q.selectFrom('overview_item').select('id').orderBy('id').limit(2).execute()).map((r) => r.id);
    await db.transaction(async (tx) => {
      await tx.q.updateTable('overview_item').set({ is_new: yes }).where('id', '=', a!).execute();
      await tx.q.updateTable('overview_item').set({ is_new: no }).where('id', '=', b!).execute();
    });
    const stored = sqliteOf(s.db).prepare('select id, is_new from overview_item where id in (?, ?) order by id').all(a, b);
    expect(stored).toEqual([
      { id: a, is_new: 1 },
      { id: b, is_new: 0 },
    ]);
    const pair = [a!, b!];
    expect((await db.q.selectFrom('overview_item').select('id').where('id', 'in', pair).where('is_new', '=', yes).execute()).map((r) => r.id)).toEqual([a]);
    expect((await db.q.selectFrom('overview_item').select('id').where('id', 'in', pair).where('is_new', 'in', [no]).execute()).map((r) => r.id)).toEqual([b]);
    const newOnes = (sqliteOf(s.db).prepare('select count(*) as n from overview_item where is_new = 1').get() as { n: number }).n;
    expect(newOnes).toBeGreaterThan(0);
    const literal = await sql<{ n: number }>`select count(*) as n from overview_item where is_new = ${sql.lit(true)}`.execute(db.q);
    expect(literal.rows[0]!.n).toBe(newOnes);
  });

  it('keeps two plans open at once apart when their queries interleave (one compiler for both)', async () => {
    const s = seeded();
    const otherPath = join(s.dir, 'other.plandb');
    await s.db.db.close();
    copyFileSync(s.path, otherPath);
    const one = openPlanDatabase(s.path, { create: false }).db;
    const other = openPlanDatabase(otherPath, { create: false }).db;
    try {
      await other.transaction((tx) => tx.q.updateTable('plan').set({ title: '別の計画' }).execute());
      const titles = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : one).snapshot(async (tx) => (await tx.q.selectFrom('plan').select('title').executeTakeFirstOrThrow()).title)),
      );
      expect(titles.filter((_, i) => i % 2)).toEqual(Array(10).fill('別の計画'));
      expect(new Set(titles.filter((_, i) => i % 2 === 0)).size).toBe(1);
      expect(titles[0]).not.toBe('別の計画');
    } finally {
      await one.close();
      await other.close();
    }
  });
});
