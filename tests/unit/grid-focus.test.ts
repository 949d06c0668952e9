import { describe, expect, it } from 'vitest';
import { awaitsRow, firstFocusColumn, moveFrom, requestedCell } from '../../renderer/src/grid/focus-target';
import { continuesSpan, sharesCell, shownText } from '../../renderer/src/grid/shown-grid';
import { themeColumns, themeGrid, themeRows } from './grid-fixture';

// Shown columns: no 0, theme 1, goal 2 (rows 0 and 1 share one goal), target 3, new 4; rows 0–3.
const grid = themeGrid();

describe('moving the focus out of an editor', () => {
  it('moves one cell and stops at the edges', () => {
    expect(moveFrom(grid, { row: 1, col: 1 }, 'down')).toEqual({ row: 2, col: 1 });
    expect(moveFrom(grid, { row: 1, col: 1 }, 'up')).toEqual({ row: 0, col: 1 });
    expect(moveFrom(grid, { row: 1, col: 1 }, 'right')).toEqual({ row: 1, col: 2 });
    expect(moveFrom(grid, { row: 1, col: 1 }, 'left')).toEqual({ row: 1, col: 0 });
    expect(moveFrom(grid, { row: 3, col: 4 }, 'down')).toEqual({ row: 3, col: 4 });
    expect(moveFrom(grid, { row: 3, col: 4 }, 'right')).toEqual({ row: 3, col: 4 });
    expect(moveFrom(grid, { row: 0, col: 0 }, 'up')).toEqual({ row: 0, col: 0 });
    expect(moveFrom(grid, { row: 0, col: 0 }, 'left')).toEqual({ row: 0, col: 0 });
  });

  it('passes over the rest of a shared cell, down and up', () => {
    expect(moveFrom(grid, { row: 0, col: 2 }, 'down')).toEqual({ row: 2, col: 2 });
    expect(moveFrom(grid, { row: 2, col: 2 }, 'up')).toEqual({ row: 0, col: 2 });
    // Other columns of those rows are not shared.
    expect(moveFrom(grid, { row: 0, col: 3 }, 'down')).toEqual({ row: 1, col: 3 });
  });

  it('stays on the last row when a shared cell runs to the end', () => {
    const rows = themeRows();
    rows[3]!.tableId = rows[2]!.tableId;
    expect(moveFrom(themeGrid(rows), { row: 2, col: 2 }, 'down')).toEqual({ row: 3, col: 2 });
  });
});

describe('shared cells', () => {
  it('are shared by adjacent rows with one key, never by a row without one', () => {
    const goal = themeColumns[2]!;
    const [a, b, c] = themeRows();
    expect(sharesCell(goal, a, b)).toBe(true);
    expect(sharesCell(goal, b, c)).toBe(false);
    expect(sharesCell({ spanKey: () => null }, a, b)).toBe(false);
    expect(sharesCell(themeColumns[1]!, a, b)).toBe(false);
    expect(sharesCell(goal, a, undefined)).toBe(false);
    expect(continuesSpan(grid, goal, 1)).toBe(true);
    expect(continuesSpan(grid, goal, 0)).toBe(false);
    expect(shownText(grid, goal, 1)).toBe('');
    expect(shownText(grid, goal, 0)).toBe('会員数の増加');
    expect(shownText(grid, goal, 7)).toBe('');
  });
});

describe('the focus after a row operation', () => {
  it('waits for a row named by id until the grid holds it', () => {
    expect(awaitsRow({ id: 'r1' }, undefined)).toBe(true);
    expect(awaitsRow({ id: 'r1' }, null)).toBe(true);
    expect(awaitsRow({ id: 'r1' }, 4)).toBe(false);
    expect(awaitsRow({ index: 2 }, undefined)).toBe(false);
  });

  it('lands on the row by id, or where a deleted row was, kept inside the rows now shown', () => {
    expect(requestedCell({ id: 'r1', colId: 'theme' }, 4, 10, 'no')).toEqual({ rowIndex: 4, colId: 'theme' });
    expect(requestedCell({ index: 2, colId: 'goal' }, undefined, 10, 'no')).toEqual({ rowIndex: 2, colId: 'goal' });
    // The last row was deleted: the focus goes to the new last row, in the first column when none was asked for.
    expect(requestedCell({ index: 5 }, undefined, 5, 'no')).toEqual({ rowIndex: 4, colId: 'no' });
    expect(requestedCell({ index: 0 }, undefined, 0, 'no')).toBeNull();
    expect(requestedCell({ id: 'r1' }, null, 5, 'no')).toBeNull();
    expect(requestedCell({ index: 0 }, undefined, 3, undefined)).toBeNull();
  });

  it('opens a screen on the column new rows are typed into, or the first editable one', () => {
    expect(firstFocusColumn('target', themeColumns)).toBe('target');
    expect(firstFocusColumn(undefined, themeColumns)).toBe('theme');
    expect(firstFocusColumn(undefined, [themeColumns[0]!])).toBeUndefined();
  });
});
