/**
 * The command line built like the app: esbuild bundles electron/cli/main.ts into out/cli/main.js,
 * run by plain `node` (no TypeScript loader at every start). Each command's code is a chunk of its
 * own (out/cli/chunks), loaded when that command runs, so `--help` loads next to nothing. Beside
 * main.js lies foreign-read-child.js, the child that reads a colleague's database (it is found
 * beside the running code: electron/import/database-read.ts). Packages stay in node_modules.
 *
 * out/cli/build-info.json records every source file the build read, with a hash of its content
 * (and its time stamp and size, so that an unchanged file is not even read at start):
 * `ensureCliBuilt()` (the `npm run plan` launcher, build/plan.mjs) builds again whenever one of
 * them changed or is gone, or an output is missing, so the command line never runs stale code.
 *
 * `node build/cli.mjs`: build now (part of `npm run build`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cliOutDir = join(root, 'out', 'cli');
export const cliMain = join(cliOutDir, 'main.js');
const infoOf = (outDir) => join(outDir, 'build-info.json');
const posix = (p) => p.split(sep).join('/');

/** Entry name → source: the command line, and the child process it forks. */
const entryPoints = {
  main: join(root, 'electron', 'cli', 'main.ts'),
  'foreign-read-child': join(root, 'electron', 'import', 'foreign-read-child.ts'),
};

/** Chunks of an earlier build are removed once this old (a command line started before a rebuild may still load its own). */
const OLD_CHUNK_MS = 24 * 60 * 60 * 1000;

const hashOf = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Why the build in out/cli is not the build of the sources as they are now, or null when it is. */
export function staleReason(outDir = cliOutDir) {
  let info;
  try {
    info = JSON.parse(readFileSync(infoOf(outDir), 'utf8'));
  } catch {
    return 'not built';
  }
  for (const out of info.outputs ?? []) if (!existsSync(join(root, out))) return `${out} is missing`;
  for (const [file, recorded] of Object.entries(info.inputs ?? {})) {
    const path = join(root, file);
    let now;
    try {
      now = statSync(path);
    } catch {
      return `${file} is gone`;
    }
    // The same time stamp and size as when built: unchanged (no need to read it); else its content decides.
    if (now.mtimeMs === recorded.mtimeMs && now.size === recorded.size) continue;
    if (hashOf(path) !== recorded.hash) return `${file} changed`;
  }
  return null;
}

/** Writes a file whole: a command line starting meanwhile reads the old one or the new one, never half of one. */
function writeWhole(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/** Time stamp and size of every file under the source folders, repository-relative. */
function stamps() {
  const out = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const { mtimeMs, size } = statSync(path);
        out.set(posix(relative(root, path)), `${mtimeMs}:${size}`);
      }
    }
  };
  for (const dir of ['electron', 'shared']) walk(join(root, dir));
  return out;
}

/**
 * How Node code of this repository is bundled (the command line here; the crash test's writer,
 * tests/crash/bundle.ts): ES modules split into chunks, packages left to node_modules — better-sqlite3
 * (native), pg, exceljs, playwright-core … load from there as the app's main process loads them.
 */
export const nodeBundle = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
};

/** Builds into `outDir` (a folder inside the repository, so that node_modules is found from it). */
export async function buildCli(outDir = cliOutDir) {
  const { build } = await import('esbuild');
  // A source edited while esbuild reads it: which version went into the build is unknown, so the next start builds again.
  const before = stamps();
  const result = await build({
    ...nodeBundle,
    entryPoints,
    outdir: outDir,
    sourcemap: true,
    metafile: true,
    write: false,
  });
  const outputs = result.outputFiles.map((f) => posix(relative(root, f.path)));
  for (const f of result.outputFiles) writeWhole(f.path, f.contents);
  const chunks = join(outDir, 'chunks');
  for (const name of existsSync(chunks) ? readdirSync(chunks) : []) {
    const path = join(chunks, name);
    if (!outputs.includes(posix(relative(root, path))) && Date.now() - statSync(path).mtimeMs > OLD_CHUNK_MS) rmSync(path, { force: true });
  }
  const inputs = {};
  // The sources esbuild read, this file, and what steers how they are read (the module type, tsconfig).
  const steering = [posix(relative(root, fileURLToPath(import.meta.url))), 'package.json', 'tsconfig.json'];
  for (const file of [...new Set([...Object.keys(result.metafile.inputs), ...steering])].sort()) {
    const path = join(root, file);
    const { mtimeMs, size } = statSync(path);
    const steady = !before.has(file) || before.get(file) === `${mtimeMs}:${size}`;
    inputs[file] = { hash: steady ? hashOf(path) : 'edited during the build', mtimeMs, size };
  }
  writeWhole(infoOf(outDir), JSON.stringify({ inputs, outputs }, null, 1) + '\n');
}

/** Builds the command line when out/cli is missing or older than its sources; returns out/cli/main.js. */
export async function ensureCliBuilt({ quiet = false } = {}) {
  const why = staleReason();
  if (why !== null) {
    if (!quiet) process.stderr.write(`building the command line (${why}) …\n`);
    await buildCli();
  }
  return cliMain;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildCli();
