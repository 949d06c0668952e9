import { appendFileSync } from 'node:fs';
import { isBuiltin, registerHooks } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import type { BundleRecord, ProcessRole } from './bundle-records';

/**
 * Loaded with `node --import` into every process and thread of the bundle smoke test
 * (tests/unit/bundle-smoke.test.ts): the app's main process, its services process and their worker
 * threads. Plain Node runs it (type stripping: no TypeScript loader, so the built bundle loads as
 * the packaged app loads it). It
 * - resolves `electron` to the stand-in (tests/helpers/bundle-electron.ts) instead of the npm
 *   package, whose binary is never downloaded in the tests;
 * - records where every package the bundle imports was found, and every native addon loaded, so
 *   the test can check they come from the app's own node_modules and its dependencies;
 * - in the services process, gives the entry Electron's `process.parentPort` over the IPC channel
 *   of child_process.fork, as a utility process has it.
 */

const recordFile = process.env.BUNDLE_SMOKE_RECORD;
const outDir = process.env.BUNDLE_SMOKE_OUT;
if (!recordFile || !outDir) throw new Error('bundle-hooks: BUNDLE_SMOKE_RECORD and BUNDLE_SMOKE_OUT must be set');
const outUrl = new URL(`file://${outDir.endsWith('/') ? outDir : `${outDir}/`}`).href;

const processRole = (process.env.BUNDLE_SMOKE_ROLE ?? 'main') as 'main' | 'services';
const role: ProcessRole = isMainThread ? processRole : `${processRole}-thread`;

/** Appended synchronously: a record is on disk even if the process is ended right after. */
export function record(r: BundleRecord): void {
  appendFileSync(recordFile!, `${JSON.stringify(r)}\n`);
}

const standIn = new URL('./bundle-electron.ts', import.meta.url).href;
const isBare = (specifier: string) => !/^(\.{0,2}\/|node:|file:|data:)/.test(specifier) && !specifier.startsWith('#');

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') {
      record({ kind: 'resolve', role, specifier, parent: context.parentURL ?? null, url: standIn });
      return { url: standIn, shortCircuit: true };
    }
    const resolved = nextResolve(specifier, context);
    const fromBundle = context.parentURL?.startsWith(outUrl) ?? false;
    // The entry of a process or a thread (no parent), and every package the bundle itself imports.
    if (context.parentURL === undefined || (fromBundle && isBare(specifier) && !isBuiltin(specifier)))
      record({ kind: 'resolve', role, specifier, parent: context.parentURL ?? null, url: resolved.url });
    // Every file of out/ that runs (chunks included): the installer must pack each.
    if (resolved.url.startsWith(outUrl)) record({ kind: 'out-file', role, url: resolved.url });
    return resolved;
  },
});

// Native addons (better-sqlite3's .node file) are loaded through process.dlopen.
const dlopen = process.dlopen.bind(process);
process.dlopen = (module: object, filename: string, flags?: number) => {
  record({ kind: 'dlopen', role, file: filename });
  return flags === undefined ? dlopen(module, filename) : dlopen(module, filename, flags);
};

if (processRole === 'services' && isMainThread) {
  // What Electron gives a utility process: messages as events with `data`, replies by postMessage.
  const send = process.send?.bind(process);
  if (!send) throw new Error('bundle-hooks: the services process was not started by child_process.fork');
  (process as unknown as { parentPort: unknown }).parentPort = {
    on: (_event: 'message', listener: (event: { data: unknown }) => void) => process.on('message', (data) => listener({ data })),
    postMessage: (message: unknown) => void send(message),
  };
  // Electron ends a utility process with its parent.
  process.on('disconnect', () => process.exit(0));
}
