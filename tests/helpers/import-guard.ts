import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { Sqlite } from '../../electron/db/open';
import { analyzeImport } from '../../electron/import/import-session';
import { writeHandoutWorkbook } from '../../electron/import/handout-workbook';

/**
 * For import tests that feed many spoiled files: the plan file at rest (WAL checkpointed) so that
 * "byte-identical after a refusal" is a hash of the main file, no WAL frame and the same change log.
 */
export function atRest(sqlite: Sqlite, path: string): () => void {
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const sha = () => createHash('sha256').update(readFileSync(path)).digest('hex');
  const wal = () => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
  const sets = () => (sqlite.prepare('select count(*) as n from change_set').get() as { n: number }).n;
  const before = { sha: sha(), wal: wal(), sets: sets() };
  return () => expect({ sha: sha(), wal: wal(), sets: sets() }).toEqual(before);
}

/** Analyses a file and returns the refusal (failing the test when the file is accepted). */
export async function refusal(sqlite: Sqlite, path: string, name: string, bytes: Buffer, label: string): Promise<{ code: string; messageJa: string; logMessage: string }> {
  try {
    await analyzeImport(sqlite, path, { name, bytes });
  } catch (e) {
    const err = e as { code?: string; messageJa?: string; message?: string };
    if (!err.code) throw e;
    return { code: err.code, messageJa: err.messageJa ?? '', logMessage: err.message ?? '' };
  }
  expect.fail(`accepted: ${label}`);
}

export const unitIdOf = (sqlite: Sqlite, name: string) => (sqlite.prepare('select id from unit where name = ?').get(name) as { id: string }).id;

export async function handoutOf(sqlite: Sqlite, unit: string, fiscalYear = 2021) {
  const file = await writeHandoutWorkbook(sqlite, { unitId: unitIdOf(sqlite, unit), fiscalYear, appVersion: 'test' });
  return { bytes: Buffer.from(file.bytes), meta: file.meta };
}

export async function loadBook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}
