import { basename } from 'node:path';
import { excerpt } from '../../shared/text/excerpt';
import { AppError } from '../../shared/errors/app-error';
import type { MessageBoxOptions } from './open-request';

/**
 * Opening a plan whose writer lock nobody can prove stale ('lock_unverified': another computer's
 * lock, an unreadable one, or on Windows a lock whose PID runs again after a crash). The command
 * line takes --take-over-lock; the app asks the user, naming who holds it, and only on
 * 「それでも開く」 tries again taking the lock over. Structural types only: the 'electron' imports
 * stay in the shell's six files.
 */

export type TakeOverBoxOptions = MessageBoxOptions & { type: 'warning' };

/** Electron's dialog.showMessageBox, on the window when there is one (at start-up there is none yet). */
export type ShowTakeOverBox = (options: TakeOverBoxOptions) => Promise<{ response: number }>;

export const TAKE_OVER_BUTTONS = ['それでも開く', '開かない'];

/** Asks whether to take the lock over; true only for 「それでも開く」 (the default is 「開かない」). */
export async function askToTakeOver(showMessageBox: ShowTakeOverBox, path: string, refusal: AppError): Promise<boolean> {
  const { response } = await showMessageBox({
    type: 'warning',
    title: '計画ワークベンチ',
    message: `「${excerpt(basename(path), 80)}」は、ほかで開かれている可能性があります。それでも開きますか？`,
    detail:
      `${refusal.messageJa}\n\n` +
      'ほかで使われていないことが確かなときだけ「それでも開く」を選んでください。2つの計画ワークベンチが同時に同じファイルに書き込むと、どちらかの変更が失われることがあります。',
    buttons: TAKE_OVER_BUTTONS,
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  });
  return response === 0;
}

/**
 * Runs `open` (false: without taking the lock over); on a 'lock_unverified' refusal asks, and on yes
 * runs it again taking the lock over. Null when the user said 「開かない」; other errors as they are.
 */
export async function openAskingToTakeOver<T>(path: string, showMessageBox: ShowTakeOverBox, open: (takeOverLock: boolean) => Promise<T>): Promise<T | null> {
  try {
    return await open(false);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'lock_unverified') throw e;
    if (!(await askToTakeOver(showMessageBox, path, e))) return null;
    return open(true);
  }
}
