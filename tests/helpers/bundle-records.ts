/**
 * What the bundle smoke test's stand-ins write down (one JSON object a line, in the order things
 * happened, from every process and thread): tests/helpers/bundle-electron.ts and bundle-hooks.ts
 * write them, tests/unit/bundle-smoke.test.ts reads them. Types only: the stand-ins run under
 * plain Node, which erases this import.
 */

/** Which process (or a worker thread of it) wrote a record. */
export type ProcessRole = 'main' | 'services' | 'main-thread' | 'services-thread';

export type BundleRecord =
  /** A package, or the stand-in for `electron`, or a process's or thread's entry file (parent null). */
  | { kind: 'resolve'; role: ProcessRole; specifier: string; parent: string | null; url: string }
  | { kind: 'out-file'; role: ProcessRole; url: string }
  | { kind: 'dlopen'; role: ProcessRole; file: string }
  | { kind: 'schemes'; appReady: boolean; schemes: unknown }
  | { kind: 'protocol-handle'; appReady: boolean; scheme: string }
  | { kind: 'ipc-handle'; channel: string }
  | { kind: 'fork'; modulePath: string; exists: boolean; options: unknown }
  | { kind: 'services-exit'; code: number | null; signal: string | null }
  | {
      kind: 'window';
      appReady: boolean;
      options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>;
      preloadExists: boolean;
    }
  /** The preload run as a sandboxed renderer runs it: what it asked to require, what it gave the page. */
  | { kind: 'preload'; required: string[]; exposed: Record<string, string[]>; invokeChannel: string | null; error: string | null }
  | { kind: 'load'; url: string; status: number; contentType: string | null; csp: string | null; metaCsp: string | null; bytes: number; assets: { url: string; status: number }[] }
  | { kind: 'load-file'; exists: boolean }
  | { kind: 'print-to-pdf'; options: unknown }
  /** What the main window's guards did: window.open, navigations, a permission request (there and in the default session). */
  | {
      kind: 'guards';
      windowOpen: string | null;
      navigationAwayStopped: boolean;
      navigationInAppStopped: boolean;
      permissionGranted: boolean;
      defaultSessionPermissionGranted: boolean;
    }
  | { kind: 'shown' }
  /** A call of the page through the registered IPC handler, as the preload sends it. */
  | { kind: 'call'; method: string; outcome: unknown }
  | { kind: 'error-box'; title: string; content: string }
  | { kind: 'message-box'; options: unknown }
  | { kind: 'save-dialog'; options: unknown; filePath: string }
  | { kind: 'quit' };

/** Reads the records file (missing: nothing recorded). */
export function parseRecords(text: string): BundleRecord[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BundleRecord);
}
