import { resolve } from 'node:path';
import { AppError } from '../../../shared/errors/app-error';
import { decide, decideConflicts, initialDecisions, toApply } from '../../../shared/import/choices';
import type { Review, ReviewCell, ReviewItem } from '../../../shared/import/review';
import { readOnlyError } from '../../db/open-read-only';
import { type CliOptions, lockRequest } from '../command';
import { dbOf } from '../location';
import { readSession, writeSession } from '../session';

/**
 * `npm run plan -- import --db FILE --file PATH [--apply] [--json] [--theirs | --mine]`: shows every
 * change the file would make (and every conflict); writes only with --apply, as one change set
 * after a backup. Conflicts are never taken silently: with --apply they need --theirs (take the
 * file's values) or --mine (keep the current ones), else the command stops with exit code 3.
 * What deletes data (a removed row, an emptied cell) is left out, as the app leaves it unticked,
 * unless --deletions asks for it. The file is read and compared by `import.analyze` and written by
 * `import.apply`, as in the app; the command line only decides, by its flags, what the user would tick.
 */

export const UNRESOLVED_CONFLICTS_EXIT = 3;

const kindWords: Record<ReviewItem['kind'], string> = { change: '変更', order: '並び順', added: '追加', removed: '削除', restored: '復元' };
const q = (v: string | null) => (v === null ? '（空欄）' : `「${v.length > 200 ? `${v.slice(0, 200)}…` : v}」`.replace(/\n/g, '⏎'));

function cellLine(c: ReviewCell, item: ReviewItem): string {
  const where = c.cell ? `${c.cell} ` : '';
  if (item.conflict && item.kind === 'change') return `    ${where}${c.column}: 作成時 ${q(c.base)} → 現在 ${q(c.mine)} / ファイル ${q(c.theirs)}`;
  if (item.kind === 'added') return `    ${where}${c.column}: ${q(c.theirs)}`;
  if (item.kind === 'removed') return `    ${where}${c.column}: ${q(c.mine)}`;
  if (item.kind === 'restored') return `    ${where}${c.column}: ${q(c.theirs)}`;
  return `    ${where}${c.column}: ${q(c.mine)} → ${q(c.theirs)}`;
}

export function reviewText(review: Review): string {
  const base = review.base;
  const how = { recorded: 'ファイルに記録', common: '共通の履歴', estimated: 'ブックの作成日時から推定', current: 'いまの計画' };
  const lines = [
    `取り込み: ${review.sourceLabel} ← ${review.fileName}`,
    base ? `比べた時点: 版 ${base.revision}（${new Date(base.at).toLocaleString('ja-JP')}「${base.label}」、${how[base.how]}）` : '比べた時点: なし（共通の履歴がありません）',
    ...review.notes.map((n) => `注: ${n}`),
    `変更 ${review.counts.changes} 件・追加 ${review.counts.added} 件・削除 ${review.counts.removed} 件・競合 ${review.counts.conflicts} 件${review.counts.same ? `（両方で同じに変更済み ${review.counts.same} セル）` : ''}`,
  ];
  if (review.items.length === 0) lines.push('', '変更はありません。');
  for (const item of review.items) {
    lines.push('', `[${item.conflict ? `競合・${kindWords[item.kind]}` : kindWords[item.kind]}${item.deletes ? '・データを削除' : ''}] ${item.sheet}${item.row ? ` ${item.row}行目` : ''} ${item.rowLabel}  (${item.id})`);
    if (item.conflictText) lines.push(`    ※ ${item.conflictText}`);
    for (const c of item.cells.slice(0, 40)) lines.push(cellLine(c, item));
    if (item.cells.length > 40) lines.push(`    ほか ${item.cells.length - 40} セル`);
    for (const d of item.details) lines.push(`    ${d}`);
  }
  return lines.join('\n');
}

/** Prints a review as text, or as JSON with --json. */
const printReview = (review: Review, opts: CliOptions) => console.log(opts.json ? JSON.stringify(review, null, 2) : reviewText(review));

export async function run(opts: CliOptions): Promise<number> {
  if (typeof opts.file !== 'string') throw new AppError('invalid_arguments', '--file に取り込むファイルを指定してください。', '--file PATH is required');
  if (opts.theirs && opts.mine) throw new AppError('invalid_arguments', '--theirs と --mine は同時に指定できません。', '--theirs and --mine exclude each other');
  const file = resolve(opts.file);
  // The app's open dialog, answered by --file.
  const host = { chooseImportFile: async () => file };
  const db = dbOf(opts);
  if (!opts.apply) {
    const session = await readSession(db, host);
    try {
      printReview((await session.api['import.analyze']({ source: { kind: 'dialog' } })).review!, opts);
      return 0;
    } finally {
      await session.close();
    }
  }
  // Applying takes the database as the only writer (as the app does) and backs it up first.
  const session = await writeSession(db, lockRequest(opts), host);
  try {
    const ws = session.ws;
    if (ws.readOnly) throw readOnlyError(ws.fileName);
    if (ws.backupProblem) console.error(`注意: 今日の自動バックアップを作れませんでした。 / warning: no daily backup (${ws.backupProblem.code})`);
    const review = (await session.api['import.analyze']({ source: { kind: 'dialog' } })).review!;
    const conflicts = review.items.filter((i) => i.conflict).map((i) => i.id);
    if (conflicts.length > 0 && !opts.theirs && !opts.mine) {
      printReview(review, opts);
      console.error(
        `エラー: 競合が ${conflicts.length} 件あります。--theirs（ファイルの値を取り込む）か --mine（現在の値を残す）を指定してください。何も変更していません。\n` +
          `error: ${conflicts.length} conflicts; pass --theirs (take the file's values) or --mine (keep the current ones). Nothing was changed.`,
      );
      return UNRESOLVED_CONFLICTS_EXIT;
    }
    // The app's rule for what is taken by default (shared/import/choices.ts), then the flags.
    const items = review.items;
    let decisions = initialDecisions(items);
    if (opts.theirs || opts.mine) decisions = decideConflicts(items, decisions, opts.theirs === true);
    // Deletions only on request, conflicting ones too (--theirs alone never deletes).
    for (const i of items) if (i.deletes && (opts.deletions ? !i.conflict || opts.theirs : true)) decisions = decide(items, decisions, i.id, opts.deletions === true);
    const leftOut = items.filter((i) => i.deletes && decisions[i.id] !== 'take').length;
    const result = await session.api['import.apply']({ reviewId: review.reviewId, ...toApply(items, decisions) });
    if (leftOut > 0)
      console.error(`注意: データを削除する ${leftOut} 項目（とそれに伴う項目）は取り込んでいません。取り込むには --deletions を付けてください。 / note: ${leftOut} items that delete data were left out; pass --deletions to take them`);
    if (opts.json) console.log(JSON.stringify({ review, result }, null, 2));
    else {
      console.log(reviewText(review));
      console.log(
        result.changeSetId === null
          ? '\n変更はありませんでした（何も書き込んでいません）。'
          : `\n取り込みました: ${result.label}（${result.applied} 項目、${result.changed} 値、変更履歴 #${result.changeSetId}、バックアップ ${result.backupId ?? 'なし'}）`,
      );
    }
    return 0;
  } finally {
    await session.close();
  }
}
