import type { PreloadBridge } from '../../../shared/contract/shell-commands';

/**
 * The page's bridge to the Electron shell: what the preload (electron/preload/index.ts) exposes as
 * `window.planWorkbench`. Absent in browser mode (`npm run serve`), where there is no shell.
 */

declare global {
  interface Window {
    planWorkbench?: PreloadBridge;
  }
}

export type { PreloadBridge };

/** The preload's bridge, or undefined in a browser. Read when asked, never at import (tests set it up first). */
export function preloadBridge(): PreloadBridge | undefined {
  return window.planWorkbench;
}
