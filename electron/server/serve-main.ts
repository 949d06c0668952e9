import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/contract/errors';
import { chromiumPdfRenderer } from '../export/chromium-pdf';
import { configureExportHost } from '../export/export-host';
import { readSeedDirectory } from '../seed/read-seeds';
import { createHandler } from '../services/handlers';
import { defaultDatabasePath, userDataDir } from '../services/paths';
import { seedsDirectory } from '../services/seeds-location';
import { Workspace } from '../services/workspace';
import { startPlanServer } from './http-server';

/** `npm run serve`: the same services as the app, for a browser on this machine (127.0.0.1 only). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { db: { type: 'string' }, port: { type: 'string' }, static: { type: 'string' }, token: { type: 'string' } },
  });
  const here = dirname(fileURLToPath(import.meta.url));
  const staticDir = resolve(values.static ?? join(here, '..', '..', 'out', 'renderer'));
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.error(`画面のビルドがありません。先に npm run build を実行してください。 / renderer build missing at ${staticDir}: run npm run build`);
    process.exit(1);
  }
  const dbPath = resolve(values.db ?? defaultDatabasePath());
  const ws = new Workspace(process.env.npm_package_version ?? '0.0.0', userDataDir());
  try {
    await ws.open(dbPath, { createFrom: () => readSeedDirectory(seedsDirectory()) });
  } catch (e) {
    console.error(e instanceof AppError ? `エラー: ${e.messageJa}\nerror: ${e.message}` : e);
    process.exit(1);
  }
  // PDF exports in browser mode go through Playwright's Chromium (the app uses Electron's printToPDF).
  configureExportHost({ renderPdf: chromiumPdfRenderer });
  const server = await startPlanServer({
    handler: createHandler(ws, 'http'),
    staticDir,
    port: values.port ? Number(values.port) : 0,
    ...(values.token ? { token: values.token } : {}),
    log: (l) => console.error(l),
  });
  console.log(`計画ワークベンチ (browser mode) — database: ${dbPath}`);
  console.log(`open: ${server.url}`);
  const stop = () => {
    void server.close().then(() => {
      ws.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
