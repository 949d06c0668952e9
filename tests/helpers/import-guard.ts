import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { PlanDb } from '../../electron/db/plan-db';
import { analyzeImport } from '../../electron/import/import-session';
import { writeHandoutWorkbook } from '../../electron/import/handout-workbook';

/**
 * For import tests that feed many spoiled files: the plan file at rest (WAL checkpointed) so that
 * "byte-identical after a refusal" is a hash of the main file, no WAL frame and the same change log.
 * The check it returns is awaited.
 */
export async function atRest(db: PlanDb, path: string): Promise<() => Promise<void>> {
  // The file's own bytes: only a SQLite plan has them.
  if (db.engine !== 'sqlite') throw new Error('atRest reads a SQLite plan file');
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const sha = () => createHash('sha256').update(readFileSync(path)).digest('hex');
  const wal = () => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
  const sets = async () => Number((await db.q.selectFrom('change_set').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const before = { sha: sha(), wal: wal(), sets: await sets() };
  return async () => expect({ sha: sha(), wal: wal(), sets: await sets() }).toEqual(before);
}

/** Analyses a file and returns the refusal (failing the test when the file is accepted). */
export async function refusal(db: PlanDb, path: string, name: string, bytes: Buffer, label: string): Promise<{ code: string; messageJa: string; logMessage: string }> {
  try {
    await analyzeImport(db, path, { name, bytes });
  } catch (e) {
    const err = e as { code?: string; messageJa?: string; message?: string };
    if (!err.code) throw e;
    return { code: err.code, messageJa: err.messageJa ?? '', logMessage: err.message ?? '' };
  }
  expect.fail(`accepted: ${label}`);
}

export const unitIdOf = async (db: PlanDb, name: string) => (await db.q.selectFrom('unit').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

export async function handoutOf(db: PlanDb, unit: string, fiscalYear = 2021) {
  const file = await writeHandoutWorkbook(db, { unitId: await unitIdOf(db, unit), fiscalYear, appVersion: 'test' });
  return { bytes: Buffer.from(file.bytes), meta: file.meta };
}

export async function loadBook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}
