import type { Outcome } from '../errors/app-error';

/**
 * The commands the shell sends into the page (main → renderer), as methods.ts lists the methods the
 * page calls (renderer → main). The shell's menu sends them; the page opens the dialog or does what
 * each says. One channel carries them all: Electron IPC (webContents.send) in the app, and in
 * browser mode, which has no shell and no menu, a window event of the same name that tests dispatch
 * in place of the menu (renderer/src/api/shell-commands.ts is the page's one listener of both).
 *
 * No imports but types: the sandboxed preload bundles this file and may require nothing but 'electron'.
 */
export const shellCommands = {
  undo: '編集 › 元に戻す: undo the last change of the plan (in a text field, the typing)',
  redo: '編集 › やり直し: redo what was undone (in a text field, the typing)',
  export: 'ファイル › エクスポート… (Ctrl+E): open the export dialog',
  print: 'ファイル › 印刷… (Ctrl+P): open the export dialog, to print',
  restore: 'ファイル › バックアップから復元…: open the backups dialog',
  handout: 'ファイル › 記入用ブックの作成…: open the hand-out workbook dialog',
  import: 'ファイル › 取り込み… (Ctrl+I): open the import dialog',
} as const satisfies Record<string, string>;

export type ShellCommand = keyof typeof shellCommands;

export const shellCommandNames = Object.keys(shellCommands) as ShellCommand[];

export function isShellCommand(value: unknown): value is ShellCommand {
  return typeof value === 'string' && Object.hasOwn(shellCommands, value);
}

/** The one channel of shell commands: the IPC channel in the app, the window event's name in browser mode. */
export const SHELL_COMMAND_CHANNEL = 'plan-workbench:command';

/** What the preload (electron/preload/index.ts) exposes to the page as `window.planWorkbench`, and nothing else. */
export interface PreloadBridge {
  /** Calls a method of the contract (shared/contract/methods.ts) over IPC_CHANNEL. */
  invoke(method: string, args: unknown): Promise<Outcome<unknown>>;
  /** Listens for the shell's commands; returns the function that stops listening. */
  onCommand(listener: (command: ShellCommand) => void): () => void;
}
