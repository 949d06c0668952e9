import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/import/review';
import { decide, decideConflicts, initialDecisions, takeAll, toApply, unresolved } from '../../shared/import/choices';

/** The review screen's choices: what is taken by default, and items that need each other stay together. */

const item = (id: string, conflict: boolean, requires: string[] = []): ReviewItem => ({
  id,
  kind: 'change',
  conflict,
  conflictText: conflict ? '競合' : null,
  sheet: 's',
  row: 1,
  rowLabel: id,
  what: 'セルの変更',
  cells: [],
  details: [],
  requires,
});

// A removal (del) needs a list change (list) and a conflict (c); a plain change (x) stands alone.
const items = [item('del', false, ['list', 'c']), item('list', false), item('c', true), item('x', false)];

describe('the review’s choices', () => {
  it('takes every change by default and leaves each conflict undecided', () => {
    const d = initialDecisions(items);
    expect(d).toEqual({ del: 'take', list: 'take', c: null, x: 'take' });
    expect(unresolved(items, d)).toBe(1);
  });

  it('taking an item takes what it needs, the conflict on the file’s side; leaving one leaves what needs it', () => {
    let d = decide(items, { del: 'skip', list: 'skip', c: null, x: 'skip' }, 'del', true);
    expect(d).toEqual({ del: 'take', list: 'take', c: 'take', x: 'skip' });
    d = decide(items, d, 'list', false);
    expect(d).toEqual({ del: 'skip', list: 'skip', c: 'take', x: 'skip' });
    expect(toApply(items, d)).toEqual({ take: ['c'], keep: [] });
  });

  it('全て取り込む keeps out a change that needs a conflict the user kept', () => {
    const d = decideConflicts(items, initialDecisions(items), false);
    expect(d.c).toBe('keep');
    const all = takeAll(items, d);
    expect(all).toEqual({ del: 'skip', list: 'take', c: 'keep', x: 'take' });
    expect(toApply(items, all)).toEqual({ take: ['list', 'x'], keep: ['c'] });
  });
});
