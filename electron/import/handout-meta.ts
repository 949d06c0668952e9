import type ExcelJS from 'exceljs';
import { cellPlainText } from '../files/workbook-text';
import { AppError } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import { latestSchemaVersion } from '../db/migrations/index';
import type { PlanDb } from '../db/plan-db';
import { HANDOUT_FORMAT, HANDOUT_FORMAT_VERSION, type HandoutMeta, type HandoutSheetKind, META_SHEET, sheetMarks } from './handout-format';
import type { BaseRef } from './incoming';

/**
 * The `_meta` sheet of a returned fill-in workbook: what it says (format, plan, unit, year, base
 * revision, the ids handed out) and whether this plan and this app can take it back.
 */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function simpleText(cell: ExcelJS.Cell): string {
  return cellPlainText(cell).trim();
}

/** The `_meta` of a returned workbook, with the `_meta` row of each id (for messages). */
export type ReadHandoutMeta = HandoutMeta & { metaRows: Record<HandoutSheetKind, number[]> };

/** Whether a sheet carries a fill-in sheet's hidden mark (cell A1): then the workbook is a fill-in workbook even without a sound `_meta`. */
const hasHandoutSheets = (wb: ExcelJS.Workbook) => wb.worksheets.some((w) => (Object.values(sheetMarks) as string[]).includes(simpleText(w.getCell(1, 1))));

const brokenMeta = (fileName: string, why: string) =>
  new AppError('bad_file', `「${fileName}」の記入用ブックの管理情報（非表示のシート）が壊れています。計画担当に新しい記入用ブックを依頼してください。`, `${fileName}: ${why}`);

/** The `_meta` sheet of a fill-in workbook, or null when the workbook is not one. */
export function readHandoutMeta(wb: ExcelJS.Workbook, fileName: string): ReadHandoutMeta | null {
  const ws = wb.getWorksheet(META_SHEET);
  if (!ws) {
    if (!hasHandoutSheets(wb)) return null;
    throw new AppError(
      'bad_file',
      `「${fileName}」は記入用ブックですが、管理情報（非表示のシート「_meta」）が見つかりません。シートを削除したか、中身を別のブックに写した可能性があります。計画担当に記入用ブックを配り直してもらうか、配られた元のファイルに記入して取り込んでください（計画は変更していません）。`,
      `${fileName}: a fill-in workbook (marked sheets) without its _meta sheet`,
    );
  }
  const scalars = new Map<string, string>();
  const ids: HandoutMeta['ids'] = { actionRows: [], targets: [], focus: [] };
  const metaRows: ReadHandoutMeta['metaRows'] = { actionRows: [], targets: [], focus: [] };
  let unknownKind: number | null = null;
  ws.eachRow((row, n) => {
    const k = simpleText(row.getCell(1));
    if (k === 'id') {
      const kind = simpleText(row.getCell(2));
      if (Object.hasOwn(ids, kind)) {
        ids[kind as HandoutSheetKind].push(simpleText(row.getCell(3)));
        metaRows[kind as HandoutSheetKind].push(n);
      } else unknownKind ??= n;
    } else if (k) scalars.set(k, simpleText(row.getCell(2)));
  });
  if (scalars.get('format') !== HANDOUT_FORMAT) {
    if (!hasHandoutSheets(wb)) return null;
    throw brokenMeta(fileName, '_meta sheet without the handout format');
  }
  const num = (k: string) => Number(scalars.get(k) ?? NaN);
  const meta: ReadHandoutMeta = {
    format: HANDOUT_FORMAT,
    formatVersion: num('formatVersion'),
    appVersion: scalars.get('appVersion') ?? '',
    schemaVersion: num('schemaVersion'),
    planId: scalars.get('planId') ?? '',
    planTitle: scalars.get('planTitle') ?? '',
    unitId: scalars.get('unitId') ?? '',
    unitName: scalars.get('unitName') ?? '',
    fiscalYear: num('fiscalYear'),
    baseRevision: num('baseRevision'),
    baseRevisionAt: scalars.get('baseRevisionAt') ?? '',
    createdAt: scalars.get('createdAt') ?? '',
    ids,
    metaRows,
  };
  if (unknownKind !== null || !Number.isInteger(meta.formatVersion) || !Number.isInteger(meta.baseRevision) || !UUID.test(meta.planId) || !UUID.test(meta.unitId) || !Number.isInteger(meta.fiscalYear))
    throw brokenMeta(fileName, 'malformed _meta sheet');
  return meta;
}

/** Checks that the workbook was made from this plan database by a version of the app that this one reads. */
export async function checkHandoutMeta(db: PlanDb, meta: HandoutMeta, fileName: string): Promise<BaseRef> {
  if (meta.formatVersion > HANDOUT_FORMAT_VERSION || meta.schemaVersion > latestSchemaVersion)
    throw new AppError(
      'bad_file',
      `「${fileName}」は新しいバージョンの計画ワークベンチ（${excerpt(meta.appVersion || '不明', 20)}）で作られた記入用ブックです。アプリを更新してから取り込んでください。`,
      `${fileName}: handout format ${meta.formatVersion} / schema ${meta.schemaVersion}, this app reads ${HANDOUT_FORMAT_VERSION} / ${latestSchemaVersion}`,
    );
  const plan = await db.q.selectFrom('plan').select(['id', 'title']).executeTakeFirst();
  if (!plan || plan.id !== meta.planId)
    throw new AppError(
      'bad_file',
      `「${fileName}」は別の計画（${excerpt(meta.planTitle || '不明')}）の記入用ブックです。開いている計画（${excerpt(plan?.title ?? 'なし')}）には取り込めません。`,
      `${fileName}: plan ${meta.planId}, open plan ${plan?.id ?? 'none'}`,
    );
  const set = await db.q.selectFrom('change_set').select(['id', 'at', 'label']).where('id', '=', meta.baseRevision).executeTakeFirst();
  if (!set || set.at !== meta.baseRevisionAt)
    throw new AppError(
      'bad_file',
      `「${fileName}」は、この計画データベースの履歴にない時点（版 ${meta.baseRevision}）から作られています。別のコピーから作られたか、その後バックアップから復元されています。計画担当に新しい記入用ブックを依頼してください。`,
      `${fileName}: base revision ${meta.baseRevision} at ${meta.baseRevisionAt} is not in this database's change log`,
    );
  return { revision: set.id, at: set.at, label: set.label, how: 'recorded' };
}
