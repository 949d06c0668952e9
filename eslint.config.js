import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'url', 'util', 'module'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results*', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: "Only the shell (electron/main, electron/preload) imports 'electron'." }] }],
    },
  },
  { files: ['electron/main/**', 'electron/preload/**', 'tests/**'], rules: { 'no-restricted-imports': 'off' } },
  // electron/api runs the services apart from the window and the HTTP server: entry points use it, the services never do.
  {
    files: ['electron/**'],
    ignores: ['electron/main/**', 'electron/preload/**', 'electron/server/**', 'electron/cli/**', 'electron/api/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: "Only the shell (electron/main, electron/preload) imports 'electron'." }],
          patterns: [{ group: ['**/api/*'], message: 'Services do not depend on the service hosts (electron/api): they never know where they run.' }],
        },
      ],
    },
  },
  {
    files: ['electron/api/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: "electron/api is plain Node: the shell passes Electron's parts in structurally." }],
          patterns: [{ group: ['**/main/*', '**/server/*', '**/cli/*'], message: 'electron/api does not depend on the entry points.' }],
        },
      ],
    },
  },
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
