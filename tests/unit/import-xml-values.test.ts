import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDocument, renderExportFiles } from '../../electron/export/export-document';
import { checkCellXml } from '../../electron/import/cell-xml-check';
import { analyzeImport } from '../../electron/import/import-session';
import { FileProblems } from '../../electron/import/workbook-load';
import { seededDatabase } from '../helpers/seeded-db';
import { atRest, handoutOf, loadBook, refusal } from '../helpers/import-guard';
import { patchXlsx, readZip, setCellXml, sheetPath, writeZip } from '../helpers/xlsx-patch';

/**
 * Refuse or decode, never guess, at the level of the file's XML and zip: a number cell whose
 * `<v>` is no decimal number, a shared string that is not there, Excel's `_xHHHH_` escapes
 * (decoded where exceljs leaves them; a control character they hold refused), and a zip with two
 * entries that a reader could take for the same part. Each class from a generator; every refusal
 * names the sheet and cell (or the part) and leaves the plan file byte-identical.
 */

let env: Awaited<ReturnType<typeof seededDatabase>>;
let unchanged: () => Promise<void>;
let handout: Buffer;
let exported: Buffer;
beforeAll(async () => {
  env = await seededDatabase();
  handout = (await handoutOf(env.db.db, '国際部')).bytes;
  const [file] = await renderExportFiles(await exportDocument(env.db.db, { layout: 'action-plan', fiscalYear: 2020 }), ['xlsx'], null);
  exported = Buffer.from(file!.bytes);
  unchanged = await atRest(env.db.db, env.path);
});
afterAll(async () => {
  await env.cleanup();
});

const analyze = (bytes: Buffer) => analyzeImport(env.db.db, env.path, { name: 'x.xlsx', bytes });

/** The workbook with a cell's XML written as given (type attribute and raw `<v>` text). */
function rawCell(bytes: Buffer, sheet: string, ref: string, type: string | null, v: string): Buffer {
  const files = readZip(bytes);
  const path = sheetPath(files, sheet);
  const SENTINEL = 987654321;
  let xml = setCellXml(files.get(path)!.toString('utf8'), ref, SENTINEL);
  xml = xml.replace(new RegExp(`<c r="${ref}"([^>]*)><v>${SENTINEL}</v></c>`), (_, attrs: string) => `<c r="${ref}"${attrs}${type ? ` t="${type}"` : ''}><v>${v}</v></c>`);
  files.set(path, Buffer.from(xml, 'utf8'));
  return writeZip([...files].map(([n, d]) => [n, d]));
}

describe('number cells', () => {
  const bad = ['0x1A', '0X1a', '1e999', '-1e999', 'NaN', 'Infinity', '-Infinity', ' 12', '12 ', '\t12', '1,000', '１２', '', '1e', '.', '+', '-', '0b11', '0o7', '12abc', '1.2.3', '--1', '1_000', '&#49;2', 'true'];
  it(`refuses each of ${bad.length} values that are no decimal number, naming the sheet and cell; the plan is untouched`, async () => {
    for (const v of bad) {
      const e = await refusal(env.db.db, env.path, 'x.xlsx', rawCell(handout, '目標・実績', 'H5', null, v), JSON.stringify(v));
      expect(e.code).toBe('bad_file');
      expect(e.messageJa, JSON.stringify(v)).toContain('シート「目標・実績」のセル H5');
      expect(e.messageJa).toContain('数値として読めない値');
      await unchanged();
    }
    // The same rule for an export (any sheet, any column) and for an explicit t="n".
    const e = await refusal(env.db.db, env.path, 'x.xlsx', rawCell(exported, 'アクションプラン①', 'D4', 'n', '0x1A'), 'export');
    expect(e.messageJa).toContain('シート「アクションプラン①」のセル D4');
    await unchanged();
  });

  it('reads decimal numbers in every form Excel writes as the same number', async () => {
    for (const [v, n] of [['12', 12], ['-3', -3], ['1.5', 1.5], ['1e3', 1000], ['1E+2', 100], ['.5', 0.5], ['+7', 7], ['2.50', 2.5]] as const) {
      const { review } = await analyze(rawCell(handout, '目標・実績', 'H5', null, v));
      expect(review.items.map((i) => i.cells[0]!.theirs), v).toEqual([n.toLocaleString('ja-JP')].map((s) => expect.stringContaining(s)));
    }
  });

  it('refuses a shared string that is not there and a boolean that is neither 0 nor 1', async () => {
    for (const [type, v, text] of [['s', '99999', '文字列がブックの中に見つかりません'], ['s', '-1', '文字列がブックの中に見つかりません'], ['b', '2', 'TRUE/FALSE']] as const) {
      const e = await refusal(env.db.db, env.path, 'x.xlsx', rawCell(handout, '目標・実績', 'H5', type, v), `${type} ${v}`);
      expect(e.messageJa).toContain('シート「目標・実績」のセル H5');
      expect(e.messageJa).toContain(text);
      await unchanged();
    }
  });
});

describe('Excel’s _xHHHH_ escapes', () => {
  const yearPlan = (review: { items: { cells: { theirs: string | null }[] }[] }) => review.items[0]?.cells[0]?.theirs;

  it('decodes them in inline strings (an escaped underscore stays literal)', async () => {
    const cases: [string, string][] = [
      ['・計画_x0041_です', '・計画Aです'],
      ['・一行目_x000D_\n・二行目', '・一行目\n・二行目'],
      ['・タブ_x0009_あり', '・タブ\tあり'],
      ['・そのまま_x005F_x0041_', '・そのまま_x0041_'],
      ['・小文字_x00e9_', '・小文字é'],
      // PowerPoint's soft line break (vertical tab) and a form feed: stored as a typed cell stores them.
      ['・縦タブ_x000B_改行', '・縦タブ\n改行'],
      ['・改ページ_x000C_改行', '・改ページ\n改行'],
    ];
    for (const [written, read] of cases) {
      const { review } = await analyze(patchXlsx(handout, [{ sheet: 'アクションプラン', cells: { D5: written } }]));
      expect(yearPlan(review), written).toBe(read);
    }
  });

  it('refuses a control character an escape holds, in inline and in shared strings, naming the cell', async () => {
    // Tab, newline and the line breaks a typed cell stores as a newline (CR, vertical tab, form feed) are not refused; C1 controls are.
    const codes = [...Array.from({ length: 32 }, (_, i) => i).filter((c) => ![9, 10, 11, 12, 13].includes(c)), 0x7f, 0x85, 0x9f, 0xd800, 0xdfff];
    for (const code of codes) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      const inline = await refusal(env.db.db, env.path, 'x.xlsx', patchXlsx(handout, [{ sheet: 'アクションプラン', cells: { D5: `・あ_x${hex}_い` } }]), hex);
      expect(inline.messageJa, hex).toContain('シート「アクションプラン」のセル D5');
      expect(inline.messageJa, hex).toContain(`制御文字（U+${hex}）`);
      await unchanged();
    }
    // A shared string (exceljs decodes those itself): the first target's name.
    const label = String((await loadBook(handout)).getWorksheet('目標・実績')!.getCell('C5').value);
    const files = readZip(handout);
    const sst = files.get('xl/sharedStrings.xml')!.toString('utf8');
    const at = sst.indexOf(`>${label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</t>`);
    expect(at).toBeGreaterThan(0);
    files.set('xl/sharedStrings.xml', Buffer.from(sst.replace(`>${label}</t>`, `>${label}_x0007_</t>`)));
    const e = await refusal(env.db.db, env.path, 'x.xlsx', writeZip([...files].map(([n, d]) => [n, d])), 'shared');
    expect(e.messageJa).toContain('制御文字（U+0007）');
    await unchanged();
  });
});

describe('zip entries of the same name', () => {
  it('refuses a workbook with two entries a reader could take for the same part, whichever way the names differ', async () => {
    const files = [...readZip(handout)];
    const target = files.find(([n]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))![0];
    const variants = [
      target,
      target.toUpperCase(),
      target.replace('xl/', 'XL/'),
      `./${target}`,
      `/${target}`,
      target.replace(/\//g, '\\'),
      target.replace('xl/', 'xl//'),
      target.replace('xl/', 'xl/./'),
      target.replace('xl', 'ｘｌ'),
      '[Content_Types].XML',
      'xl/workbook.xml',
    ];
    for (const name of variants) {
      // The duplicate after the real one (the case where "the second silently wins"), and before it.
      for (const order of ['after', 'before'] as const) {
        const dup: [string, Buffer] = [name, Buffer.from('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')];
        const entries = order === 'after' ? [...files, dup] : [dup, ...files];
        const e = await refusal(env.db.db, env.path, 'x.xlsx', writeZip(entries.map(([n, d]) => [n, d])), `${order} ${name}`);
        expect(e.messageJa, name).toContain('同じ名前の部品が 2 つあります');
        await unchanged();
      }
    }
    // Names that only look alike in NFC and NFD.
    const nfc = 'xl/media/café.png';
    const twice = writeZip([...files.map(([n, d]): [string, Buffer] => [n, d]), [nfc, Buffer.from('a')], [nfc.normalize('NFD'), Buffer.from('b')]]);
    expect((await refusal(env.db.db, env.path, 'x.xlsx', twice, 'nfd')).messageJa).toContain('同じ名前の部品が 2 つあります');
    // The untouched file is accepted: what is refused is the duplicate.
    expect((await analyze(writeZip(files.map(([n, d]) => [n, d])))).review.items).toEqual([]);
  });
});

describe('the XML check itself', () => {
  it('is one pass: a sheet of 200,000 unclosed rows and cells is checked at once, not rescanned per row', () => {
    const workbook = '<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>';
    const rels = '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>';
    for (const body of ['<row r="1"><c r="A1"><v>0x1A</v>', '<row>', '<row r="2"><c t="n"><v>']) {
      const sheet = `<worksheet><sheetData>${body.repeat(200_000)}</sheetData></worksheet>`;
      const problems = new FileProblems('x.xlsx');
      const started = performance.now();
      checkCellXml(new Map([['xl/workbook.xml', Buffer.from(workbook)], ['xl/_rels/workbook.xml.rels', Buffer.from(rels)], ['xl/worksheets/sheet1.xml', Buffer.from(sheet)]]), problems);
      // A deadline, not a timing: quadratic rescanning of a 4 MB sheet takes minutes.
      expect(performance.now() - started, body).toBeLessThan(20_000);
    }
  });
});
