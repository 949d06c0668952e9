import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyCell, sameValue } from '../../shared/import/classify';
import { requiredClosure } from '../../shared/import/closure';
import { mergeStates, type MergeItem } from '../../shared/import/merge';
import { applyOps, danglingReferences } from '../../shared/import/ops';
import { type CellValue, cloneState, type PlanState, type StateRow, type StateSchema } from '../../shared/import/state';

/**
 * The three-way merge rules, on random plans edited at random on both sides: nothing is changed
 * that the file did not change, nothing changed here is overwritten without a conflict, and any
 * choice the user makes (closed under what items need) leaves a plan whose references all hold.
 */

const value = fc.oneof(fc.constantFrom('a', 'b', 'c', ''), fc.constant(null), fc.integer({ min: 0, max: 3 }));

describe('classifyCell', () => {
  it('is no change when the file kept the base value, whatever happened here', () => {
    fc.assert(
      fc.property(value, value, (base, mine) => {
        const o = classifyCell(base, mine, base);
        expect(o === 'unchanged' || o === 'mine').toBe(true);
      }),
    );
  });
  it('applies the file when nothing changed here; never a conflict then', () => {
    fc.assert(
      fc.property(value, value, (base, theirs) => {
        const o = classifyCell(base, base, theirs);
        expect(o).toBe(sameValue(base, theirs) ? 'unchanged' : 'theirs');
      }),
    );
  });
  it('is a conflict exactly when all three differ', () => {
    fc.assert(
      fc.property(value, value, value, (base, mine, theirs) => {
        const o = classifyCell(base, mine, theirs);
        const allDiffer = !sameValue(base, mine) && !sameValue(base, theirs) && !sameValue(mine, theirs);
        expect(o === 'conflict').toBe(allDiffer);
      }),
    );
  });
  it('is symmetric: swapping the two sides swaps mine and theirs', () => {
    const swap: Record<string, string> = { mine: 'theirs', theirs: 'mine', same: 'same', conflict: 'conflict', unchanged: 'unchanged' };
    fc.assert(
      fc.property(value, value, value, (b, m, t) => {
        expect(classifyCell(b, t, m)).toBe(swap[classifyCell(b, m, t)]);
      }),
    );
  });
  it('treats 1.1 + 2.2 and 3.3 as the same number, and null, missing and an empty list as an empty cell', () => {
    expect(sameValue(1.1 + 2.2, 3.3)).toBe(true);
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue([], null)).toBe(true);
    expect(sameValue(['u1'], ['u1'])).toBe(true);
    expect(sameValue(['u1', 'u2'], ['u2', 'u1'])).toBe(false);
    expect(sameValue('', null)).toBe(false);
  });
});

// ── a small schema with the same shapes as the plan: owned children, a nullable reference, a list ──

const str = (row: StateRow, c: string) => (typeof row[c] === 'string' ? (row[c] as string) : null);
const schema: StateSchema = {
  tag: { owner: () => null, refs: [], lists: [], orderColumns: [] },
  parent: { owner: () => null, refs: [], lists: [{ column: 'tags', table: 'tag' }], orderColumns: ['position'] },
  child: {
    owner: (r) => (str(r, 'parent_id') ? { table: 'parent', id: str(r, 'parent_id')! } : null),
    refs: [
      { column: 'parent_id', table: 'parent', onDelete: () => 'cascade' },
      { column: 'other_id', table: 'parent', onDelete: () => 'nullify' },
    ],
    lists: [],
    orderColumns: ['position'],
  },
};

type Command =
  | { k: 'text'; table: 'parent' | 'child' | 'tag'; i: number; v: CellValue }
  | { k: 'delParent' | 'delChild' | 'delTag'; i: number }
  | { k: 'addParent'; tags: number[]; v: CellValue }
  | { k: 'addChild'; p: number; o: number | null; v: CellValue; shared: boolean }
  | { k: 'tags'; i: number; tags: number[] }
  | { k: 'other'; i: number; o: number | null }
  | { k: 'position'; i: number; v: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ k: fc.constant('text' as const), table: fc.constantFrom('parent' as const, 'child' as const, 'tag' as const), i: fc.nat(), v: value }),
  fc.record({ k: fc.constantFrom('delParent' as const, 'delChild' as const, 'delTag' as const), i: fc.nat() }),
  fc.record({ k: fc.constant('addParent' as const), tags: fc.array(fc.nat(), { maxLength: 2 }), v: value }),
  fc.record({ k: fc.constant('addChild' as const), p: fc.nat(), o: fc.option(fc.nat(), { nil: null }), v: value, shared: fc.boolean() }),
  fc.record({ k: fc.constant('tags' as const), i: fc.nat(), tags: fc.array(fc.nat(), { maxLength: 3 }) }),
  fc.record({ k: fc.constant('other' as const), i: fc.nat(), o: fc.option(fc.nat(), { nil: null }) }),
  fc.record({ k: fc.constant('position' as const), i: fc.nat(), v: fc.integer({ min: 0, max: 4 }) }),
);

const ids = (s: PlanState, t: string) => Object.keys(s[t] ?? {}).sort();
const pick = (s: PlanState, t: string, i: number) => {
  const all = ids(s, t);
  return all.length ? all[i % all.length]! : null;
};

/** Edits a plan the way the app does (a delete takes what belongs to the row with it). */
function edit(start: PlanState, commands: Command[], side: string): PlanState {
  const s = cloneState(start);
  let n = 0;
  const newId = (shared: boolean) => (shared ? `shared${n++}` : `${side}${n++}`);
  const deleteParent = (id: string) => {
    delete s.parent![id];
    for (const c of Object.values(s.child!)) {
      if (c.parent_id === id) delete s.child![c.id];
      else if (c.other_id === id) c.other_id = null;
    }
  };
  for (const c of commands) {
    switch (c.k) {
      case 'text': {
        const id = pick(s, c.table, c.i);
        if (id) s[c.table]![id]!.text = c.v;
        break;
      }
      case 'delParent': {
        const id = pick(s, 'parent', c.i);
        if (id) deleteParent(id);
        break;
      }
      case 'delChild': {
        const id = pick(s, 'child', c.i);
        if (id) delete s.child![id];
        break;
      }
      case 'delTag': {
        const id = pick(s, 'tag', c.i);
        if (!id) break;
        delete s.tag![id];
        for (const p of Object.values(s.parent!)) p.tags = (p.tags as string[]).filter((t) => t !== id);
        break;
      }
      case 'addParent': {
        const id = newId(false);
        s.parent![id] = { id, text: c.v, position: 0, tags: [...new Set(c.tags.map((i) => pick(s, 'tag', i)).filter((t): t is string => t !== null))] };
        break;
      }
      case 'addChild': {
        const p = pick(s, 'parent', c.p);
        if (!p) break;
        const id = newId(c.shared);
        if (s.child![id]) break;
        s.child![id] = { id, parent_id: p, other_id: c.o === null ? null : pick(s, 'parent', c.o), text: c.v, position: 0 };
        break;
      }
      case 'tags': {
        const id = pick(s, 'parent', c.i);
        if (id) s.parent![id]!.tags = [...new Set(c.tags.map((i) => pick(s, 'tag', i)).filter((t): t is string => t !== null))];
        break;
      }
      case 'other': {
        const id = pick(s, 'child', c.i);
        if (id) s.child![id]!.other_id = c.o === null ? null : pick(s, 'parent', c.o);
        break;
      }
      case 'position': {
        const id = pick(s, 'child', c.i);
        if (id) s.child![id]!.position = c.v;
        break;
      }
    }
  }
  return s;
}

const basePlan: fc.Arbitrary<PlanState> = fc
  .record({ parents: fc.integer({ min: 1, max: 4 }), children: fc.array(fc.record({ p: fc.nat(), o: fc.option(fc.nat(), { nil: null }), v: value }), { maxLength: 6 }), tags: fc.integer({ min: 0, max: 3 }) })
  .map(({ parents, children, tags }) => {
    const s: PlanState = { tag: {}, parent: {}, child: {} };
    for (let i = 0; i < tags; i++) s.tag![`g${i}`] = { id: `g${i}`, text: `tag${i}` };
    for (let i = 0; i < parents; i++) s.parent![`p${i}`] = { id: `p${i}`, text: 'a', position: i, tags: i < tags ? [`g${i}`] : [] };
    children.forEach((c, i) => {
      s.child![`c${i}`] = { id: `c${i}`, parent_id: `p${c.p % parents}`, other_id: c.o === null ? null : `p${c.o % parents}`, text: c.v, position: i };
    });
    return s;
  });

const scenario = fc.record({ base: basePlan, mineEdits: fc.array(command, { maxLength: 6 }), theirsEdits: fc.array(command, { maxLength: 6 }), choice: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }) });

/** Two states hold the same rows with the same values (an empty list is an empty cell). */
function sameState(a: PlanState, b: PlanState): boolean {
  for (const t of Object.keys(schema)) {
    const ka = ids(a, t);
    if (JSON.stringify(ka) !== JSON.stringify(ids(b, t))) return false;
    for (const id of ka) {
      const ra = a[t]![id]!;
      const rb = b[t]![id]!;
      for (const c of new Set([...Object.keys(ra), ...Object.keys(rb)])) if (!sameValue(ra[c], rb[c])) return false;
    }
  }
  return true;
}

function take(mine: PlanState, items: MergeItem[], chosen: Set<string>): PlanState {
  return applyOps(mine, items.filter((i) => chosen.has(i.id)).flatMap((i) => i.ops), schema);
}

describe('mergeStates', () => {
  it('reports nothing when the file is the plan as handed out', () => {
    fc.assert(
      fc.property(scenario, ({ base, mineEdits }) => {
        const mine = edit(base, mineEdits, 'm');
        expect(mergeStates(base, mine, base, schema).items).toEqual([]);
      }),
    );
  });

  it('reports nothing when both sides hold the same plan', () => {
    fc.assert(
      fc.property(scenario, ({ base, mineEdits }) => {
        const mine = edit(base, mineEdits, 'm');
        expect(mergeStates(base, mine, cloneState(mine), schema).items).toEqual([]);
      }),
    );
  });

  it('when nothing changed here: no conflict, and taking everything gives exactly the file', () => {
    fc.assert(
      fc.property(scenario, ({ base, theirsEdits }) => {
        const theirs = edit(base, theirsEdits, 't');
        const { items } = mergeStates(base, cloneState(base), theirs, schema);
        expect(items.filter((i) => i.conflict)).toEqual([]);
        expect(sameState(take(base, items, new Set(items.map((i) => i.id))), theirs)).toBe(true);
      }),
    );
  });

  it('taking every item that is no conflict never overwrites or removes what was changed here', () => {
    fc.assert(
      fc.property(scenario, ({ base, mineEdits, theirsEdits }) => {
        const mine = edit(base, mineEdits, 'm');
        const theirs = edit(base, theirsEdits, 't');
        const { items } = mergeStates(base, mine, theirs, schema);
        const conflicts = new Set(items.filter((i) => i.conflict).map((i) => i.id));
        const safe = items.filter((i) => !conflicts.has(i.id) && [...requiredClosure(items, [i.id])].every((r) => !conflicts.has(r)));
        const result = take(mine, items, new Set(safe.map((i) => i.id)));
        expect(danglingReferences(result, schema)).toEqual([]);
        for (const t of Object.keys(schema))
          for (const [id, m] of Object.entries(mine[t] ?? {})) {
            const b = base[t]?.[id];
            const changedHere = !b || Object.keys({ ...b, ...m }).some((c) => !sameValue(b[c], m[c]));
            if (!changedHere) continue;
            // A row added or changed here is still there, with every cell changed here as it was.
            const r = result[t]?.[id];
            expect(r, `${t} ${id} was changed here and must stay`).toBeDefined();
            for (const c of Object.keys(m)) if (!b || !sameValue(b[c], m[c])) expect(sameValue(r![c], m[c]), `${t} ${id}.${c}`).toBe(true);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('any choice, closed under what the items need, keeps every reference valid; taking all on the file’s side gives its changes', () => {
    fc.assert(
      fc.property(scenario, ({ base, mineEdits, theirsEdits, choice }) => {
        const mine = edit(base, mineEdits, 'm');
        const theirs = edit(base, theirsEdits, 't');
        const { items } = mergeStates(base, mine, theirs, schema);
        const picked = requiredClosure(items, items.filter((_, i) => choice[i % choice.length]).map((i) => i.id));
        expect(danglingReferences(take(mine, items, picked), schema)).toEqual([]);

        const all = take(mine, items, new Set(items.map((i) => i.id)));
        expect(danglingReferences(all, schema)).toEqual([]);
        for (const t of Object.keys(schema))
          for (const [id, th] of Object.entries(theirs[t] ?? {})) {
            const b = base[t]?.[id];
            for (const c of Object.keys(th)) {
              if (b && sameValue(b[c], th[c])) continue;
              // A new row's optional link to a row removed here is cleared, and the item says so.
              const removedHere = (table: string, x: string) => !!base[table]?.[x] && !mine[table]?.[x];
              const inserting = items.find((i) => i.ops.some((o) => o.op === 'insert' && o.table === t && o.row.id === id));
              const noted = (table: string, x: string) => removedHere(table, x) && !!inserting?.notes.includes(`missing-ref:${table}:${x}`);
              const ref = schema[t]!.refs.find((r) => r.column === c);
              const list = schema[t]!.lists.find((l) => l.column === c);
              const cleared = inserting && ref?.onDelete(th) === 'nullify' && typeof th[c] === 'string' && noted(ref.table, th[c] as string);
              const expected = cleared ? null : list && inserting ? (th[c] as string[]).filter((x) => !noted(list.table, x)) : th[c];
              expect(sameValue(all[t]?.[id]?.[c], expected), `${t} ${id}.${c}`).toBe(true);
            }
          }
        for (const t of Object.keys(schema)) for (const id of Object.keys(base[t] ?? {})) if (!theirs[t]?.[id]) expect(all[t]?.[id], `${t} ${id} removed by the file`).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('without a common base every difference is a conflict', () => {
    fc.assert(
      fc.property(scenario, ({ base, mineEdits, theirsEdits }) => {
        const mine = edit(base, mineEdits, 'm');
        const theirs = edit(base, theirsEdits, 't');
        const { items } = mergeStates(null, mine, theirs, schema);
        expect(items.every((i) => i.conflict === 'no-common-base')).toBe(true);
        if (!sameState(mine, theirs)) expect(items.length).toBeGreaterThan(0);
      }),
    );
  });

  it('classifies the cases a user meets by name', () => {
    const base: PlanState = {
      tag: { g: { id: 'g', text: 'tag' } },
      parent: { p: { id: 'p', text: 'a', position: 0, tags: ['g'] }, q: { id: 'q', text: 'a', position: 1, tags: [] } },
      child: { c: { id: 'c', parent_id: 'p', other_id: null, text: 'x', position: 0 }, d: { id: 'd', parent_id: 'q', other_id: null, text: 'y', position: 0 } },
    };
    const mine = cloneState(base);
    mine.parent!.p!.text = 'mine';
    mine.child!.d!.text = 'edited here';
    const theirs = cloneState(base);
    theirs.parent!.p!.text = 'theirs';
    theirs.child!.c!.text = 'x2';
    delete theirs.parent!.q;
    delete theirs.child!.d;
    theirs.child!.n = { id: 'n', parent_id: 'p', other_id: null, text: 'new', position: 1 };
    const { items } = mergeStates(base, mine, theirs, schema);
    const byId = Object.fromEntries(items.map((i) => [i.id, i]));
    expect(byId['cell:parent|p|text']).toMatchObject({ kind: 'change', conflict: 'both-changed', cells: [{ base: 'a', mine: 'mine', theirs: 'theirs' }] });
    expect(byId['cell:child|c|text']).toMatchObject({ kind: 'change', conflict: null });
    expect(byId['add:child|n']).toMatchObject({ kind: 'added', conflict: null });
    // q and its child d go together; d was edited here, so removing them is a conflict.
    expect(byId['del:parent|q']).toMatchObject({ kind: 'removed', conflict: 'removed-but-changed-here' });
    expect(byId['del:parent|q']!.rows.map((r) => r.id)).toEqual(['q', 'd']);
    expect(items).toHaveLength(4);
  });
});
