import { statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { excerpt } from '../../shared/text/excerpt';
import { DB_EXTENSION } from '../files/paths';

/**
 * Files the OS asks the running app to open (a second start with a path, macOS open-file). Any local
 * process can start the app with a path, so such a file is never opened silently: the window comes
 * to the front and the user says 開く or 開かない. Only a path to an existing .plandb file counts.
 * Structural types only: the 'electron' imports stay in the shell's six files.
 */

/** The path, made absolute against `cwd`, when it names an existing plan database file. */
export function existingPlanFile(arg: string, cwd: string = process.cwd()): string | undefined {
  if (extname(arg).toLowerCase() !== `.${DB_EXTENSION}`) return undefined;
  const path = resolve(cwd, arg);
  try {
    return statSync(path).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The first argument (after the program) that names an existing plan database file; switches are skipped. */
export function planFileIn(argv: readonly string[], cwd: string = process.cwd()): string | undefined {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    const path = existingPlanFile(arg, cwd);
    if (path) return path;
  }
  return undefined;
}

export interface WindowLike {
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** The options of Electron's dialog.showMessageBox that the shell's questions use. */
export interface MessageBoxOptions {
  type: 'question' | 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: boolean;
}

export type ShowMessageBox = (win: WindowLike, options: MessageBoxOptions) => Promise<{ response: number }>;

export const OPEN_BUTTONS = ['開く', '開かない'];

/** Brings the window to the front and asks; true only when the user chose 開く (the default is 開かない). */
export async function askToOpen(win: WindowLike, showMessageBox: ShowMessageBox, path: string): Promise<boolean> {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  const { response } = await showMessageBox(win, {
    type: 'question',
    title: '計画ワークベンチ',
    message: `「${excerpt(basename(path), 80)}」を開きますか？`,
    detail: `${excerpt(path, 300)}\n\nほかのプログラムから、このファイルを開くよう求められました。心当たりがなければ「開かない」を選んでください。`,
    buttons: OPEN_BUTTONS,
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  });
  return response === 0;
}

export interface OpenRequestDeps {
  window: WindowLike;
  showMessageBox: ShowMessageBox;
  /** The file open now: asking to open it again only brings the window to the front. */
  currentPath: () => string;
  open: (path: string) => Promise<void>;
  report: (e: unknown) => void;
}

/**
 * The handler of open requests: one question at a time (requests arriving meanwhile wait their turn),
 * a path that is not an existing .plandb file only brings the window to the front.
 */
export function openRequestHandler(deps: OpenRequestDeps): (rawPath: string | undefined, cwd?: string) => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  return (rawPath, cwd) => {
    const path = rawPath === undefined ? undefined : existingPlanFile(rawPath, cwd);
    queue = queue.then(async () => {
      try {
        if (!path || path === deps.currentPath()) {
          if (deps.window.isMinimized()) deps.window.restore();
          deps.window.focus();
          return;
        }
        if (await askToOpen(deps.window, deps.showMessageBox, path)) await deps.open(path);
      } catch (e) {
        deps.report(e);
      }
    });
    return queue;
  };
}
