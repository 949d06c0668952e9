import { isShellCommand, SHELL_COMMAND_CHANNEL, type ShellCommand } from '../../../shared/contract/shell-commands';
import { preloadBridge } from './bridge';

/**
 * The page's one way to hear the shell's commands (shared/contract/shell-commands.ts: the menu's
 * エクスポート…, 取り込み…, 元に戻す…). In the app they come over IPC through the preload. In
 * browser mode there is no shell and no menu: tests stand in for it with the window event
 * `new CustomEvent(SHELL_COMMAND_CHANNEL, { detail: command })`, heard only here and only then.
 * Components subscribe here, never to the channel itself.
 */

export type { ShellCommand };

/** Calls `listener` with each command of the shell; returns the function that stops listening (a React effect's cleanup). */
export function onShellCommand(listener: (command: ShellCommand) => void): () => void {
  const bridge = preloadBridge();
  if (bridge) return bridge.onCommand(listener);
  const onEvent = (e: Event) => {
    const detail = (e as CustomEvent<unknown>).detail;
    if (isShellCommand(detail)) listener(detail);
  };
  window.addEventListener(SHELL_COMMAND_CHANNEL, onEvent);
  return () => window.removeEventListener(SHELL_COMMAND_CHANNEL, onEvent);
}
