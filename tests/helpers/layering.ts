import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { electronPackageViolation, floorViolation } from '../../build/floors.mjs';

/**
 * The layering rule of DEVELOPERS.md, as code: what each layer may import, and the floors inside
 * electron/ as build/floors.mjs declares them (the same file the lint rules read). Also the import
 * graph of the three layers, to find import circles between files and between folders.
 */
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isBuiltin = (spec: string) => nodeBuiltins.has(spec) || spec.startsWith('node:') || nodeBuiltins.has(spec.split('/')[0]!);

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

// Statements at the start of a line (so words like 'import' inside strings do not count), and
// dynamic import()/require() anywhere.
const importPattern = /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(importPattern)) out.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return out;
}

/** DOM globals that have no business in shared/ (it runs anywhere). */
const domGlobals = /\b(?:document|window|localStorage|sessionStorage|navigator)\s*\./;

const posix = (p: string) => p.split(sep).join('/');

/**
 * The packages shared/ may use: they run the same in Node and in the browser. budoux (the phrase
 * segmenter of shared/text/phrases.ts) maps its DOM helper to the browser's own there (its
 * `browser` field) and to linkedom in Node; shared/ uses only its Parser and model.
 */
const SHARED_PACKAGES = new Set(['zod', 'budoux']);

export function checkFile(root: string, file: string, source: string): Violation[] {
  const rel = posix(relative(root, file));
  const layer = rel.split('/')[0];
  const v: Violation[] = [];
  const flag = (specifier: string, rule: string) => v.push({ file: rel, specifier, rule });
  for (const spec of importsOf(source)) {
    const target = spec.startsWith('.') ? posix(relative(root, resolve(dirname(file), spec))) : null;
    if (spec === 'electron') {
      const why = electronPackageViolation(rel);
      if (why !== null) flag(spec, why);
    }
    if (layer === 'shared') {
      if (target !== null && !target.startsWith('shared/')) flag(spec, 'shared/ imports only shared/');
      if (target === null && !SHARED_PACKAGES.has(spec)) flag(spec, 'shared/ runs anywhere: no Node, DOM, React, SQLite or electron packages (only zod and budoux)');
    }
    if (layer === 'renderer') {
      if (isBuiltin(spec)) flag(spec, 'renderer/ is browser-only: no Node built-ins');
      if (['better-sqlite3', 'kysely', 'exceljs', 'yaml'].includes(spec)) flag(spec, 'renderer/ reaches data only through the API contract');
      if (target !== null && !target.startsWith('renderer/') && !target.startsWith('shared/')) flag(spec, 'renderer/ imports only renderer/ and shared/');
    }
    if (layer === 'electron') {
      if (target !== null && target.startsWith('renderer/')) flag(spec, 'electron/ does not import the renderer');
      if (['react', 'react-dom'].includes(spec)) flag(spec, 'electron/ does not import React');
      const why = target === null ? null : floorViolation(rel, target);
      if (why !== null) flag(spec, why);
    }
  }
  if (layer === 'shared' && domGlobals.test(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))) flag('(DOM global)', 'shared/ uses no DOM');
  return v;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export const layers = ['shared', 'renderer', 'electron'] as const;

export function checkTree(root: string): Violation[] {
  return layers.flatMap((layer) => walk(join(root, layer)).flatMap((f) => checkFile(root, f, readFileSync(f, 'utf8'))));
}

/** Import graph: repository-relative file → the files of the tree it imports (type-only imports count: they tie the code too). */
export type ImportGraph = Map<string, Set<string>>;

/** The file a relative specifier names, as the bundler resolves it (extension left out, or a folder's index). */
function resolveFile(fromFile: string, spec: string): string | null {
  const base = resolve(dirname(fromFile), spec);
  const stem = base.replace(/\.js$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, join(base, 'index.ts'), join(base, 'index.tsx')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}

/** The import graph of the given files (absolute paths), edges only to files of the tree. */
export function importGraph(root: string, files: { path: string; source: string }[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const { path, source } of files) {
    const edges = new Set<string>();
    for (const spec of importsOf(source)) {
      if (!spec.startsWith('.')) continue;
      const target = resolveFile(path, spec);
      if (target !== null && /\.(ts|tsx|mts|cts)$/.test(target)) edges.add(posix(relative(root, target)));
    }
    graph.set(posix(relative(root, path)), edges);
  }
  return graph;
}

export function treeGraph(root: string): ImportGraph {
  return importGraph(
    root,
    layers.flatMap((layer) => walk(join(root, layer)).map((path) => ({ path, source: readFileSync(path, 'utf8') }))),
  );
}

/**
 * The part of the tree a file belongs to when looking for circles between folders: electron/<floor
 * folder>, shared/<area>, renderer/src/<area> (a file lying directly in one of these roots is its own part).
 */
export function areaOf(file: string): string {
  const parts = file.split('/');
  const depth = parts[0] === 'renderer' && parts[1] === 'src' ? 3 : 2;
  return parts.length > depth ? parts.slice(0, depth).join('/') : file;
}

/** The graph between areas: an edge wherever a file of one imports a file of another. */
export function areaGraph(graph: ImportGraph): ImportGraph {
  const out: ImportGraph = new Map();
  for (const [from, tos] of graph) {
    const a = areaOf(from);
    if (!out.has(a)) out.set(a, new Set());
    for (const to of tos) if (areaOf(to) !== a) out.get(a)!.add(areaOf(to));
  }
  return out;
}

/** Every import circle: the strongly connected parts of more than one node (Tarjan), each sorted. */
export function circles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const part: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        part.push(w);
      } while (w !== v);
      if (part.length > 1 || graph.get(v)?.has(v)) found.push(part.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}
