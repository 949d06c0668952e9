import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyArea, rectBetween, rectCells, rectContains, selectedColumns, selectedRows, wholeRows } from '../../renderer/src/grid/cell-range';

describe('ranges: an anchor and the cell the selection was extended to', () => {
  it('make the same rectangle whichever way the selection went', () => {
    const r = { top: 1, bottom: 4, left: 2, right: 3 };
    expect(rectBetween({ row: 1, col: 2 }, { row: 4, col: 3 })).toEqual(r);
    expect(rectBetween({ row: 4, col: 3 }, { row: 1, col: 2 })).toEqual(r);
    expect(rectBetween({ row: 4, col: 2 }, { row: 1, col: 3 })).toEqual(r);
    expect(rectBetween({ row: 2, col: 2 }, { row: 2, col: 2 })).toEqual({ top: 2, bottom: 2, left: 2, right: 2 });
  });

  it('hold both corners and every cell between, row by row', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(20), fc.nat(20), fc.nat(20), (r1, c1, r2, c2) => {
        const rect = rectBetween({ row: r1, col: c1 }, { row: r2, col: c2 });
        const cells = rectCells(rect);
        expect(cells).toHaveLength((Math.abs(r1 - r2) + 1) * (Math.abs(c1 - c2) + 1));
        expect(rectContains(rect, { row: r1, col: c1 }) && rectContains(rect, { row: r2, col: c2 })).toBe(true);
        expect(cells.every((p) => rectContains(rect, p))).toBe(true);
      }),
    );
    expect(rectCells({ top: 0, bottom: 1, left: 1, right: 2 })).toEqual([
      { row: 0, col: 1 },
      { row: 0, col: 2 },
      { row: 1, col: 1 },
      { row: 1, col: 2 },
    ]);
    expect(rectContains({ top: 0, bottom: 1, left: 1, right: 2 }, { row: 2, col: 1 })).toBe(false);
  });
});

describe('selections', () => {
  it('take rows chosen with Shift+Space as whole-row rectangles', () => {
    expect(wholeRows([3, 1], 5)).toEqual([
      { top: 3, bottom: 3, left: 0, right: 4 },
      { top: 1, bottom: 1, left: 0, right: 4 },
    ]);
  });

  it('cover each row and column once, in order, however the rectangles overlap', () => {
    const sel = { active: null, ranges: [{ top: 5, bottom: 6, left: 2, right: 3 }, { top: 1, bottom: 5, left: 3, right: 3 }] };
    expect(selectedRows(sel)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(selectedColumns(sel)).toEqual([2, 3]);
  });

  it('copy the chosen rows together by the chosen columns, or the active cell alone', () => {
    const sel = { active: { row: 0, col: 0 }, ranges: wholeRows([4, 2], 2) };
    expect(copyArea(sel)).toEqual([
      [{ row: 2, col: 0 }, { row: 2, col: 1 }],
      [{ row: 4, col: 0 }, { row: 4, col: 1 }],
    ]);
    expect(copyArea({ active: { row: 3, col: 1 }, ranges: [] })).toEqual([[{ row: 3, col: 1 }]]);
    expect(copyArea({ active: null, ranges: [] })).toBeNull();
  });
});
