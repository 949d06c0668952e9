import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sameValue } from '../../shared/import/classify';
import { mergeStates } from '../../shared/import/merge';
import { applyOps } from '../../shared/import/ops';
import { planSchema } from '../../shared/import/plan-schema';
import type { PlanState } from '../../shared/import/state';
import { withChange } from '../../electron/db/change-writer';
import { openPlanDatabase } from '../../electron/db/open';
import type { PlanDb } from '../../electron/db/plan-db';
import { applyMergeOps } from '../../electron/import/apply-ops';
import { latestRevision, planStateAt, readPlanState } from '../../electron/model/plan-state';
import { planTableNames } from '../../shared/model/registry';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { deleteRow, insertRow, moveRow } from '../../electron/model/editing/row-ops';
import { undo } from '../../electron/model/editing/undo';
import { seededDatabase, sqliteOf } from '../helpers/seeded-db';

/**
 * The merge's view of a database: the plan now and at any earlier revision (from the change log),
 * and the writes of an import, which must land exactly as the merge modelled them and undo as one step.
 */

let env: Awaited<ReturnType<typeof seededDatabase>>;
beforeEach(async () => {
  env = await seededDatabase();
});
afterEach(async () => {
  await env.cleanup();
});

function expectSameState(actual: PlanState, expected: PlanState): void {
  for (const table of Object.keys(planSchema)) {
    expect(Object.keys(actual[table] ?? {}).sort(), table).toEqual(Object.keys(expected[table] ?? {}).sort());
    for (const [id, row] of Object.entries(expected[table] ?? {})) {
      const other = actual[table]![id]!;
      for (const c of new Set([...Object.keys(row), ...Object.keys(other)])) expect(sameValue(other[c], row[c]), `${table} ${id}.${c}: ${JSON.stringify(other[c])} vs ${JSON.stringify(row[c])}`).toBe(true);
    }
  }
}

const ids = async (db: PlanDb) => {
  const themes = await db.q.selectFrom('theme').select(['id', 'row_id']).orderBy('row_id').orderBy('position').execute();
  const targets = await db.q.selectFrom('target').select('id').orderBy('id').execute();
  const branch = await db.q.selectFrom('unit').select('id').where('kind', '=', 'branch').orderBy('position').executeTakeFirstOrThrow();
  return { themes, targets, branch };
};

describe('the plan as the merge sees it', () => {
  it('knows every data table of the database', () => {
    const tables = (sqliteOf(env.db).prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    expect([...planTableNames, 'change_set', 'change'].sort()).toEqual(tables.sort());
  });

  it('folds year plans, target values and 主な担当 into their rows', async () => {
    const db = env.db.db;
    const state = await readPlanState(db);
    const row = await db.q.selectFrom('year_plan').select(['row_id', 'text']).where('fiscal_year', '=', 2020).orderBy('id').executeTakeFirstOrThrow();
    expect(state.action_row![row.row_id]!['yearPlan:2020']).toBe(row.text);
    const value = await db.q.selectFrom('target_value').select(['target_id', 'fiscal_year', 'plan_value']).where('plan_value', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    expect(state.target![value.target_id]![`planValue:${value.fiscal_year}`]).toBe(value.plan_value);
    const units = (await db.q.selectFrom('assignment').select('unit_id').where('row_id', '=', row.row_id).orderBy('position').execute()).map((u) => u.unit_id);
    expect(state.action_row![row.row_id]!.units).toEqual(units);
    expect(state.year_plan).toBeUndefined();
  });

  it('gives the plan at every earlier revision exactly, from the change log', async () => {
    const db = env.db.db;
    const { themes, targets, branch } = await ids(db);
    const snapshots = new Map<number, PlanState>([[await latestRevision(db), await readPlanState(db)]]);
    const step = async (fn: () => Promise<unknown>) => {
      await fn();
      snapshots.set(await latestRevision(db), await readPlanState(db));
    };
    await step(() => applyGridEdits(db, 'e1', [{ entity: 'theme', id: themes[0]!.id, field: 'text', value: '変更したテーマ' }]));
    await step(() => applyGridEdits(db, 'e2', [{ entity: 'target', id: targets[0]!.id, field: 'planValue', fiscalYear: 2022, value: '2.5万' }]));
    await step(() => applyGridEdits(db, 'e3', [{ entity: 'actionRow', id: themes[0]!.row_id, field: 'yearPlan', fiscalYear: 2021, value: '・新しい計画' }]));
    await step(() => applyGridEdits(db, 'e4', [{ entity: 'focusSlot', unitId: branch.id, period: '2022', value: '2022年度の重点' }]));
    await step(() => insertRow(db, 'theme', themes[1]!.id));
    await step(() => moveRow(db, 'theme', themes[2]!.id, 'down'));
    await step(() => deleteRow(db, 'actionRow', themes[20]!.row_id));
    await step(() => undo(db));
    expect(snapshots.size).toBe(9);
    for (const [revision, state] of snapshots) expectSameState(await planStateAt(db, revision), state);
  });
});

describe('writing a merge', () => {
  it('lands exactly as the merge modelled it, as one change set, and one undo gives the plan back', async () => {
    const theirsPath = join(env.dir, 'theirs.plandb');
    sqliteOf(env.db).pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(env.path, theirsPath);
    const theirsDb = openPlanDatabase(theirsPath, { create: false });
    const mine = env.db.db;
    const theirs = theirsDb.db;
    const { themes, targets, branch } = await ids(mine);
    const unitIds = (await mine.q.selectFrom('unit').select('id').where('kind', '=', 'department').orderBy('position').limit(3).execute()).map((u) => u.id);
    await applyGridEdits(theirs, 'theirs', [
      { entity: 'theme', id: themes[0]!.id, field: 'text', value: 'ファイルのテーマ' },
      { entity: 'target', id: targets[1]!.id, field: 'actualValue', fiscalYear: 2020, value: '120' },
      { entity: 'target', id: targets[2]!.id, field: 'planValue', fiscalYear: 2020, value: null },
      { entity: 'actionRow', id: themes[5]!.row_id, field: 'yearPlan', fiscalYear: 2020, value: null },
      { entity: 'actionRow', id: themes[6]!.row_id, field: 'yearPlan', fiscalYear: 2022, value: '・2022年度の計画' },
      { entity: 'focusSlot', unitId: branch.id, period: '2021', value: 'ファイルの重点' },
    ]);
    await withChange(theirs, { label: 'units' }, (w, tx) => applyMergeOps(tx, w, [{ op: 'update', table: 'action_row', id: themes[7]!.row_id, column: 'units', value: unitIds }]));
    await insertRow(theirs, 'actionRow', themes[8]!.id);
    await insertRow(theirs, 'target', targets[3]!.id);
    await deleteRow(theirs, 'actionRow', themes[30]!.row_id);
    await deleteRow(theirs, 'unit', unitIds[2]!);
    const otherTarget = await mine.q.selectFrom('target').select('id').where('row_id', '!=', themes[30]!.row_id).orderBy('id').executeTakeFirstOrThrow();
    await applyGridEdits(mine, 'mine', [
      { entity: 'theme', id: themes[0]!.id, field: 'text', value: 'こちらのテーマ' },
      { entity: 'target', id: otherTarget.id, field: 'label', value: 'こちらの目標名' },
    ]);
    await deleteRow(mine, 'theme', themes[12]!.id);

    const base = await planStateAt(mine, 1);
    const mineState = await readPlanState(mine);
    const theirsState = await readPlanState(theirs);
    const { items } = mergeStates(base, mineState, theirsState, planSchema);
    expect(items.length).toBeGreaterThan(8);
    expect(items.filter((i) => i.conflict).map((i) => i.id)).toEqual([`cell:theme|${themes[0]!.id}|text`]);
    const ops = items.flatMap((i) => i.ops);
    const modelled = applyOps(mineState, ops, planSchema);

    const before = await latestRevision(mine);
    const r = await withChange(mine, { label: '取り込み: theirs.plandb', source: 'theirs.plandb' }, (w, tx) => applyMergeOps(tx, w, ops));
    expect(r.changeSetId).toBe(before + 1);
    expect(await latestRevision(mine)).toBe(before + 1);
    expect(await mine.q.selectFrom('change_set').select(['label', 'source']).where('id', '=', r.changeSetId!).executeTakeFirst()).toEqual({ label: '取り込み: theirs.plandb', source: 'theirs.plandb' });
    expectSameState(await readPlanState(mine), modelled);
    expect(sqliteOf(mine).pragma('foreign_key_check')).toEqual([]);
    // Everything the file changed is here now (the theme conflict taken on the file's side).
    expectSameState(await readPlanState(mine), applyOps(mineState, ops, planSchema));
    expect((await readPlanState(mine)).theme![themes[0]!.id]!.text).toBe('ファイルのテーマ');

    const u = await undo(mine);
    expect(u.label).toBe('取り込み: theirs.plandb');
    expectSameState(await readPlanState(mine), mineState);
    await theirsDb.db.close();
  });
});
