import { describe, expect, it } from 'vitest';
import { cellEdit } from '../../renderer/src/grid/cell-edit';
import { copyBlock } from '../../renderer/src/grid/copy-block';
import { fillTargets, pasteOutcome, pasteTargets, planWrites } from '../../renderer/src/grid/write-targets';
import { editsAsText, themeColumns, themeGrid, themeRows } from './grid-fixture';

const col = (id: string) => themeColumns.find((c) => c.id === id)!;
// Column positions as shown: no 0, theme 1, goal 2, target 3, new 4.
const at = (row: number, c: number) => ({ active: { row, col: c }, ranges: [] });

describe('paste targets: where a pasted block lands', () => {
  it('lays a block out from the active cell, right and down', () => {
    expect(pasteTargets([['a', 'b'], ['c', 'd']], at(1, 2))).toEqual([
      { row: 1, col: 2, value: 'a' },
      { row: 1, col: 3, value: 'b' },
      { row: 2, col: 2, value: 'c' },
      { row: 2, col: 3, value: 'd' },
    ]);
  });

  it('fills the active column of every chosen row with one value, as Excel does', () => {
    const sel = { active: { row: 0, col: 3 }, ranges: [{ top: 3, bottom: 3, left: 0, right: 4 }, { top: 0, bottom: 0, left: 0, right: 4 }] };
    expect(pasteTargets([['7']], sel)).toEqual(fillTargets('7', [0, 3], 3));
    expect(fillTargets('7', [0, 3], 3)).toEqual([
      { row: 0, col: 3, value: '7' },
      { row: 3, col: 3, value: '7' },
    ]);
  });

  it('pastes one value into the active cell alone when only one row is chosen, and a block never fills', () => {
    const one = { active: { row: 2, col: 3 }, ranges: [{ top: 0, bottom: 0, left: 0, right: 4 }] };
    expect(pasteTargets([['7']], one)).toEqual([{ row: 2, col: 3, value: '7' }]);
    const two = { active: { row: 2, col: 3 }, ranges: [{ top: 0, bottom: 1, left: 0, right: 4 }] };
    expect(pasteTargets([['7', '8']], two)).toHaveLength(2);
    expect(pasteTargets([['7', '8']], two)[0]).toEqual({ row: 2, col: 3, value: '7' });
  });

  it('has no targets without an active cell', () => {
    expect(pasteTargets([['x']], { active: null, ranges: [] })).toEqual([]);
  });
});

describe('planning the writes: skipped cells and refusals', () => {
  it('skips a read-only column inside the pasted area and writes the others', () => {
    const plan = planWrites(themeGrid(), pasteTargets([['9', '新テーマ']], at(0, 0)));
    expect(plan.skipped).toEqual({ readOnly: 1, outside: 0, shared: 0 });
    expect(editsAsText(plan.edits)).toEqual(['theme:001:text=新テーマ']);
    expect(plan.problems).toEqual([]);
  });

  it('writes a shared cell once: the rows it spans repeat its address and are skipped', () => {
    const plan = planWrites(themeGrid(), pasteTargets([['G1'], ['G2'], ['G3']], at(0, 2)));
    expect(editsAsText(plan.edits)).toEqual(['actionRow:101:goal=G1', 'actionRow:102:goal=G3']);
    expect(plan.skipped.shared).toBe(1);
  });

  it('counts cells beyond the last row or column as outside the grid', () => {
    const plan = planWrites(themeGrid(), pasteTargets([['1', '', 'x'], ['2', '', 'y']], at(3, 3)));
    expect(plan.skipped).toEqual({ readOnly: 0, outside: 4, shared: 0 }); // one to the right, three below
    expect(editsAsText(plan.edits)).toEqual(['theme:004:target=1', 'theme:004:is_new=∅']);
    expect(planWrites(themeGrid(), [{ row: 0, col: -1, value: 'x' }]).skipped.outside).toBe(1);
  });

  it('names every refused value by its row and column', () => {
    const plan = planWrites(themeGrid(), pasteTargets([['abc'], ['12'], ['x']], at(0, 3)));
    expect(plan.problems).toHaveLength(2);
    expect(plan.problems[0]).toMatch(/^1行目「目標値」: 「abc」は数値として読めません/);
    expect(plan.problems[1]).toMatch(/^3行目「目標値」: /);
  });
});

describe('what a paste does with its plan', () => {
  it('refuses the whole paste when one value is bad, and says how many more were', () => {
    const out = pasteOutcome(planWrites(themeGrid(), pasteTargets([['abc'], ['12'], ['x']], at(0, 3))));
    expect(out).toEqual({ error: expect.stringMatching(/^貼り付けられません。1行目「目標値」: .*（ほか1件） 何も保存していません。$/) });
  });

  it('saves the rest as one change and names what it skipped', () => {
    const out = pasteOutcome(planWrites(themeGrid(), pasteTargets([['9', 'T', 'G']], at(3, 0))));
    expect(out).toEqual({
      edits: expect.any(Array),
      label: '貼り付け（2セル）',
      done: '2セルを貼り付けました。 編集できないセル 1件は飛ばしました。',
    });
    const all = pasteOutcome({ edits: [], problems: [], skipped: { readOnly: 1, outside: 2, shared: 3 } });
    expect(all).toEqual({ error: '貼り付けるセルがありません。 編集できないセル 1件・表の外 2件・共有セルへの重複 3件は飛ばしました。' });
  });

  it('says nothing about skipped cells when none were', () => {
    const out = pasteOutcome(planWrites(themeGrid(), pasteTargets([['T']], at(1, 1))));
    expect(out).toMatchObject({ label: '貼り付け（1セル）', done: '1セルを貼り付けました。' });
  });
});

describe('one cell’s edit', () => {
  const row = themeRows()[0]!;
  it('is null for a read-only cell, a refusal for a bad value, and a clear for an empty text', () => {
    expect(cellEdit(row, col('no'), 'x')).toBeNull();
    expect(cellEdit(row, col('theme'), '')).toEqual({ problem: 'この欄は空にできません。' });
    expect(cellEdit(row, col('target'), '')).toEqual({ edit: { entity: 'theme', id: row.id, field: 'target', value: null } });
    expect(cellEdit(row, col('target'), null)).toEqual({ edit: { entity: 'theme', id: row.id, field: 'target', value: null } });
    expect(cellEdit(row, col('goal'), '')).toEqual({ edit: { entity: 'actionRow', id: row.tableId, field: 'goal', value: null } });
  });

  it('sends what the column’s parser makes of the input', () => {
    expect(cellEdit(row, col('target'), '2.5万')).toEqual({ edit: { entity: 'theme', id: row.id, field: 'target', value: '2.5万' } });
    expect(cellEdit(row, col('new'), '1')).toEqual({ edit: { entity: 'theme', id: row.id, field: 'is_new', value: '新' } });
  });
});

describe('copy', () => {
  it('copies the chosen rows, top to bottom, with a shared cell only where it starts', () => {
    const sel = { active: { row: 0, col: 1 }, ranges: [{ top: 1, bottom: 1, left: 0, right: 4 }, { top: 0, bottom: 0, left: 0, right: 4 }] };
    expect(copyBlock(themeGrid(), sel)).toEqual({
      texts: [
        ['1', '会員の拡大', '会員数の増加', '25,000', ''],
        ['2', '会員サービス', '', '', '新'],
      ],
      what: '2行',
    });
  });

  it('copies the focused cell’s own text (also in a row a shared cell continues into)', () => {
    expect(copyBlock(themeGrid(), at(1, 2))).toEqual({ texts: [['会員数の増加']], what: 'セル' });
  });

  it('copies nothing without a focused cell or chosen rows, or outside the grid', () => {
    expect(copyBlock(themeGrid(), { active: null, ranges: [] })).toBeNull();
    expect(copyBlock(themeGrid(), at(9, 1))).toBeNull();
  });
});
