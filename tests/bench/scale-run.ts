/**
 * One scale of the benchmark in its own process (so that its peak memory is its own): builds the
 * synthetic plan, then measures the service-side figures, each beside its floor measured here too.
 * Prints one JSON object on stdout.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { openPlanDatabase } from '../../electron/db/open';
import { readSeedDirectory } from '../../electron/seed/read-seeds';
import { createDatabase } from '../../electron/workspace/create-database';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { listActionRows, listUnits, planSummary } from '../../electron/model/queries/plan-queries';
import { rollupOf } from '../../electron/model/queries/rollup';
import { undo } from '../../electron/model/editing/undo';
import { exportDocument, printPage } from '../../electron/export/export-document';
import { writeXlsx } from '../../electron/export/xlsx-writer';
import { createHandler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { startPlanServer } from '../../electron/server/http-server';
import type { LayoutDocument } from '../../shared/layout/model';
import { distribution, medianMs, now, round, timeIt } from './measure';
import { scaleBundle } from './synthetic';

const [factorArg, dir, quickArg] = process.argv.slice(2);
const factor = Number(factorArg);
const quick = quickArg === 'quick';
const root = join(import.meta.dirname, '..', '..');
const dbPath = join(dir!, `plan-${factor}x.plandb`);

const out: Record<string, unknown> = { factor };
let peakRss = process.memoryUsage().rss;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sample, 20);

// The plan
const build = await timeIt(async () => (await createDatabase(dbPath, scaleBundle(readSeedDirectory(join(root, 'seeds')), factor), { force: true })).db.close());
const db = openPlanDatabase(dbPath, { create: false }).db;
const count = async (t: string) => Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(db.q)).rows[0]!.n);
out.size = { rows: await count('action_row'), themes: await count('theme'), targets: await count('target'), units: await count('unit'), buildMs: build.ms };
await db.close();

// Open the database and run the first screen's queries.
out.openFirstScreenMs = await medianMs(quick ? 2 : 5, async () => {
  const d = openPlanDatabase(dbPath, { create: false }).db;
  const plan = await planSummary(d);
  await listUnits(d);
  await listActionRows(d, plan.startYear);
  await d.close();
});

const opened = openPlanDatabase(dbPath, { create: false });
const live = opened.db;
const rows = (await live.q.selectFrom('action_row').select('id').orderBy('page').orderBy('position').execute()).map((r) => r.id);

// Rollup of every target, beside the raw SQL that reads the same figures.
out.rollupMs = await medianMs(quick ? 2 : 5, () => rollupOf(live, { fiscalYear: 2021 }));
out.rollupFloorMs = await medianMs(quick ? 2 : 5, () =>
  sql`select t.id, t.kind, t.term_goal_value, v.fiscal_year, v.plan_value, v.actual_value from target t left join target_value v on v.target_id = t.id`.execute(live.q),
);

// One cell edit through the service (parse, change log, one transaction), p50/p95 over 1,000.
const edits = quick ? 200 : 1000;
const serviceSamples: number[] = [];
for (let i = 0; i < edits; i++) {
  const t = now();
  await applyGridEdits(live, 'セルの編集', [{ entity: 'actionRow', id: rows[i % rows.length]!, field: 'termPlan', value: `ベンチ ${i}` }]);
  serviceSamples.push(now() - t);
}
out.cellEditService = distribution(serviceSamples);
// The floor: the same update in one transaction on the same connection, without parsing or the change log.
const rawSamples: number[] = [];
for (let i = 0; i < edits; i++) {
  const t = now();
  await live.transaction((tx) => sql`update action_row set term_plan = ${`生 ${i}`} where id = ${rows[i % rows.length]!}`.execute(tx.q));
  rawSamples.push(now() - t);
}
out.cellEditFloor = distribution(rawSamples);

// The same edit through the browser-mode transport (HTTP on 127.0.0.1, zod validation, JSON).
{
  const ws = new Workspace('bench');
  await ws.use(opened);
  const server = await startPlanServer({ handler: createHandler(ws, 'http', () => {}) });
  const samples: number[] = [];
  for (let i = 0; i < edits; i++) {
    const t = now();
    const r = await fetch(`http://127.0.0.1:${server.port}/api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-plan-token': server.token },
      body: JSON.stringify({ method: 'edits.apply', args: { label: 'セルの編集', edits: [{ entity: 'actionRow', id: rows[i % rows.length], field: 'termPlan', value: `転送 ${i}` }] } }),
    });
    await r.json();
    samples.push(now() - t);
  }
  out.cellEditTransport = distribution(samples);

  // A typed cell's whole round trip as the page makes it, on the action plan: now one request (the
  // write answers with its row, the undo state, and the units when they changed), beside the four
  // requests of before (the write, the whole screen again, then the units and the undo state side by
  // side) as the floor to beat. Alternated, so that both see the same database and the same machine.
  const call = async (method: string, args: unknown) => {
    const r = await fetch(`http://127.0.0.1:${server.port}/api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-plan-token': server.token },
      body: JSON.stringify({ method, args }),
    });
    const outcome = (await r.json()) as { ok: boolean };
    if (!outcome.ok) throw new Error(`${method}: ${JSON.stringify(outcome)}`);
  };
  const typed = (i: number, what: string) => ({ label: 'セルの編集', edits: [{ entity: 'actionRow', id: rows[i % rows.length], field: 'termPlan', value: `${what} ${i}` }] });
  const trips = quick ? 50 : 200;
  const oneRequest: number[] = [];
  const fourRequests: number[] = [];
  for (let i = 0; i < trips; i++) {
    let t = now();
    await call('edits.apply', typed(i, '往復（四回）'));
    await call('actionRows.list', { fiscalYear: 2021 });
    await Promise.all([call('units.list', {}), call('history.state', {})]);
    fourRequests.push(now() - t);
    t = now();
    await call('edits.apply', { ...typed(i, '往復（一回）'), screen: { name: 'actionRows', fiscalYear: 2021 } });
    oneRequest.push(now() - t);
  }
  out.cellRoundTrip = distribution(oneRequest);
  out.cellRoundTripFloor = distribution(fourRequests);
  const [one, four] = [out.cellRoundTrip, out.cellRoundTripFloor] as { p50: number; p95: number }[];
  console.error(`  ${factor}×: typed cell round trip over HTTP, p50/p95 ms: one request ${one!.p50}/${one!.p95}; the four requests of before ${four!.p50}/${four!.p95}`);
  await server.close();
}

// A pasted block of 1,000 cells as one change, and its undo.
{
  const block = Array.from({ length: 1000 }, (_, i) => ({ entity: 'actionRow' as const, id: rows[i % rows.length]!, field: i % 2 ? 'termPlan' : 'yearPlan', value: `貼り付け ${i}`, ...(i % 2 ? {} : { fiscalYear: 2021 }) }));
  const paste = await timeIt(() => applyGridEdits(live, '貼り付け（1,000セル）', block));
  out.paste1000Ms = paste.ms;
  out.undoPasteMs = (await timeIt(() => undo(live))).ms;
}

// Excel export of the action-plan layout, beside exceljs writing the same cells with no layout.
{
  const doc = await exportDocument(live, { layout: 'action-plan', fiscalYear: 2020 });
  const xlsx = await timeIt(async () => writeXlsx(await exportDocument(live, { layout: 'action-plan', fiscalYear: 2020 })));
  out.excelExportMs = xlsx.ms;
  out.excelBytes = xlsx.value.byteLength;
  const floor = await timeIt(async () => {
    const wb = new ExcelJS.Workbook();
    for (const sheet of doc.sheets) {
      const ws = wb.addWorksheet(sheet.name);
      for (const row of [...sheet.header, ...sheet.body.flatMap((g) => g.rows), ...sheet.footer])
        ws.addRow(row.cells.map((c) => c.paragraphs.map((p) => p.map((r) => r.text).join('')).join('\n')));
    }
    return new Uint8Array(await wb.xlsx.writeBuffer());
  });
  out.excelFloorMs = floor.ms;
  writeFileSync(join(dir!, `action-plan-${factor}x.xlsx`), xlsx.value);
  // The print HTML for the PDF measurement (done by the parent in Chromium).
  writeFileSync(join(dir!, `action-plan-${factor}x.html`), printPage(doc as LayoutDocument));
}

await live.close();
clearInterval(sampler);
sample();
out.serviceRssMb = round(peakRss / 1024 / 1024);
process.stdout.write(JSON.stringify(out) + '\n');
