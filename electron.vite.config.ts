import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build for the three parts (main, preload, renderer): `electron-vite build` writes out/.
// The renderer build is also what `npm run serve` serves to a browser.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      // The services run apart from the window: a utility process, whose job workers are threads (electron/api).
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          'service-process': resolve('electron/api/service-process.ts'),
          'job-worker': resolve('electron/api/job-worker.ts'),
          // Reads a colleague's database in a process that can be killed at a deadline (electron/import/database-read.ts).
          'foreign-read-child': resolve('electron/import/foreign-read-child.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS.
      rollupOptions: { input: { index: resolve('electron/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      // Minified: the window parses about a third of the script before the first row (electron-vite leaves it unminified).
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
