import { afterEach, describe, expect, it } from 'vitest';
import { withChange } from '../../electron/db/change-writer';
import { applyMergeOps } from '../../electron/import/apply-ops';
import { readPlanState } from '../../electron/model/plan-state';
import { AppError } from '../../shared/errors/app-error';
import type { MergeOp } from '../../shared/import/ops';
import { seededDatabase } from '../helpers/seeded-db';

/**
 * An import's deletes follow the registry's rules as the grid's do, but never take with them a row
 * the review did not show as deleted: ticking only "remove theme T" for the last theme of a table
 * row must not delete the row with its year plans, 主な担当 and targets.
 */

let done: (() => void) | undefined;
afterEach(() => done?.());

function plan() {
  const s = seededDatabase();
  done = s.cleanup;
  const sqlite = s.db.sqlite;
  // A table row with exactly one theme, and targets and year plans of its own.
  const row = sqlite
    .prepare(
      `select r.id from action_row r where (select count(*) from theme t where t.row_id = r.id) = 1
         and exists (select 1 from target g where g.row_id = r.id) and exists (select 1 from year_plan y where y.row_id = r.id) limit 1`,
    )
    .get() as { id: string };
  const theme = sqlite.prepare('select * from theme where row_id = ?').get(row.id) as { id: string; pillar_id: string | null };
  const count = (table: string, column: string) => (sqlite.prepare(`select count(*) as n from ${table} where ${column} = ?`).get(row.id) as { n: number }).n;
  return { sqlite, rowId: row.id, theme, count };
}

const apply = (sqlite: Parameters<typeof applyMergeOps>[0], ops: MergeOp[]) => withChange(sqlite, { label: '取り込み' }, (w) => applyMergeOps(sqlite, w, ops));

describe('the deletes of an import', () => {
  it('refuse to take a table row with its last theme when only the theme was chosen, and change nothing', () => {
    const { sqlite, rowId, theme, count } = plan();
    const before = readPlanState(sqlite);
    const targets = count('target', 'row_id');
    let error: unknown;
    try {
      apply(sqlite, [{ op: 'delete', table: 'theme', id: theme.id }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).messageJa).toContain('何も変更していません');
    expect(readPlanState(sqlite)).toEqual(before);
    expect(count('target', 'row_id')).toBe(targets);
    expect(sqlite.prepare('select count(*) as n from action_row where id = ?').get(rowId)).toEqual({ n: 1 });
  });

  it('replace the last theme when its replacement is chosen too: the row and what hangs on it stay', () => {
    const { sqlite, rowId, theme, count } = plan();
    const targets = count('target', 'row_id');
    const years = count('year_plan', 'row_id');
    const added = '00000000-0000-4000-8000-00000000a001';
    apply(sqlite, [
      { op: 'delete', table: 'theme', id: theme.id },
      { op: 'insert', table: 'theme', row: { id: added, row_id: rowId, key: null, position: 1, text: '新しいテーマ', pillar_id: theme.pillar_id } },
    ]);
    expect(sqlite.prepare('select id, text from theme where row_id = ?').all(rowId)).toEqual([{ id: added, text: '新しいテーマ' }]);
    expect(count('target', 'row_id')).toBe(targets);
    expect(count('year_plan', 'row_id')).toBe(years);
  });

  it('delete the table row with everything chosen with it, its per-year cells and 主な担当 included', () => {
    const { sqlite, rowId, theme, count } = plan();
    const targetIds = (sqlite.prepare('select id from target where row_id = ?').all(rowId) as { id: string }[]).map((t) => t.id);
    apply(sqlite, [
      { op: 'delete', table: 'theme', id: theme.id },
      { op: 'delete', table: 'action_row', id: rowId },
      ...targetIds.map((id): MergeOp => ({ op: 'delete', table: 'target', id })),
    ]);
    expect(sqlite.prepare('select count(*) as n from action_row where id = ?').get(rowId)).toEqual({ n: 0 });
    expect([count('year_plan', 'row_id'), count('assignment', 'row_id'), count('target', 'row_id')]).toEqual([0, 0, 0]);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
  });
});
