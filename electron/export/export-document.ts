import { AppError } from '../../shared/errors/app-error';
import type { ExportFormat, ExportLayout } from '../../shared/contract/methods/export';
import { buildActionPlanLayout, emptyYearCounts } from '../../shared/layout/action-plan-layout';
import type { PlanDocumentData } from '../../shared/layout/document-data';
import type { LayoutDocument } from '../../shared/layout/model';
import { buildOverviewLayout, overviewYears } from '../../shared/layout/overview-layout';
import { documentCharacters, renderPrintHtml } from '../../shared/layout/print-html';
import { buildRollupLayout } from '../../shared/layout/rollup-layout';
import { rollupTables } from '../../shared/rollup/table';
import type { PlanDb } from '../db/plan-db';
import { planDocumentData } from '../model/queries/document-queries';
import { rollupOf } from '../model/queries/rollup';
import type { PdfRenderer } from './export-host';
import { printFontFaceCss } from './fonts';
import { latestRevision } from '../model/plan-state';
import type { ExportSource } from './export-meta';
import { writeXlsx } from './xlsx-writer';

/** Turns an export request into a layout document, and a layout document into files. */

export interface DocumentRequest {
  layout: ExportLayout;
  fiscalYear?: number | undefined;
  unitId?: string | undefined;
}

const planYears = (data: PlanDocumentData) => Array.from({ length: data.plan.endYear - data.plan.startYear + 1 }, (_, i) => data.plan.startYear + i);

export function exportLayouts(data: PlanDocumentData) {
  const years = planYears(data);
  return {
    layouts: [
      {
        id: 'action-plan' as const,
        label: 'アクションプラン（中期事業計画・年度事業活動計画）',
        description: '①〜⑥のアクションプランと⑦23支部の重点取組内容。A4横。',
        fiscalYears: years,
        needsUnit: false,
      },
      {
        id: 'overview' as const,
        label: '事業活動計画（概要）',
        description: 'スローガン・10の挑戦、年度の取り組み、財政計画、部会・委員会、23支部。入りきらない面はA3横。',
        fiscalYears: overviewYears(data),
        needsUnit: false,
      },
      {
        id: 'unit' as const,
        label: '組織別アクションプラン',
        description: '一つの組織が担当する行だけのアクションプラン（部署・委員会・支部へ配布用）。A4横。',
        fiscalYears: years,
        needsUnit: true,
      },
      {
        id: 'rollup' as const,
        label: '進捗・集計表',
        description: '目標別・組織別・柱別・年度別の集計表。幅の広い表はA3横。',
        fiscalYears: years,
        needsUnit: false,
      },
    ],
    formats: [
      { id: 'xlsx' as const, label: 'Excel（.xlsx）' },
      { id: 'pdf' as const, label: 'PDF' },
    ],
  };
}

/**
 * The layout document of a request, read from the open plan. An action plan (whole or a unit's)
 * says where it came from (the plan and its revision): its Excel file records it, so that reading
 * the file back compares with the plan as it was exported. Unknown units and years without data
 * are errors. The plan is read as one consistent view, so the document and the revision it
 * records are of the same moment.
 */
export async function exportDocument(db: PlanDb, request: DocumentRequest): Promise<ExportedDocument> {
  return db.snapshot(async (tx) => {
    const doc = await layoutDocument(tx, request);
    if (request.layout !== 'action-plan' && request.layout !== 'unit') return doc;
    const plan = await tx.q.selectFrom('plan').select(['id', 'start_year as startYear']).executeTakeFirstOrThrow();
    const revision = await latestRevision(tx);
    const at = (await tx.q.selectFrom('change_set').select('at').where('id', '=', revision).executeTakeFirst())?.at ?? '';
    return {
      ...doc,
      source: { planId: plan.id, revision, revisionAt: at, layout: request.layout, fiscalYear: request.fiscalYear ?? plan.startYear, unitId: request.unitId ?? null },
    };
  });
}

/** The year whose plan text some printed rows lack (they print 「（未記入）」): the export dialog warns of it. */
export interface EmptyYears {
  fiscalYear: number;
  /** Table rows with an empty year cell. */
  rows: number;
  /** Branch rows of page ⑦ with an empty year cell. */
  branches: number;
}

export type ExportedDocument = LayoutDocument & { source?: ExportSource; emptyYears?: EmptyYears };

async function layoutDocument(db: PlanDb, request: DocumentRequest): Promise<LayoutDocument & { emptyYears?: EmptyYears }> {
  const data = await planDocumentData(db);
  const years = planYears(data);
  const unit = request.unitId ? data.units.find((u) => u.id === request.unitId) : undefined;
  if (request.unitId && !unit) throw new AppError('not_found', '指定された組織は見つかりません。', `unknown unit id ${request.unitId}`);
  const checkYear = (fy: number, allowed: number[], what: string) => {
    if (!allowed.includes(fy))
      throw new AppError('not_found', `${fy}年度の${what}はありません。`, `no ${what} for fiscal year ${fy} (have ${allowed.join(', ') || 'none'})`);
    return fy;
  };
  switch (request.layout) {
    case 'action-plan': {
      const fiscalYear = checkYear(request.fiscalYear ?? data.plan.startYear, years, 'アクションプラン');
      return { ...buildActionPlanLayout(data, { fiscalYear }), emptyYears: { fiscalYear, ...emptyYearCounts(data, { fiscalYear }) } };
    }
    case 'unit': {
      if (!unit) throw new AppError('invalid_arguments', '組織別アクションプランには組織を選んでください。', 'the unit layout needs a unitId');
      const fiscalYear = checkYear(request.fiscalYear ?? data.plan.startYear, years, 'アクションプラン');
      const doc = buildActionPlanLayout(data, { fiscalYear, unitId: unit.id });
      if (doc.sheets.length === 0)
        throw new AppError('not_found', `「${unit.name}」が担当する行はアクションプランにありません。`, `unit ${unit.name} has no rows`);
      return { ...doc, emptyYears: { fiscalYear, ...emptyYearCounts(data, { fiscalYear, unitId: unit.id }) } };
    }
    case 'overview': {
      const available = overviewYears(data);
      return buildOverviewLayout(data, checkYear(request.fiscalYear ?? available[0] ?? data.plan.startYear, available, '事業活動計画（概要）'));
    }
    case 'rollup': {
      const r = await rollupOf(db, { fiscalYear: request.fiscalYear, unitId: request.unitId });
      const t = rollupTables(r);
      return buildRollupLayout([t.targets, t.units, t.pillars, t.years], `${r.asOfYear}年度時点・${r.unit ? r.unit.name : '全組織'}`);
    }
  }
}

/** The print page of a document, with the print font inlined. */
export function printPage(doc: LayoutDocument): string {
  return renderPrintHtml(doc, printFontFaceCss(documentCharacters(doc)));
}

export interface ExportFile {
  format: ExportFormat;
  fileName: string;
  bytes: Uint8Array;
}

/** The files of a document in the requested formats (Excel first, then PDF). */
export async function renderExportFiles(doc: LayoutDocument, formats: ExportFormat[], renderPdf: PdfRenderer | null): Promise<ExportFile[]> {
  const out: ExportFile[] = [];
  if (formats.includes('xlsx')) out.push({ format: 'xlsx', fileName: `${doc.fileBaseName}.xlsx`, bytes: await writeXlsx(doc) });
  if (formats.includes('pdf')) out.push(await renderPdfFile(doc.fileBaseName, printPage(doc), renderPdf));
  return out;
}

/** The PDF file of a print page (the services make the page in a job and the PDF here). */
export async function renderPdfFile(fileBaseName: string, page: string, renderPdf: PdfRenderer | null): Promise<ExportFile> {
  if (!renderPdf) throw new AppError('internal', 'この環境では PDF を作成できません。', 'no PDF renderer is configured');
  const [pdf] = await renderPdf([page]);
  return { format: 'pdf', fileName: `${fileBaseName}.pdf`, bytes: pdf! };
}
