import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../shared/errors/app-error';
import { buildActionPlanLayout } from '../../shared/layout/action-plan-layout';
import { EMPTY_YEAR_MARK } from '../../shared/layout/labels';
import { cellText, type LayoutSheet } from '../../shared/layout/model';
import { createHandler } from '../../electron/api/handlers';
import { exportDocument, renderExportFiles } from '../../electron/export/export-document';
import { analyzeImport } from '../../electron/import/import-session';
import { planDocumentData } from '../../electron/model/queries/document-queries';
import { readPlanState } from '../../electron/model/plan-state';
import { Workspace } from '../../electron/workspace/workspace';
import { type PlanUnderTest, seededPlan } from '../helpers/engines';
import { tempDir } from '../helpers/temp';

/**
 * Empty year cells of the action plan: printed 「（未記入）」 (the plan stays empty), counted by the
 * print page's answer for the export dialog's warning, and read back from the workbook as empty.
 * On the seed plan FY2020 has a plan text in every row; FY2021 and FY2022 have none, and no
 * branch has a FY2022 focus.
 */

let env: PlanUnderTest;
let out: ReturnType<typeof tempDir>;
let ws: Workspace;
beforeAll(async () => {
  env = await seededPlan('sqlite');
  out = tempDir();
  ws = new Workspace('test', out.dir);
  await ws.use(env.opened);
});
afterAll(async () => {
  await ws.close();
  await env.cleanup();
  out.cleanup();
});

const yearCells = (sheets: LayoutSheet[]) => sheets.flatMap((s) => s.body.flatMap((g) => g.rows.flatMap((r) => r.cells.filter((c) => c.col === 3)))).map(cellText);
const branchYearCells = (sheet: LayoutSheet) => sheet.body.map((g) => cellText(g.rows[0]!.cells[2]!));

describe('an empty year cell', () => {
  it('prints 「（未記入）」 in the action plan and on page ⑦, and leaves the plan data empty', async () => {
    const data = await planDocumentData(env.db);
    const fy2020 = buildActionPlanLayout(data, { fiscalYear: 2020 });
    expect(yearCells(fy2020.sheets.slice(0, 6))).not.toContain(EMPTY_YEAR_MARK);
    expect(branchYearCells(fy2020.sheets[6]!)).not.toContain(EMPTY_YEAR_MARK);

    const fy2021 = buildActionPlanLayout(data, { fiscalYear: 2021 });
    const cells2021 = yearCells(fy2021.sheets.filter((s) => s.name.startsWith('アクションプラン')));
    expect(cells2021).toHaveLength(35);
    expect(new Set(cells2021)).toEqual(new Set([EMPTY_YEAR_MARK]));
    expect(data.actionRows.every((r) => (r.yearPlans['2021'] ?? '') === '')).toBe(true);

    const fy2022 = buildActionPlanLayout(data, { fiscalYear: 2022 });
    expect(branchYearCells(fy2022.sheets.at(-1)!)).toEqual(new Array(23).fill(EMPTY_YEAR_MARK));

    // A unit's excerpt marks its own rows the same way.
    const unitId = data.units.find((u) => u.name === '国際部')!.id;
    const unit = buildActionPlanLayout(data, { fiscalYear: 2021, unitId });
    expect(new Set(yearCells(unit.sheets))).toEqual(new Set([EMPTY_YEAR_MARK]));
  });

  it('is counted in the print page’s answer: rows and branches of the chosen year and unit, none for other layouts', async () => {
    const handle = createHandler(ws, 'http', () => {});
    const emptyYears = async (args: unknown) => {
      const outcome = (await handle('export.printHtml', args)) as Outcome<{ emptyYears: unknown }>;
      if (!outcome.ok) throw new Error(outcome.error.message);
      return outcome.value.emptyYears;
    };
    expect(await emptyYears({ layout: 'action-plan', fiscalYear: 2020 })).toEqual({ fiscalYear: 2020, rows: 0, branches: 0 });
    expect(await emptyYears({ layout: 'action-plan', fiscalYear: 2021 })).toEqual({ fiscalYear: 2021, rows: 35, branches: 0 });
    expect(await emptyYears({ layout: 'action-plan', fiscalYear: 2022 })).toEqual({ fiscalYear: 2022, rows: 35, branches: 23 });
    const data = await planDocumentData(env.db);
    const unit = data.units.find((u) => u.name === '国際部')!;
    const rowsOfUnit = data.actionRows.filter((r) => r.unitIds.includes(unit.id)).length;
    expect(await emptyYears({ layout: 'unit', fiscalYear: 2021, unitId: unit.id })).toEqual({ fiscalYear: 2021, rows: rowsOfUnit, branches: 0 });
    expect(await emptyYears({ layout: 'overview', fiscalYear: 2021 })).toBeNull();
    expect(await emptyYears({ layout: 'rollup', fiscalYear: 2021 })).toBeNull();
  });

  it('reads back from the exported workbook as empty: FY2021 and FY2022 exported and read back change nothing', async () => {
    const before = await readPlanState(env.db);
    for (const fiscalYear of [2021, 2022]) {
      const [file] = await renderExportFiles(await exportDocument(env.db, { layout: 'action-plan', fiscalYear }), ['xlsx'], null);
      const { review } = await analyzeImport(env.db, env.location, { name: `export-${fiscalYear}.xlsx`, bytes: Buffer.from(file!.bytes) });
      expect(review.source).toBe('export');
      expect(review.items, `FY${fiscalYear}`).toEqual([]);
    }
    expect(await readPlanState(env.db)).toEqual(before);
  });
});
