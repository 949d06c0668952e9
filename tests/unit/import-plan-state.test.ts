import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sameValue } from '../../shared/import/classify';
import { mergeStates } from '../../shared/import/merge';
import { applyOps } from '../../shared/import/ops';
import { planSchema } from '../../shared/import/plan-schema';
import type { PlanState } from '../../shared/import/state';
import { withChange } from '../../electron/db/change-writer';
import { openPlanDatabase, type OpenedDatabase } from '../../electron/db/open';
import { applyMergeOps } from '../../electron/import/apply-ops';
import { latestRevision, planStateAt, readPlanState } from '../../electron/model/plan-state';
import { planTableNames } from '../../shared/model/registry';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { deleteRow, insertRow, moveRow } from '../../electron/model/editing/row-ops';
import { undo } from '../../electron/model/editing/undo';
import { seededDatabase } from '../helpers/seeded-db';

/**
 * The merge's view of a database: the plan now and at any earlier revision (from the change log),
 * and the writes of an import, which must land exactly as the merge modelled them and undo as one step.
 */

let env: ReturnType<typeof seededDatabase>;
beforeEach(() => {
  env = seededDatabase();
});
afterEach(() => env.cleanup());

function expectSameState(actual: PlanState, expected: PlanState): void {
  for (const table of Object.keys(planSchema)) {
    expect(Object.keys(actual[table] ?? {}).sort(), table).toEqual(Object.keys(expected[table] ?? {}).sort());
    for (const [id, row] of Object.entries(expected[table] ?? {})) {
      const other = actual[table]![id]!;
      for (const c of new Set([...Object.keys(row), ...Object.keys(other)])) expect(sameValue(other[c], row[c]), `${table} ${id}.${c}: ${JSON.stringify(other[c])} vs ${JSON.stringify(row[c])}`).toBe(true);
    }
  }
}

const ids = (db: OpenedDatabase) => {
  const themes = db.sqlite.prepare('select id, row_id from theme order by row_id, position').all() as { id: string; row_id: string }[];
  const targets = db.sqlite.prepare('select id from target order by id').all() as { id: string }[];
  const branch = db.sqlite.prepare("select id from unit where kind = 'branch' order by position").get() as { id: string };
  return { themes, targets, branch };
};

describe('the plan as the merge sees it', () => {
  it('knows every data table of the database', () => {
    const tables = (env.db.sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    expect([...planTableNames, 'change_set', 'change'].sort()).toEqual(tables.sort());
  });

  it('folds year plans, target values and 主な担当 into their rows', () => {
    const state = readPlanState(env.db.sqlite);
    const row = env.db.sqlite.prepare('select row_id, text from year_plan where fiscal_year = 2020 limit 1').get() as { row_id: string; text: string };
    expect(state.action_row![row.row_id]!['yearPlan:2020']).toBe(row.text);
    const value = env.db.sqlite.prepare('select target_id, plan_value from target_value where plan_value is not null limit 1').get() as { target_id: string; plan_value: number };
    expect(state.target![value.target_id]!['planValue:2020']).toBe(value.plan_value);
    const units = (env.db.sqlite.prepare('select unit_id from assignment where row_id = ? order by position').all(row.row_id) as { unit_id: string }[]).map((u) => u.unit_id);
    expect(state.action_row![row.row_id]!.units).toEqual(units);
    expect(state.year_plan).toBeUndefined();
  });

  it('gives the plan at every earlier revision exactly, from the change log', () => {
    const { themes, targets, branch } = ids(env.db);
    const sqlite = env.db.sqlite;
    const snapshots = new Map<number, PlanState>([[latestRevision(sqlite), readPlanState(sqlite)]]);
    const step = (fn: () => unknown) => {
      fn();
      snapshots.set(latestRevision(sqlite), readPlanState(sqlite));
    };
    step(() => applyGridEdits(sqlite, 'e1', [{ entity: 'theme', id: themes[0]!.id, field: 'text', value: '変更したテーマ' }]));
    step(() => applyGridEdits(sqlite, 'e2', [{ entity: 'target', id: targets[0]!.id, field: 'planValue', fiscalYear: 2022, value: '2.5万' }]));
    step(() => applyGridEdits(sqlite, 'e3', [{ entity: 'actionRow', id: themes[0]!.row_id, field: 'yearPlan', fiscalYear: 2021, value: '・新しい計画' }]));
    step(() => applyGridEdits(sqlite, 'e4', [{ entity: 'focusSlot', unitId: branch.id, period: '2022', value: '2022年度の重点' }]));
    step(() => insertRow(sqlite, 'theme', themes[1]!.id));
    step(() => moveRow(sqlite, 'theme', themes[2]!.id, 'down'));
    step(() => deleteRow(sqlite, 'actionRow', themes[20]!.row_id));
    step(() => undo(sqlite));
    expect(snapshots.size).toBe(9);
    for (const [revision, state] of snapshots) expectSameState(planStateAt(sqlite, revision), state);
  });
});

describe('writing a merge', () => {
  it('lands exactly as the merge modelled it, as one change set, and one undo gives the plan back', () => {
    const theirsPath = join(env.dir, 'theirs.plandb');
    env.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(env.path, theirsPath);
    const theirsDb = openPlanDatabase(theirsPath, { create: false });
    const { themes, targets, branch } = ids(env.db);
    const mine = env.db.sqlite;
    const theirs = theirsDb.sqlite;
    const unitIds = (mine.prepare("select id from unit where kind = 'department' order by position limit 3").all() as { id: string }[]).map((u) => u.id);
    applyGridEdits(theirs, 'theirs', [
      { entity: 'theme', id: themes[0]!.id, field: 'text', value: 'ファイルのテーマ' },
      { entity: 'target', id: targets[1]!.id, field: 'actualValue', fiscalYear: 2020, value: '120' },
      { entity: 'target', id: targets[2]!.id, field: 'planValue', fiscalYear: 2020, value: null },
      { entity: 'actionRow', id: themes[5]!.row_id, field: 'yearPlan', fiscalYear: 2020, value: null },
      { entity: 'actionRow', id: themes[6]!.row_id, field: 'yearPlan', fiscalYear: 2022, value: '・2022年度の計画' },
      { entity: 'focusSlot', unitId: branch.id, period: '2021', value: 'ファイルの重点' },
    ]);
    withChange(theirs, { label: 'units' }, (w) => applyMergeOps(theirs, w, [{ op: 'update', table: 'action_row', id: themes[7]!.row_id, column: 'units', value: unitIds }]));
    insertRow(theirs, 'actionRow', themes[8]!.id);
    insertRow(theirs, 'target', targets[3]!.id);
    deleteRow(theirs, 'actionRow', themes[30]!.row_id);
    deleteRow(theirs, 'unit', unitIds[2]!);
    applyGridEdits(mine, 'mine', [
      { entity: 'theme', id: themes[0]!.id, field: 'text', value: 'こちらのテーマ' },
      { entity: 'target', id: (mine.prepare('select id from target where row_id != ? order by id limit 1').get(themes[30]!.row_id) as { id: string }).id, field: 'label', value: 'こちらの目標名' },
    ]);
    deleteRow(mine, 'theme', themes[12]!.id);

    const base = planStateAt(mine, 1);
    const mineState = readPlanState(mine);
    const theirsState = readPlanState(theirs);
    const { items } = mergeStates(base, mineState, theirsState, planSchema);
    expect(items.length).toBeGreaterThan(8);
    expect(items.filter((i) => i.conflict).map((i) => i.id)).toEqual([`cell:theme|${themes[0]!.id}|text`]);
    const ops = items.flatMap((i) => i.ops);
    const modelled = applyOps(mineState, ops, planSchema);

    const before = latestRevision(mine);
    const r = withChange(mine, { label: '取り込み: theirs.plandb', source: 'theirs.plandb' }, (w) => applyMergeOps(mine, w, ops));
    expect(r.changeSetId).toBe(before + 1);
    expect(latestRevision(mine)).toBe(before + 1);
    expect(mine.prepare('select label, source from change_set where id = ?').get(r.changeSetId)).toEqual({ label: '取り込み: theirs.plandb', source: 'theirs.plandb' });
    expectSameState(readPlanState(mine), modelled);
    expect(mine.pragma('foreign_key_check')).toEqual([]);
    // Everything the file changed is here now (the theme conflict taken on the file's side).
    expectSameState(readPlanState(mine), applyOps(mineState, ops, planSchema));
    expect(readPlanState(mine).theme![themes[0]!.id]!.text).toBe('ファイルのテーマ');

    const u = undo(mine);
    expect(u.label).toBe('取り込み: theirs.plandb');
    expectSameState(readPlanState(mine), mineState);
    theirsDb.sqlite.close();
  });
});
