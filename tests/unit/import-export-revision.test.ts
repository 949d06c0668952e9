import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDocument, renderExportFiles } from '../../electron/export/export-document';
import { readExportMeta } from '../../electron/export/export-meta';
import { writeXlsx } from '../../electron/export/xlsx-writer';
import { analyzeImport, applyImport } from '../../electron/import/import-session';
import { latestRevision, readPlanState } from '../../electron/model/plan-state';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { initialDecisions, toApply } from '../../shared/import/choices';
import { engines, usePlan } from '../helpers/engines';
import { loadBook, unitIdOf } from '../helpers/import-guard';
import { patchXlsx, readZip, writeZip } from '../helpers/xlsx-patch';

/**
 * An action-plan export records the plan and the revision it was made from in a very hidden
 * sheet that survives re-saving (LibreOffice, openpyxl) and prints nothing. Reading it back
 * compares with that revision; without a trustworthy one (none, another plan's, newer than the
 * plan, not in its change log, or not what the sheets show) every difference is a conflict: a
 * newer edit in the plan is never silently reverted, whatever the workbook's creation time says.
 */

describe.each(engines)('%s', (engine) => {
  const env = usePlan(engine);

  const db = () => env.db;
  const analyze = (bytes: Buffer) => analyzeImport(db(), env.location, { name: 'export.xlsx', bytes });

  async function exported(request: Parameters<typeof exportDocument>[1] = { layout: 'action-plan', fiscalYear: 2020 }): Promise<Buffer> {
    const [file] = await renderExportFiles(await exportDocument(db(), request), ['xlsx'], null);
    return Buffer.from(file!.bytes);
  }

  function rezip(bytes: Buffer, edit: (files: Map<string, Buffer>) => void): Buffer {
    const files = readZip(bytes);
    edit(files);
    return writeZip([...files].map(([n, d]) => [n, d]));
  }

  /** The workbook as if made at another time (docProps/core.xml), as another program re-saving it or a stepped clock would leave it. */
  const createdAt = (bytes: Buffer, iso: string) =>
    rezip(bytes, (f) => f.set('docProps/core.xml', Buffer.from(f.get('docProps/core.xml')!.toString('utf8').replace(/(<dcterms:created[^>]*>)[^<]*/, `$1${iso}`))));

  /** The workbook without its hidden sheet (as an older export, or someone deleting it). */
  const withoutRecord = (bytes: Buffer) =>
    rezip(bytes, (f) => f.set('xl/workbook.xml', Buffer.from(f.get('xl/workbook.xml')!.toString('utf8').replace(/<sheet [^>]*name="_meta"[^>]*\/>/, ''))));

  const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
  const openpyxl = spawnSync('/usr/bin/python3', ['-c', 'import openpyxl'], { encoding: 'utf8' }).status === 0;

  function libreOffice(bytes: Buffer, to: 'xlsx' | 'pdf'): Buffer {
    const work = join(env.dir, `lo-${to}-${Math.random().toString(36).slice(2)}`);
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'in.xlsx'), bytes);
    const filter = to === 'xlsx' ? 'xlsx:Calc MS Excel 2007 XML' : 'pdf';
    execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${work}/profile`, '--convert-to', filter, '--outdir', join(work, 'out'), join(work, 'in.xlsx')], { timeout: 180_000, stdio: 'ignore' });
    return readFileSync(join(work, 'out', `in.${to}`));
  }

  function openpyxlResave(bytes: Buffer): Buffer {
    const input = join(env.dir, 'py-in.xlsx');
    const output = join(env.dir, 'py-out.xlsx');
    writeFileSync(input, bytes);
    execFileSync('/usr/bin/python3', ['-c', 'import openpyxl, sys\nwb = openpyxl.load_workbook(sys.argv[1])\nwb.save(sys.argv[2])', input, output], { timeout: 60_000 });
    return readFileSync(output);
  }

  describe('the export records where it came from', () => {
    it('in a very hidden last sheet: the plan, the revision and its time, the layout, year and unit', async () => {
      const unitId = await unitIdOf(db(), '中小企業部');
      const wb = await loadBook(await exported({ layout: 'unit', fiscalYear: 2021, unitId }));
      const last = wb.worksheets.at(-1)!;
      expect(last.name).toBe('_meta');
      expect(last.state).toBe('veryHidden');
      const plan = (await db().q.selectFrom('plan').select('id').executeTakeFirstOrThrow()).id;
      const revision = await latestRevision(db());
      const at = (await db().q.selectFrom('change_set').select('at').where('id', '=', revision).executeTakeFirstOrThrow()).at;
      expect(readExportMeta(wb)).toEqual({ planId: plan, revision, revisionAt: at, layout: 'unit', fiscalYear: 2021, unitId });
      expect(wb.worksheets.filter((w) => w.state === 'visible').every((w) => w.name.startsWith('アクションプラン') || /支部/.test(w.name))).toBe(true);
    });

    // What LibreOffice and openpyxl do to the workbook does not depend on the engine: run once, on the file (they take long).
    it.skipIf(!soffice || !existsSync('/usr/bin/pdftotext') || engine !== 'sqlite')('survives LibreOffice re-saving it, and prints exactly as without it', async () => {
      const bytes = await exported();
      const saved = libreOffice(bytes, 'xlsx');
      expect(readExportMeta(await loadBook(saved))).toEqual(readExportMeta(await loadBook(bytes)));
      const { review } = await analyze(saved);
      expect(review.base?.how).toBe('recorded');
      expect(review.items).toEqual([]);
      // The same document without the record prints the same pages with the same text.
      const doc = await exportDocument(db(), { layout: 'action-plan', fiscalYear: 2020 });
      const { source: _source, ...plain } = doc;
      const withRecord = libreOffice(Buffer.from(await writeXlsx(doc)), 'pdf');
      const without = libreOffice(Buffer.from(await writeXlsx(plain)), 'pdf');
      const text = (pdf: Buffer) => {
        const path = join(env.dir, `p-${Math.random().toString(36).slice(2)}.pdf`);
        writeFileSync(path, pdf);
        return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
      };
      expect(text(withRecord).length).toBeGreaterThan(1000);
      // pdftotext separates pages with a form feed: the same pages, the same text on each.
      expect(text(withRecord)).toBe(text(without));
    }, 600_000);

    it.skipIf(!openpyxl || engine !== 'sqlite')('survives openpyxl re-saving it', async () => {
      const bytes = await exported({ layout: 'unit', fiscalYear: 2020, unitId: await unitIdOf(db(), '千代田支部') });
      const saved = openpyxlResave(bytes);
      expect(readExportMeta(await loadBook(saved))).toEqual(readExportMeta(await loadBook(bytes)));
      const { review } = await analyze(saved);
      expect(review.base?.how).toBe('recorded');
      expect(review.items).toEqual([]);
    }, 120_000);
  });

  describe('reading an export back never reverts a newer edit silently', () => {
    /** An export, then two edits in the plan to cells the export shows (its first table row's year plan and goal). */
    async function exportThenEdit() {
      const bytes = await exported();
      const row = (await db().q.selectFrom('action_row').select(['id', 'term_plan']).where('page', '=', 1).orderBy('position').limit(1).executeTakeFirstOrThrow()).id;
      await applyGridEdits(db(), 'あとで編集', [
        { entity: 'actionRow', id: row, field: 'yearPlan', fiscalYear: 2020, value: '・あとで直した計画' },
        { entity: 'actionRow', id: row, field: 'termPlan', value: 'あとで直した到達目標' },
      ]);
      return { bytes, row, edited: await readPlanState(db()) };
    }

    it('with the recorded revision: the newer plan edits are no item at all, even from a file said to be made in the future', async () => {
      const { bytes, row, edited } = await exportThenEdit();
      const future = createdAt(bytes, new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      const { review } = await analyze(future);
      expect(review.base?.how).toBe('recorded');
      expect(review.items).toEqual([]);
      // A cell changed in the workbook is a change; the plan's newer cell in the same row is untouched by taking it.
      const changed = patchXlsx(future, [{ sheet: 'アクションプラン①', cells: { E4: '国際部' } }]);
      const analysis = await analyze(changed);
      await applyImport(db(), analysis, toApply(analysis.review.items, initialDecisions(analysis.review.items)), async () => null);
      const now = (await readPlanState(db())).action_row![row]!;
      expect([now['yearPlan:2020'], now.term_plan]).toEqual([edited.action_row![row]!['yearPlan:2020'], edited.action_row![row]!.term_plan]);
    });

    it('without a trustworthy revision every difference is a conflict, and taking what is no conflict reverts nothing (generated cases)', async () => {
      const { bytes, row, edited } = await exportThenEdit();
      const plan = (await db().q.selectFrom('plan').select('id').executeTakeFirstOrThrow()).id;
      const latest = await latestRevision(db());
      const unitId = await unitIdOf(db(), '国際部');
      const meta = (cell: string, value: string) => (b: Buffer) => patchXlsx(b, [{ sheet: '_meta', cells: { [cell]: value } }]);
      const spoil: [string, (b: Buffer) => Buffer][] = [
        ['removed', withoutRecord],
        ['another plan', meta('B2', plan.replace(/^./, (c) => (c === '0' ? '1' : '0')))],
        ['newer than the plan', meta('B3', String(latest + 5))],
        ['not in this change log (time differs)', meta('B4', '2001-01-01T00:00:00.000Z')],
        ['malformed revision', meta('B3', '1e3')],
        ['another layout', meta('B5', 'overview')],
        ['another year', meta('B6', '2022')],
        ['another unit', meta('B7', unitId)],
        ['revision 0', meta('B3', '0')],
      ];
      const times = [null, new Date(Date.now() + 86_400_000), new Date(Date.now() - 86_400_000 * 365)];
      for (const [label, how] of spoil)
        for (const time of times) {
          const file = how(time ? createdAt(bytes, time.toISOString().replace(/\.\d{3}Z$/, 'Z')) : bytes);
          const analysis = await analyze(file);
          const name = `${label} / ${time?.toISOString() ?? 'as written'}`;
          expect(analysis.review.base, name).toBeNull();
          expect(analysis.review.notes.join(), name).toContain('すべて「競合」');
          expect(analysis.review.items.length, name).toBeGreaterThanOrEqual(2);
          expect(analysis.review.items.every((i) => i.conflict), name).toBe(true);
          const mine = analysis.review.items.map((i) => i.cells[0]!.mine);
          expect(mine, name).toEqual(expect.arrayContaining(['・あとで直した計画', 'あとで直した到達目標']));
          await applyImport(db(), analysis, { take: [], keep: analysis.review.items.map((i) => i.id) }, async () => null);
          expect((await readPlanState(db())).action_row![row], name).toEqual(edited.action_row![row]);
        }
    }, 300_000);
  });
});
