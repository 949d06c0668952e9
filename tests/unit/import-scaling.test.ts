import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../shared/errors/app-error';
import { FocusIndex } from '../../electron/import/focus-index';
import { analyzeImport, chosenItems, type Analysis } from '../../electron/import/import-session';
import { readPlanState } from '../../electron/model/plan-state';
import { filledInWorkbook } from '../helpers/filled-in-workbook';
import { seededDatabase } from '../helpers/seeded-db';
import { importMethods } from '../../shared/contract/methods/import';
import { importLimits } from '../../shared/import/limits';
import type { MergeItem } from '../../shared/import/merge';
import type { PlanState, StateRow } from '../../shared/import/state';
import { makeRoom, removeRow, RowRemover, SiblingPlacer, siblingGroups } from '../../shared/import/state-edit';
import { planSchema } from '../../shared/import/plan-schema';
import { type LayoutCell, type LayoutRow } from '../../shared/layout/model';
import { splitTallRows } from '../../shared/layout/text-measure';

/**
 * No step of an import is worse than n log n: new rows are placed among their siblings exactly
 * where one makeRoom per row placed them (compared on random cases), but with positions written
 * a bounded number of times (counted, not timed); focus texts are found as a scan finds them; an
 * apply naming 200,000 ids (repeated) is checked in one pass; and a long sheet's tall rows are
 * split as before. The deadlines only say "finishes, does not hang": the quadratic versions took
 * minutes on these sizes.
 */

// ── new rows among their siblings ──────────────────────────────────────────────────────────────

type Op = { kind: 'after'; anchor: number } | { kind: 'at'; group: number; position: number };

interface Case {
  /** Existing rows: group (page) and position (whole numbers, ties and gaps; sometimes null or a fraction). */
  rows: { page: number | string; position: number | null }[];
  ops: Op[];
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  rows: fc.array(
    fc.record({
      page: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constant('2') }),
      position: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: -2, max: 12 }) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constantFrom(0.5, 2.5) }),
    }),
    { maxLength: 25 },
  ),
  ops: fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('after' as const), anchor: fc.nat(200) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('at' as const), group: fc.integer({ min: 0, max: 3 }), position: fc.integer({ min: -1, max: 10 }) }) },
    ),
    { maxLength: 30 },
  ),
});

/** Runs a case on a fresh state, the old way (makeRoom per new row) or with the placer; returns the positions by id. */
function runCase(c: Case, how: 'makeRoom' | 'placer'): Record<string, unknown> {
  const state: PlanState = { action_row: {} };
  c.rows.forEach((r, i) => (state.action_row![`r${i}`] = { id: `r${i}`, page: r.page, position: r.position }));
  const placer = how === 'placer' ? new SiblingPlacer(state, 'action_row', siblingGroups.actionRowPage) : null;
  const order: string[] = Object.keys(state.action_row!);
  c.ops.forEach((op, i) => {
    const id = `n${i}`;
    if (op.kind === 'after') {
      const anchor = state.action_row![order[op.anchor % order.length] ?? ''];
      if (!anchor) return;
      const page = Number(anchor.page);
      const row: StateRow = { id, page, position: Number(anchor.position) + 1 };
      if (placer) placer.insertAfter(siblingGroups.actionRowPage({ page }), anchor, row);
      else {
        makeRoom(state, 'action_row', (a) => a.page === page, Number(anchor.position) + 1);
        state.action_row![id] = row;
      }
    } else {
      const row: StateRow = { id, page: op.group, position: op.position };
      if (placer) placer.insertAt(siblingGroups.actionRowPage({ page: op.group }), op.position, row);
      else {
        makeRoom(state, 'action_row', (a) => a.page === op.group, op.position);
        state.action_row![id] = row;
      }
    }
    order.push(id);
  });
  placer?.finish();
  return Object.fromEntries(Object.values(state.action_row!).map((r) => [r.id, [r.page, r.position]]));
}

describe('new rows among their siblings', () => {
  it('land exactly where one makeRoom per new row put them (random pages, ties, gaps, odd positions)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(runCase(c, 'placer')).toEqual(runCase(c, 'makeRoom'));
      }),
      { numRuns: 3000 },
    );
  });

  it('groups targets by their table row, or by unit when they have none, as the old sibling test did', () => {
    const t = (row_id: StateRow[string], unit_id: StateRow[string]) => siblingGroups.target({ row_id, unit_id });
    expect(t('a', 'u')).toBe(t('a', null));
    expect(t('a', null)).not.toBe(t('b', null));
    expect(t(null, 'u')).not.toBe(t(null, 'v'));
    expect(t(null, null)).not.toBe(t(null, 'null'));
    expect(t('', 'u')).toBeNull();
    expect(siblingGroups.actionRowPage({ page: '1' })).toBeNull();
    expect(siblingGroups.actionRowPage({ page: Number.NaN })).toBeNull();
  });

  it('writes each position a bounded number of times: 20,000 new rows after 20,000 siblings', () => {
    const state: PlanState = { target: {} };
    let writes = 0;
    const counted = (id: string, position: number): StateRow => {
      let p: StateRow[string] = position;
      const row = { id, row_id: 'R', unit_id: null } as unknown as StateRow;
      Object.defineProperty(row, 'position', {
        enumerable: true,
        get: () => p,
        set: (v: StateRow[string]) => {
          writes++;
          p = v;
        },
      });
      return row;
    };
    for (let i = 0; i < 20_000; i++) state.target![`t${i}`] = counted(`t${i}`, i);
    const placer = new SiblingPlacer(state, 'target', siblingGroups.target);
    const started = Date.now();
    // Each new row below the previous one, starting in the middle: the old way moved 10,000+ rows per new row.
    let previous = state.target!.t9999!;
    for (let i = 0; i < 20_000; i++) previous = placer.insertAfter(siblingGroups.target(previous), previous, counted(`n${i}`, 0));
    placer.finish();
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(writes).toBeLessThanOrEqual(2 * 40_000);
    const ordered = Object.values(state.target!).sort((a, b) => Number(a.position) - Number(b.position));
    expect(ordered.map((r) => r.position)).toEqual(ordered.map((_, i) => i));
    expect(ordered.slice(9_999, 10_002).map((r) => r.id)).toEqual(['t9999', 'n0', 'n1']);
    expect(ordered.slice(29_999, 30_001).map((r) => r.id)).toEqual(['n19999', 't10000']);
  });
});

describe('a returned fill-in workbook with 20,000 new targets', () => {
  it('is read within a deadline the old placement (minutes) could not meet, every new target below the last one in sheet order', async () => {
    const plan = await seededDatabase();
    try {
      const db = plan.db.db;
      const bytes = await filledInWorkbook(db, '地域振興部', 20_000);
      const started = Date.now();
      const analysis = await analyzeImport(db, plan.path, { name: '地域振興部_記入済み.xlsx', bytes });
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(analysis.review.counts.added).toBe(20_000);
      const added = analysis.items.filter((i) => i.kind === 'added').map((i) => i.rows[0]!.theirs!);
      const byLabel = new Map(added.map((t) => [String(t.label), t]));
      const first = byLabel.get('新しい目標 1')!;
      // Below the unit's last target (the row above them in the sheet), in the sheet's order, one after another.
      const mine = await readPlanState(db);
      const siblings = Object.values(mine.target!).filter((t) => t.row_id === first.row_id);
      const owner = siblings.sort((a, b) => Number(b.position) - Number(a.position)).find((t) => Number(t.position) < Number(first.position))!;
      expect(Number(first.position)).toBe(Number(owner.position) + 1);
      for (let i = 1; i <= 20_000; i++) {
        const t = byLabel.get(`新しい目標 ${i}`)!;
        expect([t.row_id, t.position]).toEqual([first.row_id, Number(first.position) + i - 1]);
      }
    } finally {
      await plan.cleanup();
    }
  }, 180_000);
});

// ── rows removed one after another ─────────────────────────────────────────────────────────────

describe('rows removed one after another', () => {
  /** A small plan: units, table rows with themes, targets (of rows, or of units), focus texts. */
  const planArb = fc.record({
    rows: fc.array(fc.record({ units: fc.subarray([0, 1, 2, 3]), themes: fc.nat(3) }), { maxLength: 6 }),
    targets: fc.array(fc.record({ row: fc.option(fc.nat(8), { nil: null }), theme: fc.option(fc.nat(8), { nil: null }), unit: fc.option(fc.nat(3), { nil: null }) }), { maxLength: 10 }),
    focus: fc.array(fc.subarray([0, 1, 2, 3], { minLength: 1 }), { maxLength: 5 }),
    removals: fc.array(fc.record({ table: fc.constantFrom('unit', 'action_row', 'theme', 'target', 'unit_focus'), pick: fc.nat(20) }), { maxLength: 12 }),
    added: fc.array(fc.record({ row: fc.nat(8), unit: fc.nat(3), at: fc.nat(12) }), { maxLength: 4 }),
  });

  it('leave the state removeRow leaves, with rows added and references set in between', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (p) => {
        const build = (): PlanState => {
          const s: PlanState = { plan: { P: { id: 'P' } }, unit: {}, action_row: {}, theme: {}, target: {}, unit_focus: {} };
          [0, 1, 2, 3].forEach((u) => (s.unit![`u${u}`] = { id: `u${u}`, kind: 'department', name: `u${u}`, position: u }));
          p.rows.forEach((r, i) => {
            s.action_row![`r${i}`] = { id: `r${i}`, plan_id: 'P', page: 1, position: i, units: r.units.map((u) => `u${u}`) };
            for (let k = 0; k < r.themes; k++) s.theme![`h${i}.${k}`] = { id: `h${i}.${k}`, row_id: `r${i}`, position: k };
          });
          p.targets.forEach((t, i) => {
            const row = t.row !== null && t.row < p.rows.length ? `r${t.row}` : null;
            const themes = Object.keys(s.theme!);
            const theme = row && t.theme !== null && themes.length > 0 ? themes[t.theme % themes.length]! : null;
            s.target![`t${i}`] = { id: `t${i}`, row_id: row, theme_id: theme, unit_id: t.unit === null ? null : `u${t.unit}`, position: i };
          });
          p.focus.forEach((units, i) => (s.unit_focus![`f${i}`] = { id: `f${i}`, plan_id: 'P', period: 'term', position: i, units: units.map((u) => `u${u}`) }));
          return s;
        };
        const old = build();
        const now = build();
        const remover = new RowRemover(now, planSchema);
        for (const [i, r] of p.removals.entries()) {
          for (const a of p.added.filter((x) => x.at === i)) {
            const id = `new${i}.${a.row}`;
            const row: StateRow = { id, row_id: `r${a.row}`, theme_id: null, unit_id: `u${a.unit}`, position: 99 };
            if (old.target![id]) continue;
            old.target![id] = { ...row };
            now.target![id] = row;
            remover.added('target', row);
            // …and a reference set afterwards.
            const focus = Object.values(now.unit_focus!)[0];
            if (focus) {
              old.unit_focus![focus.id]!.units = [...(old.unit_focus![focus.id]!.units as string[]), `u${a.unit}`];
              focus.units = [...(focus.units as string[]), `u${a.unit}`];
              remover.changed('unit_focus', focus);
            }
          }
          const ids = Object.keys(old[r.table] ?? {});
          if (ids.length === 0) continue;
          const id = ids[r.pick % ids.length]!;
          await removeRow(old, planSchema, r.table, id);
          await remover.remove(r.table, id);
          expect(now).toEqual(old);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

// ── focus texts ────────────────────────────────────────────────────────────────────────────────

/** The old lookups: a scan of every focus row. */
const scanFocus = (state: PlanState, unitId: string, period: string) =>
  Object.values(state.unit_focus ?? {})
    .filter((f) => f.period === period && Array.isArray(f.units) && (f.units as string[]).includes(unitId))
    .sort((a, b) => Number(a.position) - Number(b.position))[0];
const scanLast = (state: PlanState, period: string) => Math.max(-1, ...Object.values(state.unit_focus ?? {}).filter((f) => f.period === period).map((f) => Number(f.position)));

describe('focus texts by unit and period', () => {
  it('are found as a scan finds them while rows are added, removed and units taken off', () => {
    const units = ['a', 'b', 'c', 'd'];
    const periods = ['term', '2021'];
    const step = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), period: fc.constantFrom(...periods), units: fc.subarray(units, { minLength: 1 }), position: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(50) }),
      fc.record({ kind: fc.constant('drop' as const), pick: fc.nat(50), unit: fc.constantFrom(...units) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 10 }), fc.array(step, { maxLength: 20 }), (before, after) => {
        const state: PlanState = { unit_focus: {} };
        let n = 0;
        const apply = (s: (typeof before)[number], index: FocusIndex | null) => {
          const ids = Object.keys(state.unit_focus!);
          if (s.kind === 'add') {
            const row: StateRow = { id: `f${n++}`, period: s.period, position: s.position, units: s.units };
            state.unit_focus![row.id] = row;
            index?.add(row);
          } else if (s.kind === 'remove' && ids.length > 0) delete state.unit_focus![ids[s.pick % ids.length]!];
          else if (s.kind === 'drop' && ids.length > 0) {
            const row = state.unit_focus![ids[s.pick % ids.length]!]!;
            row.units = (row.units as string[]).filter((u) => u !== s.unit);
          }
        };
        for (const s of before) apply(s, null);
        const index = new FocusIndex(state);
        for (const s of after) {
          apply(s, index);
          for (const p of periods) {
            expect(index.lastPosition(p)).toBe(scanLast(state, p));
            for (const u of units) expect(index.focusOf(u, p)).toBe(scanFocus(state, u, p));
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

// ── an apply naming many ids ──────────────────────────────────────────────────────────────────

function analysisOf(count: number): Analysis {
  const items = Array.from({ length: count }, (_, i): MergeItem => ({
    id: `cell:target|t${i}|label`,
    kind: 'change',
    table: 'target',
    rowId: `t${i}`,
    conflict: 'both-changed',
    cells: [],
    rows: [],
    ops: [],
    requires: i > 0 && i % 2 === 1 ? [`cell:target|t${i - 1}|label`] : [],
    notes: [],
    deletes: false,
  }));
  return { review: {} as Analysis['review'], items, masterRevision: 1, dbPath: 'x', fileName: 'x.xlsx' };
}

describe('the decisions of an apply', () => {
  it('count an id named 200,000 times once, and are checked in one pass', () => {
    const analysis = analysisOf(20_000);
    const take = Array.from({ length: 200_000 }, (_, i) => analysis.items[i % 20_000]!.id);
    const started = Date.now();
    const chosen = chosenItems(analysis, { take, keep: [] });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(chosen).toHaveLength(20_000);
    expect(new Set(chosen.map((i) => i.id)).size).toBe(20_000);
  });

  it('name a few of the ids taken and kept at once (not all 100,000 in the log)', () => {
    const analysis = analysisOf(100_000);
    const ids = analysis.items.map((i) => i.id);
    const error = (() => {
      try {
        chosenItems(analysis, { take: ids, keep: ids });
      } catch (e) {
        return (e as AppError).toShape();
      }
      throw new Error('accepted');
    })();
    expect(error.message).toBe('同じ項目に「取り込む」と「残す」の両方が指定されています。');
    expect(error.logMessage.length).toBeLessThan(300);
  });

  it('are bounded in the contract with a message a person can read', () => {
    const args = importMethods['import.apply'].args;
    const reviewId = '00000000-0000-4000-8000-000000000000';
    expect(args.safeParse({ reviewId, take: Array(1000).fill('cell:x'), keep: [] }).success).toBe(true);
    const tooMany = args.safeParse({ reviewId, take: Array(importLimits.reviewItems + 1).fill('x'), keep: [] });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error!.issues[0]!.message).toMatch(/^選んだ項目が多すぎます（上限 1,000,000 件）/);
  });
});

// ── tall rows of a long sheet ─────────────────────────────────────────────────────────────────

/** The old split (looked back over every row above each tall row). */
function oldSplit(rows: LayoutRow[], maxPt: number): LayoutRow[] {
  const out = rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c })) }));
  for (let r = 0; r < out.length; r++) {
    const row = out[r]!;
    if (row.heightPt <= maxPt) continue;
    const parts = Math.ceil(row.heightPt / maxPt);
    const extra = parts - 1;
    for (let y = 0; y <= r; y++) for (const c of out[y]!.cells) if (y + c.rowSpan > r) c.rowSpan += extra;
    const each = Math.ceil((row.heightPt / parts) * 4) / 4;
    row.heightPt = each;
    out.splice(r + 1, 0, ...Array.from({ length: extra }, () => ({ heightPt: each, cells: [] })));
    r += extra;
  }
  return out;
}

const cellAt = (col: number, rowSpan: number) => ({ col, rowSpan, colSpan: 1, paragraphs: [] }) as unknown as LayoutCell;

describe('tall rows', () => {
  it('are split as before (random spans and heights)', () => {
    const rowsArb = fc.array(fc.record({ heightPt: fc.integer({ min: 1, max: 1300 }), spans: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }) }), { maxLength: 20 });
    fc.assert(
      fc.property(rowsArb, (spec) => {
        const make = () => spec.map((r, i) => ({ heightPt: r.heightPt, cells: r.spans.map((s, c) => cellAt(c, Math.min(s, spec.length - i))) }));
        expect(splitTallRows(make(), 409)).toEqual(oldSplit(make(), 409));
      }),
      { numRuns: 1000 },
    );
  });

  it('split 20,000 tall rows without looking back over the sheet each time', () => {
    const rows = Array.from({ length: 20_000 }, () => ({ heightPt: 900, cells: [cellAt(0, 1)] }));
    const started = Date.now();
    const out = splitTallRows(rows, 409);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(out).toHaveLength(60_000);
    expect(out[0]!.cells[0]!.rowSpan).toBe(3);
  });
});
