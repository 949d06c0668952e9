import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PlanDb } from '../../electron/db/plan-db';
import { copyPlan } from '../../electron/db/plan-copy';
import { exportDocument } from '../../electron/export/export-document';
import { analyzeImport } from '../../electron/import/import-session';
import { writeHandoutWorkbook } from '../../electron/import/handout-workbook';
import { dumpPlan } from '../../electron/seed/dump';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { cellHistory } from '../../electron/model/editing/cell-history';
import { deleteImpact, deleteRow, moveRow } from '../../electron/model/editing/row-ops';
import { redo, undo, undoState } from '../../electron/model/editing/undo';
import { latestRevision, planStateAt, readPlanState } from '../../electron/model/plan-state';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { listActionRows, listUnits, planSummary } from '../../electron/model/queries/plan-queries';
import { readRollupInput } from '../../electron/model/queries/rollup-queries';
import { rollupOf } from '../../electron/model/queries/rollup';
import { screenChange } from '../../electron/model/queries/screen-changes';
import { listOverviewItems, listTargets, listUnitFocus } from '../../electron/model/queries/screen-queries';
import { touchedBy } from '../../electron/model/queries/touched-rows';
import { SqlStore } from '../../electron/model/sql-store';
import { emptyPlan, type PlanUnderTest, seededPlan } from '../helpers/engines';
import { firstOf } from '../helpers/plan-sql';
import { patchXlsx } from '../helpers/xlsx-patch';

/**
 * The same plan on both engines answers every read the same, and takes the same writes to the same
 * plan: the seed file and its copy on PostgreSQL (ids and change log included), each read and write
 * done on both and compared. Where the suites run on each engine alone (describe.each(engines)),
 * this catches what a suite would pass on both with different answers: an order one engine gives
 * by chance, a number that comes back as text, a rounding.
 */

let file: PlanUnderTest;
let copy: PlanUnderTest;
let lite: PlanDb;
let pgdb: PlanDb;
beforeAll(async () => {
  file = await seededPlan('sqlite');
  copy = await emptyPlan('postgres');
  lite = file.db;
  pgdb = copy.db;
  await copyPlan(lite, pgdb);
}, 120_000);
afterAll(async () => {
  await copy.cleanup();
  await file.cleanup();
});

/** `fn` on the file, then on PostgreSQL: the same answer. */
async function both<T>(fn: (db: PlanDb) => Promise<T>): Promise<T> {
  const a = await fn(lite);
  const b = await fn(pgdb);
  expect(b).toEqual(a);
  return a;
}

it('reads the same on both engines', async () => {
  expect([lite.engine, pgdb.engine]).toEqual(['sqlite', 'postgres']);
  expect((await listTargets(pgdb)).length).toBeGreaterThan(50);
  expect((await readRollupInput(pgdb)).targets.length).toBeGreaterThan(50);
  await both(readPlanState);
  await both(readRollupInput);
  await both((db) => rollupOf(db, { fiscalYear: 2021 }));
  await both(planDocumentData);
  await both(planSummary);
  await both(listUnits);
  await both((db) => listActionRows(db, 2021));
  await both((db) => listTargets(db));
  await both((db) => listUnitFocus(db, 'branches'));
  await both((db) => listUnitFocus(db, 'committees'));
  await both((db) => listOverviewItems(db, 2021));
  await both(undoState);
  await both(latestRevision);
  await both((db) => new SqlStore(db, null).find('target', { row_id: null }));
  await both((db) => new SqlStore(db, null).find('assignment', {}));
  const unit = (await firstOf(lite, sql<{ id: string }>`select id from unit where name = '広報部'`))!.id;
  await both((db) => listTargets(db, unit));
  await both((db) => listActionRows(db, 2020, unit));
}, 120_000);

it('exports, hands out, dumps and reads back the same on both engines', async () => {
  const unit = (await firstOf(lite, sql<{ id: string }>`select id from unit where name = '国際部'`))!.id;
  await both(dumpPlan);
  for (const request of [
    { layout: 'action-plan' as const, fiscalYear: 2021 },
    { layout: 'overview' as const },
    { layout: 'unit' as const, fiscalYear: 2020, unitId: unit },
    { layout: 'rollup' as const, fiscalYear: 2022 },
  ])
    await both((db) => exportDocument(db, request));
  const handout = await both(async (db) => {
    const { createdAt: _made, ...meta } = (await writeHandoutWorkbook(db, { unitId: unit, fiscalYear: 2021, appVersion: 'test' })).meta;
    return meta;
  });
  const bytes = Buffer.from((await writeHandoutWorkbook(lite, { unitId: unit, fiscalYear: 2021, appVersion: 'test' })).bytes);
  const returned = patchXlsx(bytes, [{ sheet: '目標・実績', cells: { H5: '2.5万', I5: 4 } }]);
  const review = await both(async (db) => {
    const { review: r } = await analyzeImport(db, db.name, { name: 'x.xlsx', bytes: returned });
    const { reviewId: _id, ...rest } = r;
    return rest;
  });
  expect(handout.ids.targets.length).toBeGreaterThan(0);
  expect(review.items).toHaveLength(2);
}, 120_000);

it('writes the same on both engines', async () => {
  const row = (await firstOf(lite, sql<{ id: string }>`select id from action_row order by page, position limit 1`))!.id;
  const target = (await firstOf(lite, sql<{ id: string }>`select id from target where unit = '社' order by id limit 1`))!.id;
  const theme = (await firstOf(lite, sql<{ id: string }>`select id from theme order by id limit 1`))!.id;
  const edits = [
    { entity: 'actionRow' as const, id: row, field: 'termPlan', value: 'A' },
    { entity: 'actionRow' as const, id: row, field: 'yearPlan', fiscalYear: 2021, value: '一回目' },
    { entity: 'target' as const, id: target, field: 'planValue', fiscalYear: 2022, value: '1.2万' },
    { entity: 'assignments' as const, id: row, value: '広報部\n国際部' },
  ];
  const r = await both((db) => applyGridEdits(db, 'セルの編集', edits));
  await both(async (db) => {
    const t = await touchedBy(db, r.changeSetId);
    return [await screenChange(db, t, { name: 'actionRows', fiscalYear: 2021 }), await screenChange(db, t, { name: 'targets' })];
  });
  await both((db) => applyGridEdits(db, 'セルの消去', [{ entity: 'actionRow', id: row, field: 'yearPlan', fiscalYear: 2021, value: null }]));
  await both((db) => applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row, field: 'yearPlan', fiscalYear: 2021, value: '二回目' }]));
  const hist = async (db: PlanDb) =>
    (
      await Promise.all([
        cellHistory(db, { entity: 'actionRow', id: row, field: 'yearPlan', fiscalYear: 2021 }),
        cellHistory(db, { entity: 'assignments', id: row }),
        cellHistory(db, { entity: 'target', id: target, field: 'planValue', fiscalYear: 2022 }),
      ])
    ).map((h) => h.map((e) => [e.changeSetId, e.label, e.from, e.to]));
  await both(hist);
  await both((db) => deleteImpact(db, 'theme', theme));
  await both((db) => deleteRow(db, 'theme', theme));
  await both((db) => moveRow(db, 'target', target, 'down'));
  await both(undo);
  await both(undo);
  await both(redo);
  await both(undoState);
  await both(readPlanState);
  await both((db) => planStateAt(db, r.changeSetId!));
  await both(hist);
}, 120_000);
