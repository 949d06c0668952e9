import { dirname, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { electronImporters, floorViolation } from './build/floors.mjs';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'url', 'util', 'module'];
const root = import.meta.dirname;
const posix = (p) => p.split(sep).join('/');
const shell = electronImporters.map((f) => `electron/${f}`);
const electronOnlyInShell = { name: 'electron', message: `Only the shell (${shell.join(', ')}) imports 'electron'.` };

/**
 * The floors inside electron/ (build/floors.mjs, which the layering test reads too): a relative
 * import, static or dynamic, is resolved against the importing file and judged by the same rule.
 */
const floorsPlugin = {
  rules: {
    'import-floor': {
      meta: { type: 'problem', docs: { description: 'A folder of electron/ imports only from its own floor or lower ones (build/floors.mjs)' }, schema: [] },
      create(context) {
        const from = posix(relative(root, context.filename));
        const check = (node) => {
          if (node?.type !== 'Literal' || typeof node.value !== 'string' || !node.value.startsWith('.')) return;
          const why = floorViolation(from, posix(relative(root, resolve(dirname(context.filename), node.value))));
          if (why) context.report({ node, message: `${why} (build/floors.mjs).` });
        };
        return {
          ImportDeclaration: (n) => check(n.source),
          ExportNamedDeclaration: (n) => check(n.source),
          ExportAllDeclaration: (n) => check(n.source),
          ImportExpression: (n) => check(n.source),
          TSImportEqualsDeclaration: (n) => check(n.moduleReference?.expression),
          CallExpression: (n) => n.callee.type === 'Identifier' && n.callee.name === 'require' && check(n.arguments[0]),
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results*', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronOnlyInShell] }],
    },
  },
  { files: [...shell.map((s) => `${s}/**`), 'tests/**'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['electron/**'], plugins: { floors: floorsPlugin }, rules: { 'floors/import-floor': 'error' } },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...nodeBuiltins, 'electron', 'better-sqlite3', 'kysely', 'react', 'react-dom', 'ag-grid-*', 'exceljs', 'yaml'], message: 'shared/ runs anywhere: zod and shared/ only.' },
            { group: ['../../electron/*', '../../renderer/*', '../../../*'], message: 'shared/ imports only shared/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...nodeBuiltins, 'electron', 'better-sqlite3', 'kysely', 'exceljs', 'yaml'], message: 'renderer/ is browser-only and reaches data only through the API contract.' },
            { group: ['**/electron/*'], message: 'renderer/ imports only renderer/ and shared/.' },
          ],
        },
      ],
    },
  },
);
