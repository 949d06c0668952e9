import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile, checkTree } from '../helpers/layering';

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
    for (const spec of ['node:path', 'child_process', 'electron', 'better-sqlite3', '../../electron/services/handlers'])
      expect(checkFile(root, at('renderer/src/x.ts'), `import x from '${spec}';`), spec).not.toEqual([]);
    expect(checkFile(root, at('renderer/src/x.ts'), `import { api } from './api/transport';\nimport { c } from '../../shared/contract/methods';`)).toEqual([]);
  });

  it("flags 'electron' outside the shell, and services depending on the shell", () => {
    expect(checkFile(root, at('electron/services/x.ts'), `import { app } from 'electron';`)).not.toEqual([]);
    expect(checkFile(root, at('electron/db/x.ts'), `const { app } = require('electron');`)).not.toEqual([]);
    expect(checkFile(root, at('electron/services/x.ts'), `import { registerIpc } from '../main/ipc';`)).not.toEqual([]);
    expect(checkFile(root, at('electron/main/x.ts'), `import { app } from 'electron';`)).toEqual([]);
  });
});

describe('the service hosts (electron/api) are a floor between the entry points and the services', () => {
  it('entry points may use electron/api; the services below may not, and electron/api uses no entry point', () => {
    expect(checkFile(root, at('electron/server/x.ts'), `import { startServices } from '../api/services';`)).toEqual([]);
    expect(checkFile(root, at('electron/main/x.ts'), `import { utilityChannel } from '../api/service-client';`)).toEqual([]);
    expect(checkFile(root, at('electron/api/x.ts'), `import { createHandler } from '../services/handlers';`)).toEqual([]);
    expect(checkFile(root, at('electron/services/x.ts'), `import { workerJobs } from '../api/job-runner';`)).not.toEqual([]);
    expect(checkFile(root, at('electron/import/x.ts'), `import type { HostRequest } from '../api/protocol';`)).not.toEqual([]);
    expect(checkFile(root, at('electron/api/x.ts'), `import { startPlanServer } from '../server/http-server';`)).not.toEqual([]);
    expect(checkFile(root, at('electron/api/x.ts'), `import { registerIpc } from '../main/ipc';`)).not.toEqual([]);
    expect(checkFile(root, at('electron/api/x.ts'), `import { utilityProcess } from 'electron';`)).not.toEqual([]);
  });
});

describe('the import scanner', () => {
  it('reads import statements, not the word import inside strings', async () => {
    const { importsOf } = await import('../helpers/layering');
    expect(importsOf(`import { z } from 'zod';\nconst kinds = ['daily', 'import', 'manual'];\nexport { x } from './x';\nimport './side.css';\nconst m = await import('node:fs');`)).toEqual(['zod', './x', './side.css', 'node:fs']);
  });
});
