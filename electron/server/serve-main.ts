import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors/app-error';
import { startServices, workerSpawner } from '../api/services';
import { parseDbLocation } from '../db/db-location';
import { chromiumPdfRenderer } from '../export/chromium-pdf';
import { defaultDatabasePath, userDataDir } from '../files/paths';
import { seedsDirectory } from '../files/seeds-location';
import { startPlanServer } from './http-server';

/**
 * `npm run serve`: the same services as the app, for a browser on this machine (127.0.0.1 only).
 * The services run in a worker thread (electron/api/services.ts): this thread answers files
 * and requests while an import or an export runs. `--db` is a plan file or a PostgreSQL location
 * (electron/db/db-location.ts): the services get the text as given (the workspace parses it), this
 * terminal shows its display form, never a password.
 */
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
  const log = (l: string) => console.error(l);
  let services;
  let shown: string;
  try {
    const text = values.db ?? defaultDatabasePath();
    const location = parseDbLocation(text);
    // A file by its absolute path (the services' working folder may differ); PostgreSQL as written.
    const dbPath = location.kind === 'file' ? resolve(location.path) : text;
    shown = location.kind === 'file' ? dbPath : location.display;
    services = await startServices({
      spawn: workerSpawner(join(here, '..', 'api', 'service-process.ts')),
      // The log's first lines also on this terminal: whoever runs the browser mode reads it.
      init: { appVersion: process.env.npm_package_version ?? '0.0.0', userData: userDataDir(), transport: 'http', console: true },
      dbPath,
      seedsDir: seedsDirectory(),
      // PDF exports in browser mode go through Playwright's Chromium (the app uses Electron's printToPDF).
      host: { renderPdf: ({ pages }) => chromiumPdfRenderer(pages) },
      events: { log },
    });
  } catch (e) {
    console.error(e instanceof AppError ? `エラー: ${e.messageJa}\nerror: ${e.message}` : e);
    process.exit(1);
  }
  const server = await startPlanServer({
    handler: services.call,
    staticDir,
    port: values.port ? Number(values.port) : 0,
    ...(values.token ? { token: values.token } : {}),
    log,
  });
  console.log(`計画ワークベンチ (browser mode) — database: ${shown}`);
  console.log(`open: ${server.url}`);
  const stop = () => {
    void server
      .close()
      .then(() => services.stop())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
