import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPdfRenderer } from '../../electron/export/chromium-pdf';
import { makePrivateTemp } from '../../electron/files/private-temp';
import { analyzeImport, readImportFile } from '../../electron/import/import-session';
import { createDatabase } from '../../electron/workspace/create-database';
import { realSeeds } from './seeded-db';

/**
 * A process that works with private temp folders until it is killed (tests/unit/private-temp.test.ts):
 *   hold   — makes one folder, writes a file in it, says "ready", waits;
 *   import — imports a colleague's copy of the plan database over and over (each import copies the plan);
 *   pdf    — prints a page to PDF with Chromium over and over.
 * Run as `node --import tsx tests/helpers/temp-child.ts <mode> <work folder>` with TMPDIR set by the test.
 */

const [mode, work] = process.argv.slice(2);

async function main(): Promise<void> {
  if (mode === 'hold') {
    const temp = makePrivateTemp('import-copy');
    writeFileSync(join(temp.dir, 'incoming.plandb'), 'plan copy');
    process.stdout.write(`ready ${temp.dir}\n`);
    setInterval(() => {}, 1000);
    return;
  }
  if (mode === 'import') {
    const path = join(work!, 'plan.plandb');
    const db = (await createDatabase(path, realSeeds())).db;
    // The whole plan in the file itself, so that its copy is complete.
    if (db.engine === 'sqlite') db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const copy = join(work!, '同僚のコピー.plandb');
    copyFileSync(path, copy);
    const file = readImportFile(copy);
    process.stdout.write('ready\n');
    for (;;) await analyzeImport(db, path, file);
  }
  if (mode === 'pdf') {
    process.stdout.write('ready\n');
    const page = `<!doctype html><html lang="ja"><head><meta charset="utf-8"></head><body>${'<p>印刷ページ</p>'.repeat(200)}</body></html>`;
    for (;;) await chromiumPdfRenderer([page]);
  }
  throw new Error(`unknown mode ${mode}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
