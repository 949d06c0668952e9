import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The layering rule of DEVELOPERS.md, as data: what each layer may import. */
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

/** Files allowed to import 'electron': the thin shell. */
export const shellFiles = ['electron/main/', 'electron/preload/'];

/**
 * The floor between the entry points and the services: electron/api runs the services apart from
 * the window and the HTTP server (utility process, worker threads) and speaks their message
 * protocol. Entry points may use it; the services never know where they run.
 */
export const entryPoints = ['electron/main/', 'electron/server/', 'electron/cli/', 'electron/preload/'];
export const serviceHosts = 'electron/api/';

/** DOM globals that have no business in shared/ (it runs anywhere). */
const domGlobals = /\b(?:document|window|localStorage|sessionStorage|navigator)\s*\./;

export function checkFile(root: string, file: string, source: string): Violation[] {
  const rel = relative(root, file).split(sep).join('/');
  const layer = rel.split('/')[0];
  const v: Violation[] = [];
  const flag = (specifier: string, rule: string) => v.push({ file: rel, specifier, rule });
  for (const spec of importsOf(source)) {
    const target = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)).split(sep).join('/') : null;
    if (spec === 'electron' && !shellFiles.some((s) => rel.startsWith(s))) flag(spec, "only the shell (electron/main, electron/preload) imports 'electron'");
    if (layer === 'shared') {
      if (target !== null && !target.startsWith('shared/')) flag(spec, 'shared/ imports only shared/');
      if (target === null && spec !== 'zod') flag(spec, 'shared/ runs anywhere: no Node, DOM, React, SQLite or electron packages (only zod)');
    }
    if (layer === 'renderer') {
      if (isBuiltin(spec)) flag(spec, 'renderer/ is browser-only: no Node built-ins');
      if (['better-sqlite3', 'kysely', 'exceljs', 'yaml'].includes(spec)) flag(spec, 'renderer/ reaches data only through the API contract');
      if (target !== null && !target.startsWith('renderer/') && !target.startsWith('shared/')) flag(spec, 'renderer/ imports only renderer/ and shared/');
    }
    if (layer === 'electron') {
      if (target !== null && target.startsWith('renderer/')) flag(spec, 'electron/ does not import the renderer');
      if (target !== null && !rel.startsWith('electron/main/') && shellFiles.some((s) => target.startsWith(s))) flag(spec, 'services do not depend on the shell');
      if (['react', 'react-dom'].includes(spec)) flag(spec, 'electron/ does not import React');
      const below = !rel.startsWith(serviceHosts) && !entryPoints.some((e) => rel.startsWith(e));
      if (target !== null && below && target.startsWith(serviceHosts)) flag(spec, 'services do not depend on the service hosts (electron/api)');
      if (target !== null && rel.startsWith(serviceHosts) && entryPoints.some((e) => target.startsWith(e))) flag(spec, 'electron/api does not depend on the entry points');
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

export function checkTree(root: string): Violation[] {
  return ['shared', 'renderer', 'electron'].flatMap((layer) => walk(join(root, layer)).flatMap((f) => checkFile(root, f, readFileSync(f, 'utf8'))));
}
