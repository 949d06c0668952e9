/**
 * Workloads of the scaling figures (`npm run bench`, and the unit tests that guard against a
 * quadratic step): each is the same work at two sizes, so that the time ratio can be set beside
 * the data ratio. Linear work grows like the data; a quadratic step grows like its square.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPlanDatabase } from '../../electron/db/open';
import { exportDocument } from '../../electron/export/export-document';
import { writeXlsx } from '../../electron/export/xlsx-writer';
import { analyzeImport, applyImport } from '../../electron/import/import-session';
import { readSeedDirectory } from '../../electron/seed/read-seeds';
import { createDatabase } from '../../electron/workspace/create-database';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { listUnitFocus } from '../../electron/model/queries/screen-queries';
import { buildActionPlanLayout } from '../../shared/layout/action-plan-layout';
import { buildOverviewLayout } from '../../shared/layout/overview-layout';
import { filledInWorkbook } from '../helpers/filled-in-workbook';
import { now, round } from './measure';
import { scaleBundle } from './synthetic';

const root = join(import.meta.dirname, '..', '..');

/** A plan database `factor` times the seed in `dir` (built once per folder and factor). */
export async function scaledPlan(dir: string, factor: number): Promise<string> {
  const path = join(dir, `scaling-${factor}x.plandb`);
  await (await createDatabase(path, scaleBundle(readSeedDirectory(join(root, 'seeds')), factor), { force: true })).db.close();
  return path;
}

const ms = (t: number) => round(now() - t);

/** Reading (analyze) and applying (every item taken) a fill-in workbook with `count` new targets, on a copy of `planPath`. */
export async function importNewTargets(planPath: string, dir: string, count: number): Promise<{ analyzeMs: number; applyMs: number; added: number }> {
  const path = join(dir, `new-targets-${count}.plandb`);
  copyFileSync(planPath, path);
  const db = openPlanDatabase(path, { create: false }).db;
  try {
    const bytes = await filledInWorkbook(db, '地域振興部', count);
    const t0 = now();
    const analysis = await analyzeImport(db, path, { name: '地域振興部_記入済み.xlsx', bytes });
    const analyzeMs = ms(t0);
    const t1 = now();
    await applyImport(db, analysis, { take: analysis.items.map((i) => i.id), keep: [] }, async () => null);
    const applyMs = ms(t1);
    return { analyzeMs, applyMs, added: analysis.review.counts.added };
  } finally {
    await db.close();
  }
}

/** Reading back a whole-plan action-plan export of the plan (analyze only: it holds no change). */
export async function exportReadBack(planPath: string, dir: string): Promise<{ analyzeMs: number; bytes: number }> {
  const path = join(dir, `read-back-${Date.now()}.plandb`);
  copyFileSync(planPath, path);
  const db = openPlanDatabase(path, { create: false }).db;
  try {
    const bytes = Buffer.from(await writeXlsx(await exportDocument(db, { layout: 'action-plan', fiscalYear: 2021 })));
    const t0 = now();
    await analyzeImport(db, path, { name: 'アクションプラン.xlsx', bytes });
    return { analyzeMs: ms(t0), bytes: bytes.byteLength };
  } finally {
    await db.close();
  }
}

/** The 支部 and 部会・委員会 lists, and the export layouts (action plan, overview), median of `runs`. */
export async function listsAndLayouts(
  planPath: string,
  runs: number,
): Promise<{ branchesMs: number; committeesMs: number; actionPlanLayoutMs: number; overviewLayoutMs: number }> {
  const db = openPlanDatabase(planPath, { create: false }).db;
  try {
    const median = async (fn: () => unknown) => {
      await fn();
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = now();
        await fn();
        samples.push(now() - t);
      }
      return round(samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!);
    };
    const data = await planDocumentData(db);
    return {
      branchesMs: await median(() => listUnitFocus(db, 'branches')),
      committeesMs: await median(() => listUnitFocus(db, 'committees')),
      actionPlanLayoutMs: await median(() => buildActionPlanLayout(data, { fiscalYear: 2021 })),
      overviewLayoutMs: await median(() => buildOverviewLayout(data, 2021)),
    };
  } finally {
    await db.close();
  }
}
