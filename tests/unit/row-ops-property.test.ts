import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withChange } from '../../electron/db/change-writer';
import type { PlanDb } from '../../electron/db/plan-db';
import { derivedId } from '../../electron/model/derived-id';
import { readPhysical, toPlanState, type PhysicalState } from '../../electron/model/plan-state';
import { SqlStore } from '../../electron/model/sql-store';
import type { RowKind } from '../../shared/domain/editing';
import { planSchema } from '../../shared/import/plan-schema';
import { RowRemover } from '../../shared/import/state-edit';
import { setLinks, setTargetValue, setYearPlan, type TargetValueColumn } from '../../shared/model/cell-writes';
import { MemoryStore, type MemoryTables } from '../../shared/model/memory-store';
import { type PlanTableName, planTableNames } from '../../shared/model/registry';
import { planDelete } from '../../shared/model/row-delete';
import * as rows from '../../shared/model/row-ops';
import type { PlanStore, StoredRow } from '../../shared/model/store';
import { seededDatabase } from '../helpers/seeded-db';

/**
 * The row operations are written once (shared/model/row-ops.ts, cell-writes.ts) over a store. Random
 * sequences of inserts, moves, deletes, per-year cell writes and link lists run on the real seeded
 * database (SqlStore: the ChangeWriter, field rules and foreign keys) and on the same plan in memory
 * (MemoryStore) must leave the same rows; every delete removes exactly what its dry run
 * (deleteImpact) counted; and the import's in-memory plan (RowRemover on the folded state) loses
 * exactly what the app's delete removed. ROW_OPS_RUNS=300 runs it longer (each run starts from the
 * seeded plan again: the database's writes are rolled back). The stores read rows ordered by id,
 * so no operation may depend on another order than the one it sorts by.
 */

type Op =
  | { op: 'insert' | 'delete'; kind: RowKind; pick: number }
  | { op: 'move'; kind: RowKind; pick: number; direction: 'up' | 'down' }
  | { op: 'yearPlan'; pick: number; year: number; text: string | null }
  | { op: 'targetValue'; pick: number; year: number; column: TargetValueColumn; value: number | null }
  | { op: 'links'; parent: 'action_row' | 'unit_focus' | 'joint_project'; pick: number; units: number[] };

const kinds: RowKind[] = ['theme', 'actionRow', 'target', 'unit', 'overviewItem'];
const year = fc.integer({ min: 2020, max: 2023 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), kind: fc.constantFrom(...kinds), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), kind: fc.constantFrom(...kinds), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('move' as const), kind: fc.constantFrom(...kinds), pick: fc.nat(), direction: fc.constantFrom('up' as const, 'down' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('yearPlan' as const), pick: fc.nat(), year, text: fc.option(fc.constantFrom('', '計画', '別の計画'), { nil: null }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('targetValue' as const),
      pick: fc.nat(),
      year,
      column: fc.constantFrom<TargetValueColumn>('plan_value', 'actual_value'),
      value: fc.option(fc.integer({ min: -5, max: 5000 }), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('links' as const), parent: fc.constantFrom('action_row' as const, 'unit_focus' as const, 'joint_project' as const), pick: fc.nat(), units: fc.array(fc.nat(), { maxLength: 4 }) }) },
);

const idSequence = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, '0')}`;
};

const tablesOf = (p: PhysicalState): MemoryTables =>
  Object.fromEntries([...p].map(([t, byId]) => [t, Object.fromEntries([...byId].map(([id, r]) => [id, { ...r } as StoredRow]))]));
/** toPlanState copies the rows it reads: no copy needed here. */
const physicalOf = (t: MemoryTables): PhysicalState => new Map(planTableNames.map((name) => [name, new Map(Object.entries(t[name] ?? {}))]));
const copyOf = (t: MemoryTables): MemoryTables => Object.fromEntries(Object.entries(t).map(([name, byId]) => [name, Object.fromEntries(Object.entries(byId).map(([id, r]) => [id, { ...r }]))]));

/** The id the op is about, picked among the rows the memory store holds (the same the database holds). */
function idFor(mem: MemoryStore, table: PlanTableName, pick: number): string | null {
  const ids = Object.keys(mem.tables[table] ?? {}).sort();
  return ids.length === 0 ? null : ids[pick % ids.length]!;
}

/** What running `fn` gave: its value, or the error's message (both stores must fail alike). */
async function outcome<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await fn() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The rows a delete removed and the cells it emptied, from the tables before and after. */
function diff(before: MemoryTables, after: MemoryTables): { removed: string[]; cleared: string[] } {
  const removed: string[] = [];
  const cleared: string[] = [];
  for (const [table, byId] of Object.entries(before)) {
    for (const [id, row] of Object.entries(byId)) {
      const now = after[table]?.[id];
      if (!now) removed.push(`${table}|${id}`);
      else for (const [c, v] of Object.entries(row)) if (now[c] !== v) cleared.push(`${table}|${id}|${c}|${String(now[c])}`);
    }
  }
  return { removed: removed.sort(), cleared: cleared.sort() };
}

/** The numbers the confirmation names, each with the rows they count. */
const impactLines: { pattern: RegExp; count: (d: { removed: string[]; cleared: string[] }) => number }[] = [
  { pattern: /^年度の事業活動計画 (\d+)件$/, count: (d) => d.removed.filter((r) => r.startsWith('year_plan|')).length },
  { pattern: /^主な担当 (\d+)件$/, count: (d) => d.removed.filter((r) => r.startsWith('assignment|')).length },
  { pattern: /^目標 (\d+)件（計画値・実績値を含む）$/, count: (d) => d.removed.filter((r) => r.startsWith('target|')).length },
  { pattern: /^年度計画の項目 (\d+)件は/, count: (d) => d.cleared.filter((c) => c.startsWith('overview_item|') && c.includes('|row_id|')).length },
  { pattern: /^このテーマの目標 (\d+)件は/, count: (d) => d.cleared.filter((c) => c.startsWith('target|') && c.includes('|theme_id|')).length },
  { pattern: /^年度の計画値・実績値 (\d+)年度分/, count: (d) => d.removed.filter((r) => r.startsWith('target_value|')).length },
  { pattern: /^主な担当から外れる行 (\d+)件$/, count: (d) => d.removed.filter((r) => r.startsWith('assignment|')).length },
  { pattern: /^重点取組内容 (\d+)件$/, count: (d) => d.removed.filter((r) => r.startsWith('unit_focus_unit|')).length },
  { pattern: /^支部連携事業 (\d+)件から外れます$/, count: (d) => d.removed.filter((r) => r.startsWith('joint_project_unit|')).length },
  { pattern: /^目標 (\d+)件$/, count: (d) => d.removed.filter((r) => r.startsWith('target|')).length },
];

let env: Awaited<ReturnType<typeof seededDatabase>>;
let db: PlanDb;
let seed: MemoryTables;
beforeAll(async () => {
  env = await seededDatabase();
  db = env.db.db;
  seed = tablesOf(await readPhysical(db));
});
afterAll(async () => {
  await env.cleanup();
});

/** Thrown at the end of a run to roll its transaction back. */
const rollback = new Error('rollback');

/**
 * Runs one op on both stores and checks that they agree (and, for a delete, its dry run and the
 * import's model). `tx`: the run's transaction on the database.
 */
async function step(op: Op, mem: MemoryStore, tx: PlanDb, onSql: <T>(fn: (s: PlanStore) => Promise<T>) => Promise<T>): Promise<void> {
  const both = async <T>(fn: (s: PlanStore) => Promise<T>) => {
    const m = await outcome(() => fn(mem));
    const s = await outcome(() => onSql(fn));
    expect(s, JSON.stringify(op)).toEqual(m);
  };
  const tableOf = (k: RowKind): PlanTableName => (op.op === 'insert' && k === 'actionRow' ? 'theme' : rows.tableOfKind[k]);
  switch (op.op) {
    case 'insert': {
      const id = idFor(mem, tableOf(op.kind), op.pick);
      if (id) await both((s) => rows.insertRow(s, op.kind, id));
      return;
    }
    case 'move': {
      const id = idFor(mem, tableOf(op.kind), op.pick);
      if (id) await both((s) => rows.moveRow(s, op.kind, id, op.direction));
      return;
    }
    case 'delete': {
      const id = idFor(mem, tableOf(op.kind), op.pick);
      if (!id) return;
      const impact = await rows.deleteImpact(mem, op.kind, id);
      expect(await rows.deleteImpact(new SqlStore(tx, null), op.kind, id)).toEqual(impact);
      const plan = await planDelete(mem, tableOf(op.kind), id);
      const before = copyOf(mem.tables);
      const folded = toPlanState(physicalOf(before));
      await both(async (s) => (await rows.deleteRow(s, op.kind, id)).deleted.map((d) => `${d.table}|${d.row.id}`));
      // The dry run named exactly what went and what lost its link; the confirmation counts it.
      const d = diff(before, mem.tables);
      expect(d.removed).toEqual(plan.deleted.map((x) => `${x.table}|${x.row.id}`).sort());
      expect(d.cleared).toEqual(plan.unlinked.map((u) => `${u.table}|${u.id}|${u.column}|null`).sort());
      for (const detail of impact.details) {
        const line = impactLines.find((l) => l.pattern.test(detail));
        if (line) expect(Number(line.pattern.exec(detail)![1]), detail).toBe(line.count(d));
      }
      // The import's model of the plan removes the same row the same way.
      await new RowRemover(folded, planSchema).remove(tableOf(op.kind), id);
      expect(folded).toEqual(toPlanState(physicalOf(mem.tables)));
      return;
    }
    case 'yearPlan': {
      const id = idFor(mem, 'action_row', op.pick);
      if (id) await both((s) => setYearPlan(s, id, op.year, op.text));
      return;
    }
    case 'targetValue': {
      const id = idFor(mem, 'target', op.pick);
      if (id) await both((s) => setTargetValue(s, id, op.year, op.column, op.value));
      return;
    }
    case 'links': {
      const id = idFor(mem, op.parent, op.pick);
      const units = op.units.map((u) => idFor(mem, 'unit', u)).filter((u) => u !== null);
      const link = op.parent === 'action_row' ? 'assignment' : op.parent === 'unit_focus' ? 'unit_focus_unit' : 'joint_project_unit';
      if (id) await both((s) => setLinks(s, link, id, units));
      return;
    }
  }
}

describe('row operations over the database and over memory', () => {
  it('leave the same rows after random sequences; a delete removes what its dry run counted, in the import’s model too', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
        const mem = new MemoryStore(copyOf(seed), { newId: idSequence(), derivedId });
        const sqlId = idSequence();
        // One transaction per run, rolled back at its end; each op's change set joins it.
        try {
          await db.transaction(async (tx) => {
            for (const op of ops) await step(op, mem, tx, async (fn) => (await withChange(tx, { label: 'test' }, (w, t) => fn(new SqlStore(t, w, { newId: sqlId })))).result);
            expect(tablesOf(await readPhysical(tx))).toEqual(mem.tables);
            throw rollback;
          });
        } catch (e) {
          if (e !== rollback) throw e;
        }
      }),
      { numRuns: Number(process.env.ROW_OPS_RUNS ?? 25) },
    );
  }, 600_000);
});
