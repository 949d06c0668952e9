import { describe, expect, it } from 'vitest';
import { findMatches, matchKey, nextMatch, normalise } from '../../renderer/src/grid/find-matches';
import { shownOrder } from '../../renderer/src/grid/column-defs';
import { themeColumns, themeRows } from './grid-fixture';

const shown = shownOrder(themeColumns);

describe('find', () => {
  it('finds the query in any cell, row by row in the order the columns are shown', () => {
    expect(findMatches(themeRows(), shown, '会員')).toEqual([
      { rowIndex: 0, colId: 'theme' },
      { rowIndex: 0, colId: 'goal' },
      { rowIndex: 1, colId: 'theme' },
    ]);
    // A pinned column is shown first, wherever it is described.
    const pinnedLast = [...themeColumns.slice(1), { ...themeColumns[0]!, text: () => '会員' }];
    expect(findMatches(themeRows().slice(0, 1), shownOrder(pinnedLast), '会員').map((m) => m.colId)).toEqual(['no', 'theme', 'goal']);
  });

  it('counts a shared cell once, where it starts', () => {
    expect(findMatches(themeRows(), shown, '会員数').map((m) => `${m.rowIndex}:${m.colId}`)).toEqual(['0:goal']);
  });

  it('ignores full-/half-width and case, and blanks around the query; an empty query finds nothing', () => {
    expect(findMatches(themeRows(), shown, ' dx ')).toEqual([{ rowIndex: 3, colId: 'theme' }]);
    expect(findMatches(themeRows(), shown, '２５,０００')).toEqual([{ rowIndex: 0, colId: 'target' }]);
    expect(findMatches(themeRows(), shown, '  ')).toEqual([]);
    expect(findMatches(themeRows(), shown, '該当なし')).toEqual([]);
    expect(normalise('ＡＢＣ')).toBe('abc');
    expect(matchKey(3, 'goal')).toBe('3:goal');
  });
});

describe('the next match', () => {
  const matches = [
    { rowIndex: 0, colId: 'theme' },
    { rowIndex: 2, colId: 'goal' },
    { rowIndex: 5, colId: 'theme' },
  ];

  it('steps on from the current match, round the ends', () => {
    expect(nextMatch(matches, 0, null, 1)).toBe(1);
    expect(nextMatch(matches, 2, null, 1)).toBe(0);
    expect(nextMatch(matches, 0, null, -1)).toBe(2);
  });

  it('without a current match starts from the focused cell, like a spreadsheet', () => {
    expect(nextMatch(matches, -1, { rowIndex: 1, colId: 'theme' }, 1)).toBe(1);
    expect(nextMatch(matches, -1, { rowIndex: 1, colId: 'theme' }, -1)).toBe(0);
    // On a matching cell, the next is the one after it.
    expect(nextMatch(matches, -1, { rowIndex: 2, colId: 'goal' }, 1)).toBe(2);
    // Past the last match: round to the first; before the first going back: the last.
    expect(nextMatch(matches, -1, { rowIndex: 9, colId: 'theme' }, 1)).toBe(0);
    expect(nextMatch(matches, -1, { rowIndex: 0, colId: 'no' }, -1)).toBe(2);
    // Going back from a matching cell lands on that match itself.
    expect(nextMatch(matches, -1, { rowIndex: 0, colId: 'theme' }, -1)).toBe(0);
  });

  it('without a focus takes the first or the last; without matches, none', () => {
    expect(nextMatch(matches, -1, null, 1)).toBe(0);
    expect(nextMatch(matches, -1, null, -1)).toBe(2);
    expect(nextMatch([], -1, null, 1)).toBe(-1);
    expect(nextMatch([], 0, { rowIndex: 0, colId: 'theme' }, -1)).toBe(-1);
  });
});
