import { SeedError } from '../seed/read-seeds';
import { asAppError } from '../api/known-failures';

/** Longest English detail line printed with an error (the Japanese line says what to do). */
const DETAIL_MAX_CHARS = 240;
const oneLine = (s: string) => {
  const line = s.split(/\r?\n/, 1)[0] ?? '';
  return line.length > DETAIL_MAX_CHARS ? `${line.slice(0, DETAIL_MAX_CHARS - 1)}…` : line;
};

/**
 * A failure as two short lines — Japanese for the planner, English for whoever reads logs — never a
 * stack trace (set PLAN_DEBUG=1 to get one). Seed problems: the count, the first few, the rest counted.
 */
export function failureText(e: unknown): string {
  if (e instanceof SeedError) {
    const shown = e.problems.slice(0, 3).map((p) => `  ${oneLine(p)}`);
    const more = e.problems.length > 3 ? [`  … (+${e.problems.length - 3})`] : [];
    return [`エラー: 計画データに誤りがあります（${e.problems.length} 件）。示された箇所を直してから、もう一度実行してください。何も変更していません。`, 'error: seed data is invalid:', ...shown, ...more].join('\n');
  }
  const error = asAppError(e, '予期しないエラーが発生しました。何も変更していない可能性が高いですが、check コマンドでファイルを確かめてください。');
  const debug = process.env.PLAN_DEBUG && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  return `エラー: ${error.messageJa}\nerror: ${oneLine(error.message)}${debug}`;
}
