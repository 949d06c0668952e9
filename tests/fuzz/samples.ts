import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPlanDatabase } from '../../electron/db/open';
import { exportDocument, renderExportFiles } from '../../electron/export/export-document';
import { writeHandoutWorkbook } from '../../electron/import/handout-workbook';
import { dumpPlan } from '../../electron/seed/dump';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { deleteRow, insertRow } from '../../electron/model/editing/row-ops';
import { createDatabase } from '../../electron/workspace/create-database';
import { Workspace } from '../../electron/workspace/workspace';
import { realSeeds, sqliteOf } from '../helpers/seeded-db';

/**
 * The valid files every fuzz case starts from, built once per run from the real seeds into a
 * folder the case processes read: the plan database (at rest: WAL checkpointed, closed), two
 * fill-in workbooks (a department's and a branch's), two action-plan exports (the whole plan and a
 * unit's), a colleague's copy of the plan with edits of their own, and the plan's dump.
 */

export interface Samples {
  dir: string;
  plan: string;
  handouts: string[];
  exports: string[];
  colleague: string;
  dump: string;
  /** Ids that exist in the plan, by table (for hidden ids swapped to another unit's row). */
  ids: Record<string, string[]>;
  /** What each fill-in workbook was handed out with (by file name): a return may touch only these rows and their children. */
  handedOut: Record<string, { unitId: string; actionRows: string[]; targets: string[]; focus: string[] }>;
}

const manifest = (dir: string) => join(dir, 'samples.json');

export function loadSamples(dir: string): Samples {
  return JSON.parse(readFileSync(manifest(dir), 'utf8')) as Samples;
}

export async function buildSamples(dir: string): Promise<Samples> {
  if (existsSync(manifest(dir))) return loadSamples(dir);
  mkdirSync(dir, { recursive: true });
  const plan = join(dir, 'plan.plandb');
  const opened = await createDatabase(plan, realSeeds());
  const db = opened.db;
  const unit = async (name: string) => (await db.q.selectFrom('unit').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const file = (name: string, bytes: Uint8Array) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  const handedOut: Samples['handedOut'] = {};
  const handout = async (name: string, unitName: string, fiscalYear: number) => {
    const h = await writeHandoutWorkbook(db, { unitId: await unit(unitName), fiscalYear, appVersion: 'fuzz' });
    handedOut[name] = { unitId: h.meta.unitId, ...h.meta.ids };
    return file(name, h.bytes);
  };
  const handouts = [await handout('handout-department.xlsx', '国際部', 2021), await handout('handout-branch.xlsx', '千代田支部', 2022)];
  const exportOf = async (name: string, request: Parameters<typeof exportDocument>[1]) => {
    const [x] = await renderExportFiles(await exportDocument(db, request), ['xlsx'], null);
    return file(name, x!.bytes);
  };
  const exports = [await exportOf('export-plan.xlsx', { layout: 'action-plan', fiscalYear: 2020 }), await exportOf('export-unit.xlsx', { layout: 'unit', fiscalYear: 2021, unitId: await unit('中小企業部') })];
  const tables = ['action_row', 'theme', 'target', 'unit', 'pillar'] as const;
  const ids: Record<string, string[]> = {};
  for (const t of tables) ids[t] = (await db.q.selectFrom(t).select('id').orderBy('id').execute()).map((r) => r.id);
  writeFileSync(join(dir, 'dump.json'), JSON.stringify(await dumpPlan(db), null, 2) + '\n');
  sqliteOf(db).pragma('wal_checkpoint(TRUNCATE)');
  await db.close();
  // One open and close by the app puts the file in the state it keeps (as the bad-file test does).
  const ws = new Workspace('fuzz', join(dir, 'user-data'));
  await ws.open(plan);
  await ws.close();

  // A colleague's copy: the same plan, edited there (a changed theme, a new row, a removed theme).
  const colleague = join(dir, 'colleague.plandb');
  copyFileSync(plan, colleague);
  const theirs = openPlanDatabase(colleague, { create: false }).db;
  const themes = await theirs.q.selectFrom('theme').select('id').orderBy('row_id').orderBy('position').limit(6).execute();
  await applyGridEdits(theirs, '同僚の編集', [{ entity: 'theme', id: themes[0]!.id, field: 'text', value: '同僚が直したテーマ' }]);
  await insertRow(theirs, 'actionRow', themes[2]!.id);
  // The new row's theme is empty until typed in (and a plan with an empty theme cannot be dumped and rebuilt: fuzz-findings.md).
  const empty = await theirs.q.selectFrom('theme').select('id').where('text', '=', '').orderBy('id').execute();
  await applyGridEdits(theirs, '同僚の編集', empty.map((t) => ({ entity: 'theme' as const, id: t.id, field: 'text' as const, value: '同僚が足したテーマ' })));
  await deleteRow(theirs, 'theme', themes[4]!.id);
  sqliteOf(theirs).pragma('wal_checkpoint(TRUNCATE)');
  await theirs.close();

  const samples: Samples = { dir, plan, handouts, exports, colleague, dump: join(dir, 'dump.json'), ids, handedOut };
  writeFileSync(manifest(dir), JSON.stringify(samples));
  return samples;
}
