/**
 * The crash worker built once per run, as the command line is built (build/cli.mjs): esbuild
 * bundles tests/crash/worker.ts and the colleague-file reader it forks
 * (electron/import/foreign-read-child.ts, found beside the running code) into plain JavaScript
 * that `node` starts without a TypeScript loader. Under tsx every start of the worker compiled the
 * whole service layer again (about 6 s on a busy 2-core machine); built, it starts in well under
 * one, so a run spends its time writing and killing, not starting. The output lives in a private
 * folder under out/ (inside the project, so that its packages resolve from node_modules) and is
 * removed at the end.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { build } from 'esbuild';
import { nodeBundle } from '../../build/cli.mjs';

const root = join(import.meta.dirname, '..', '..');

export interface BuiltWorker {
  /** The worker's script, for `node`. */
  script: string;
  remove(): void;
}

export async function buildWorker(): Promise<BuiltWorker> {
  const outdir = join(root, 'out', 'crash', `${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(outdir, { recursive: true });
  try {
    await build({
      entryPoints: { worker: join(root, 'tests', 'crash', 'worker.ts'), 'foreign-read-child': join(root, 'electron', 'import', 'foreign-read-child.ts') },
      outdir,
      ...nodeBundle,
    });
  } catch (e) {
    rmSync(outdir, { recursive: true, force: true });
    throw e;
  }
  return { script: join(outdir, 'worker.js'), remove: () => rmSync(outdir, { recursive: true, force: true }) };
}
