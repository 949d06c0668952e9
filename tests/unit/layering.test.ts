import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { areaGraph, checkFile, checkTree, circles, type ImportGraph, treeGraph } from '../helpers/layering';

const root = join(import.meta.dirname, '..', '..');
const at = (rel: string) => join(root, rel);

describe('layering (shared runs anywhere, renderer is browser-only, electron only in the shell)', () => {
  it('the source tree has no violations', () => {
    expect(checkTree(root)).toEqual([]);
  });

  it('flags shared/ importing Node, React, electron, SQLite or reaching outside shared/', () => {
    for (const spec of ['node:fs', 'fs', 'path', 'react', 'electron', 'better-sqlite3', '../../electron/db/open'])
      expect(checkFile(root, at('shared/x.ts'), `import x from '${spec}';`), spec).not.toEqual([]);
    expect(checkFile(root, at('shared/x.ts'), `const w = window.innerWidth;`)).not.toEqual([]);
    expect(checkFile(root, at('shared/x.ts'), `import { z } from 'zod';\nimport { a } from './y';`)).toEqual([]);
  });

  it('flags renderer/ importing Node, electron, SQLite or the services', () => {
    for (const spec of ['node:path', 'child_process', 'electron', 'better-sqlite3', '../../electron/api/handlers'])
      expect(checkFile(root, at('renderer/src/x.ts'), `import x from '${spec}';`), spec).not.toEqual([]);
    expect(checkFile(root, at('renderer/src/x.ts'), `import { api } from './api/transport';\nimport { c } from '../../shared/contract/methods';`)).toEqual([]);
  });

  it("flags 'electron' outside the shell, and anything below depending on the shell", () => {
    expect(checkFile(root, at('electron/model/x.ts'), `import { app } from 'electron';`)).not.toEqual([]);
    expect(checkFile(root, at('electron/db/x.ts'), `const { app } = require('electron');`)).not.toEqual([]);
    expect(checkFile(root, at('electron/api/x.ts'), `import { utilityProcess } from 'electron';`)).not.toEqual([]);
    expect(checkFile(root, at('electron/cli/x.ts'), `import { app } from 'electron';`)).not.toEqual([]);
    expect(checkFile(root, at('electron/workspace/x.ts'), `import { registerIpc } from '../main/ipc';`)).not.toEqual([]);
    expect(checkFile(root, at('electron/main/x.ts'), `import { app } from 'electron';`)).toEqual([]);
    expect(checkFile(root, at('electron/preload/x.ts'), `import { contextBridge } from 'electron';`)).toEqual([]);
  });
});

/**
 * The floors of build/floors.mjs, written out here a second time on purpose: files → db → model →
 * features (seed → export → import → workspace) → api → entry points (main, server, cli, preload).
 */
describe('the floors inside electron/', () => {
  const flagged = (from: string, spec: string) => checkFile(root, at(from), `import { x } from '${spec}';`).map((v) => v.rule);

  it('a lower floor importing a higher one is flagged, statically or dynamically, from any depth', () => {
    const upward: [string, string][] = [
      ['electron/files/x.ts', '../db/open'],
      ['electron/db/x.ts', '../model/plan-state'],
      ['electron/db/migrations/x.ts', '../../model/queries/rollup'],
      ['electron/model/x.ts', '../seed/dump'],
      ['electron/model/queries/x.ts', '../../export/export-document'],
      ['electron/seed/x.ts', '../export/fonts'],
      ['electron/export/x.ts', '../import/handout-workbook'],
      ['electron/import/x.ts', '../workspace/workspace'],
      ['electron/workspace/x.ts', '../api/handlers'],
      ['electron/import/x.ts', '../api/protocol'],
      ['electron/api/x.ts', '../server/http-server'],
      ['electron/api/handlers/x.ts', '../../cli/command'],
      ['electron/api/x.ts', '../main/ipc'],
    ];
    for (const [from, spec] of upward) expect(flagged(from, spec), `${from} → ${spec}`).toHaveLength(1);
    expect(checkFile(root, at('electron/db/x.ts'), `const m = await import('../model/plan-state');`)).toHaveLength(1);
    expect(checkFile(root, at('electron/db/x.ts'), `export { x } from '../workspace/workspace';`)).toHaveLength(1);
  });

  it('the entry points do not import each other', () => {
    for (const [from, spec] of [
      ['electron/cli/x.ts', '../server/http-server'],
      ['electron/server/x.ts', '../cli/main'],
      ['electron/main/x.ts', '../cli/command'],
      ['electron/cli/commands/x.ts', '../../main/print'],
    ] as const)
      expect(flagged(from, spec), `${from} → ${spec}`).toHaveLength(1);
  });

  it('a folder may import its own floor and the floors below', () => {
    const allowed: [string, string][] = [
      ['electron/db/x.ts', '../files/paths'],
      ['electron/model/queries/x.ts', '../../db/open'],
      ['electron/model/x.ts', './editing/undo'],
      ['electron/export/x.ts', '../seed/dump'],
      ['electron/import/x.ts', '../export/export-host'],
      ['electron/workspace/x.ts', '../seed/read-seeds'],
      ['electron/api/x.ts', '../workspace/workspace'],
      ['electron/cli/commands/x.ts', '../../api/handlers'],
      ['electron/server/x.ts', '../api/services'],
      ['electron/main/x.ts', '../files/paths'],
      ['electron/cli/x.ts', '../../shared/errors/app-error'],
    ];
    for (const [from, spec] of allowed) expect(flagged(from, spec), `${from} → ${spec}`).toEqual([]);
  });

  it('a folder no floor names is flagged until build/floors.mjs places it', () => {
    expect(flagged('electron/services/x.ts', '../db/open')).toHaveLength(1);
  });

  it('the lint rules read the same floors', { timeout: 60_000 }, async () => {
    const eslint = new ESLint({ cwd: root });
    const lint = async (file: string, code: string) => (await eslint.lintText(code, { filePath: at(file) }))[0]!.messages.map((m) => m.ruleId);
    expect(await lint('electron/db/x.ts', `import { x } from '../model/plan-state';\nexport const y = x;\n`)).toEqual(['floors/import-floor']);
    expect(await lint('electron/export/x.ts', `export const y = await import('../import/import-host');\n`)).toEqual(['floors/import-floor']);
    expect(await lint('electron/cli/x.ts', `import { x } from '../server/http-server';\nexport const y = x;\n`)).toEqual(['floors/import-floor']);
    expect(await lint('electron/api/x.ts', `import { app } from 'electron';\nexport const y = app;\n`)).toEqual(['no-restricted-imports']);
    expect(await lint('electron/cli/x.ts', `import { x } from '../api/handlers';\nexport const y = x;\n`)).toEqual([]);
  });
});

describe('import circles', () => {
  const graph = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

  it('finds a circle between files and one between folders, and none in a tree', () => {
    expect(circles(graph({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c']]);
    expect(circles(graph({ a: ['b'], b: ['c'], c: [], d: ['a', 'c'] }))).toEqual([]);
    // No circle between the files, but one between their folders (as StatusReporter made between grid/ and screens/).
    const files = graph({ 'renderer/src/grid/PlanGrid.tsx': ['renderer/src/screens/registry.ts'], 'renderer/src/screens/A.tsx': ['renderer/src/grid/PlanGrid.tsx'], 'renderer/src/screens/registry.ts': [] });
    expect(circles(files)).toEqual([]);
    expect(circles(areaGraph(files))).toEqual([['renderer/src/grid', 'renderer/src/screens']]);
  });

  it('electron/, shared/ and renderer/ have no import circle between files', () => {
    expect(circles(treeGraph(root))).toEqual([]);
  });

  it('nor between folders (electron/<floor folder>, shared/<area>, renderer/src/<area>)', () => {
    expect(circles(areaGraph(treeGraph(root)))).toEqual([]);
  });
});

describe('the import scanner', () => {
  it('reads import statements, not the word import inside strings', async () => {
    const { importsOf } = await import('../helpers/layering');
    expect(importsOf(`import { z } from 'zod';\nconst kinds = ['daily', 'import', 'manual'];\nexport { x } from './x';\nimport './side.css';\nconst m = await import('node:fs');`)).toEqual(['zod', './x', './side.css', 'node:fs']);
  });
});
