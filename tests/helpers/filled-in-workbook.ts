import type { PlanDb } from '../../electron/db/plan-db';
import { writeHandoutWorkbook } from '../../electron/import/handout-workbook';
import { readZip, sheetPath, writeZip } from './xlsx-patch';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A unit's fill-in workbook returned with `count` new targets typed below its table (label, unit
 * and the year's plan value; column A left empty as for a new row), written into the sheet XML in
 * one go as another program would save it.
 */
export async function filledInWorkbook(db: PlanDb, unitName: string, count: number, label = (i: number) => `新しい目標 ${i}`): Promise<Buffer> {
  const unit = await db.q.selectFrom('unit').select('id').where('name', '=', unitName).executeTakeFirstOrThrow();
  const file = await writeHandoutWorkbook(db, { unitId: unit.id, fiscalYear: 2021, appVersion: 'bench' });
  const files = readZip(Buffer.from(file.bytes));
  const path = sheetPath(files, '目標・実績');
  const xml = files.get(path)!.toString('utf8');
  const last = Math.max(...[...xml.matchAll(/<row r="(\d+)"/g)].map((m) => Number(m[1])));
  const text = (ref: string, s: string) => `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(s)}</t></is></c>`;
  const rows: string[] = [];
  for (let i = 1; i <= count; i++) {
    const r = last + i;
    rows.push(`<row r="${r}">${text(`C${r}`, label(i))}${text(`D${r}`, '件')}<c r="H${r}"><v>${i}</v></c></row>`);
  }
  files.set(path, Buffer.from(xml.replace('</sheetData>', `${rows.join('')}</sheetData>`), 'utf8'));
  return writeZip([...files].map(([name, data]) => [name, data]));
}

