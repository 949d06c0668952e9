import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors/app-error';
import { importLimits, mb } from '../../shared/import/limits';
import { requiredClosure } from '../../shared/import/closure';
import { mergeStates, type MergeItem } from '../../shared/import/merge';
import { planSchema } from '../../shared/import/plan-schema';
import type { ApplyResult, Review } from '../../shared/import/review';
import { withChange } from '../db/change-writer';
import type { PlanDb } from '../db/plan-db';
import { applyMergeOps } from './apply-ops';
import { checkOpValues } from './op-checks';
import { type DatabaseBytes, databaseIncoming } from './database-read';
import { describeReview, sortReview } from './describe';
import { exportIncoming, isActionPlanExport, otherLayoutName } from './export-read';
import { readHandoutMeta } from './handout-meta';
import { handoutIncoming } from './handout-read';
import { detectImportFile } from './import-file';
import type { Incoming } from './incoming';
import { latestRevision, readPlanState } from '../model/plan-state';
import { loadWorkbook } from './workbook-load';

/**
 * An import in two steps. analyze: read the file (refusing a bad one before anything else),
 * merge it three-way with the open plan and keep the result under a review id; nothing is
 * written. apply: the items the user took, after re-checking that the plan did not change in the
 * meantime, as one transaction and one change set 「取り込み: <file>」 (so one undo step), after a
 * backup. The renderer only ever names a review id and item ids that analyze handed out.
 */

export interface ImportFile {
  name: string;
  bytes: Buffer;
  walBytes?: Buffer;
}

export type ProgressPhase = 'check' | 'read' | 'compare';
export type ProgressReporter = (phase: ProgressPhase, fraction: number | null) => void;

export interface Analysis {
  review: Review;
  items: MergeItem[];
  /** The plan's revision when analysed: apply refuses when it moved. */
  masterRevision: number;
  dbPath: string;
  fileName: string;
}

/** Reads a file the user picked on disk (a dialog, the command line), refusing a too large one before reading it. */
export function readImportFile(path: string): ImportFile {
  const name = basename(path);
  if (!existsSync(path)) throw new AppError('not_found', `ファイル「${name}」が見つかりません。`, `${path} does not exist`);
  const size = statSync(path).size;
  const limit = Math.max(importLimits.workbookBytes, importLimits.databaseBytes);
  if (size > limit) throw new AppError('bad_file', `「${name}」は大きすぎます（${mb(size)}、上限 ${mb(limit)}）。`, `${path}: ${size} bytes`);
  const bytes = readFileSync(path);
  const wal = `${path}-wal`;
  return { name, bytes, ...(existsSync(wal) && statSync(wal).size > 0 ? { walBytes: readFileSync(wal) } : {}) };
}

async function incomingOf(db: PlanDb, file: ImportFile, progress: ProgressReporter): Promise<Incoming> {
  progress('check', null);
  const kind = detectImportFile(file.bytes, file.name);
  if (kind === 'database') {
    progress('read', null);
    return databaseIncoming(db, file as DatabaseBytes);
  }
  const wb = await loadWorkbook(file.bytes, file.name, (f) => progress('read', f));
  const meta = readHandoutMeta(wb, file.name);
  if (meta) return handoutIncoming(db, wb, meta, file.name);
  if (isActionPlanExport(wb)) return exportIncoming(db, wb, file.name);
  const other = otherLayoutName(wb);
  throw new AppError(
    'bad_file',
    `「${file.name}」は取り込める様式のブックではありません${other ? `（「${other}」の様式です）` : ''}。取り込めるのは、記入用ブックと、アクションプランを出力したブック（全体・組織別）です。`,
    `${file.name}: a workbook of another layout (${other ?? wb.worksheets.map((w) => w.name).join(', ')})`,
  );
}

/** Reads and compares a file with the open plan. Writes nothing. */
export async function analyzeImport(db: PlanDb, dbPath: string, file: ImportFile, progress: ProgressReporter = () => {}): Promise<Analysis> {
  const incoming = await incomingOf(db, file, progress);
  progress('compare', null);
  // One consistent view of every table (a change committed halfway would mix two plans), and the
  // revision of that same view: apply refuses when the plan has moved past it.
  const { masterRevision, mine } = await db.snapshot(async (tx) => ({ masterRevision: await latestRevision(tx), mine: await readPlanState(tx) }));
  const result = mergeStates(incoming.baseState, mine, incoming.theirs, planSchema);
  // A file holding a value the field rules refuse is refused now, not when the user applies it.
  checkOpValues(result.items.flatMap((i) => i.ops));
  if (result.items.length > importLimits.reviewItems)
    throw new AppError(
      'bad_file',
      `「${file.name}」には変更が多すぎて、確認画面に出せません（${result.items.length.toLocaleString('ja-JP')} 件、上限 ${importLimits.reviewItems.toLocaleString('ja-JP')} 件）。ファイルを分けて取り込んでください。`,
      `${file.name}: ${result.items.length} review items`,
    );
  const items = sortReview(describeReview(result, incoming, mine), incoming.sheetOrder);
  const conflict = (i: { conflict: boolean }) => i.conflict;
  const review: Review = {
    reviewId: randomUUID(),
    fileName: file.name,
    source: incoming.kind,
    sourceLabel: incoming.label,
    base: incoming.base,
    notes: incoming.notes,
    items,
    counts: {
      changes: items.filter((i) => !conflict(i) && (i.kind === 'change' || i.kind === 'order')).length,
      added: items.filter((i) => !conflict(i) && i.kind === 'added').length,
      removed: items.filter((i) => !conflict(i) && i.kind === 'removed').length,
      conflicts: items.filter(conflict).length,
      same: result.sameCells,
    },
  };
  progress('compare', 1);
  return { review, items: result.items, masterRevision, dbPath, fileName: file.name };
}

export interface Decisions {
  /** Items to apply: changes, additions, removals, and conflicts resolved to the file's side. */
  take: string[];
  /** Conflicts resolved to keep the plan's current value. */
  keep: string[];
}

/** A few ids for a log line (a list of 100,000 would make a 4 MB message). */
const fewOf = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` … (${ids.length})` : ''}`;

/** Checks the user's decisions against the analysis; returns the items to apply. */
export function chosenItems(analysis: Analysis, decisions: Decisions): MergeItem[] {
  // Sets, not lists: an id named twice counts once, and every check is one pass (lists made 200,000 ids take a minute).
  const byId = new Map(analysis.items.map((i) => [i.id, i]));
  const take = new Set(decisions.take);
  const keep = new Set(decisions.keep);
  for (const ids of [take, keep])
    for (const id of ids) if (!byId.has(id)) throw new AppError('invalid_arguments', '確認画面にない項目が指定されました。', `unknown review item ${id.slice(0, 100)}`);
  const both = [...take].filter((id) => keep.has(id));
  if (both.length > 0) throw new AppError('invalid_arguments', '同じ項目に「取り込む」と「残す」の両方が指定されています。', `${both.length} items both taken and kept: ${fewOf(both)}`);
  const unresolved = analysis.items.filter((i) => i.conflict && !take.has(i.id) && !keep.has(i.id));
  if (unresolved.length > 0)
    throw new AppError(
      'conflict',
      `競合が ${unresolved.length} 件、まだ選ばれていません。競合ごとに「取り込む」か「現在の値を残す」を選んでください。`,
      `${unresolved.length} unresolved conflicts`,
    );
  const missing = [...requiredClosure(analysis.items, take)].filter((id) => !take.has(id));
  if (missing.length > 0)
    throw new AppError(
      'conflict',
      `選んだ項目には、一緒に取り込む必要のある項目があります（${missing.length} 件）。それも選ぶか、選んだ項目を外してください。`,
      `taken items require ${fewOf(missing)}`,
    );
  return analysis.items.filter((i) => take.has(i.id));
}

const changedSince = (fileName: string) =>
  new AppError(
    'conflict',
    `「${fileName}」を読み込んだあとで計画が変更されました。取り込む前に、もう一度ファイルを読み込んで確認してください（何も変更していません）。`,
    `the plan changed after the import of ${fileName} was analysed`,
  );

/**
 * Applies the chosen items as one transaction and one change set, after a backup. Refuses when
 * the plan moved since the analysis (checked before the backup and again inside the transaction).
 */
export async function applyImport(db: PlanDb, analysis: Analysis, decisions: Decisions, backup: () => Promise<string | null>): Promise<ApplyResult> {
  const items = chosenItems(analysis, decisions);
  const label = `取り込み: ${analysis.fileName}`;
  if ((await latestRevision(db)) !== analysis.masterRevision) throw changedSince(analysis.fileName);
  const ops = items.flatMap((i) => i.ops);
  if (ops.length === 0) return { changeSetId: null, changed: 0, label, applied: 0, backupId: null };
  // A value the field rules refuse is refused before the backup, not after it.
  checkOpValues(ops);
  const backupId = await backup();
  // One transaction: the whole import or nothing of it.
  const r = await withChange(db, { label, source: analysis.fileName }, async (w, tx) => {
    const { id: before } = await tx.q
      .selectFrom('change_set')
      .select((eb) => eb.fn.coalesce(eb.fn.max('id'), eb.lit(0)).as('id'))
      .where('id', '<', await w.changeSetId())
      .executeTakeFirstOrThrow();
    if (Number(before) !== analysis.masterRevision) throw changedSince(analysis.fileName);
    await applyMergeOps(tx, w, ops);
  });
  return { changeSetId: r.changeSetId, changed: r.changed, label, applied: items.length, backupId };
}

/** The analyses waiting for the user's decision, by review id (a few at most; the oldest go first). Progress: electron/api/calls.ts. */
export class ImportSessions {
  private readonly analyses = new Map<string, Analysis>();
  constructor(private readonly keep = 4) {}

  add(analysis: Analysis): void {
    this.analyses.set(analysis.review.reviewId, analysis);
    while (this.analyses.size > this.keep) this.analyses.delete(this.analyses.keys().next().value!);
  }

  get(reviewId: string): Analysis {
    const a = this.analyses.get(reviewId);
    if (!a) throw new AppError('not_found', '取り込みの確認内容が見つかりません。もう一度ファイルを読み込んでください。', `no import review ${reviewId}`);
    return a;
  }

  discard(reviewId: string): void {
    this.analyses.delete(reviewId);
  }
}
