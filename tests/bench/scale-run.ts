/**
 * One scale on one engine of `npm run bench`, in its own process: drives the answering process
 * (tests/bench/host.ts) over HTTP as the page does, takes the time each call spent in the service
 * from the host, and measures each floor here on the same engine (tests/bench/floors.ts). On SQLite
 * it also measures the figures as the bench before issue 15 defined them (direct calls, no handler),
 * for the before/after comparison. Prints one JSON object on stdout.
 *
 * Usage: PLAN_BENCH_LOCATION=<location> PLAN_BENCH_HOST=<host url> scale-run.ts <factor> <sqlite|postgres> <work folder> quick|full
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { parseDbLocation } from '../../electron/db/db-location';
import { openPlanDatabase } from '../../electron/db/open';
import type { PlanDb } from '../../electron/db/plan-db';
import { openPostgresPlan } from '../../electron/db/postgres-open';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { undo } from '../../electron/model/editing/undo';
import { listActionRows, listUnits, planSummary } from '../../electron/model/queries/plan-queries';
import { rollupOf } from '../../electron/model/queries/rollup';
import { exportDocument, printPage } from '../../electron/export/export-document';
import { writeXlsx } from '../../electron/export/xlsx-writer';
import type { LayoutDocument } from '../../shared/layout/model';
import { editFloor, rawPostgres, rawSqlite, rollupFloor, styledExcelFloor, type RawDb } from './floors';
import { distribution, medianMs, now, round, timeIt } from './measure';

const [factorArg, engine, dir, mode] = process.argv.slice(2);
const locationText = process.env.PLAN_BENCH_LOCATION!;
const hostUrl = process.env.PLAN_BENCH_HOST!;
const factor = Number(factorArg);
const quick = mode === 'quick';
const location = parseDbLocation(locationText, {});
const out: Record<string, unknown> = { factor, engine };
const log = (s: string) => console.error(`  ${factor}× ${engine}: ${s}`);

const openDb = async (): Promise<PlanDb> => (location.kind === 'postgres' ? (await openPostgresPlan(location, { create: false })).db : openPlanDatabase(location.path, { create: false }).db);

// The HTTP API of the host, as the page calls it.
const base = new URL(hostUrl);
const token = base.searchParams.get('token')!;
async function api<T = unknown>(method: string, args: unknown): Promise<{ value: T; ms: number; text: string }> {
  const t = now();
  const post = () => fetch(new URL('/api', base), { method: 'POST', headers: { 'content-type': 'application/json', 'x-plan-token': token }, body: JSON.stringify({ method, args }) });
  // A kept-alive socket the server closed as idle just as it was reused: the request never arrived; send it again.
  const r = await post().catch((e: unknown) => {
    if ((e as { cause?: { code?: string } }).cause?.code === 'UND_ERR_SOCKET') return post();
    throw e;
  });
  const text = await r.text();
  const outcome = JSON.parse(text) as { ok: boolean; value: T };
  const ms = round(now() - t);
  if (!outcome.ok) throw new Error(`${method}: ${text.slice(0, 300)}`);
  return { value: outcome.value, ms, text };
}
/** The time each call of `method` spent in the host's handler since the last ask. */
const serviceMs = async (method: string) => (await api<{ method: string; ms: number }[]>('bench.timings', {})).value.filter((t) => t.method === method).map((t) => t.ms);
const median = (xs: number[]) => distribution(xs).p50;

// Open the database and run the first screen's queries (a connection of its own each time).
out.openFirstScreenMs = await medianMs(quick ? 2 : 5, async () => {
  const d = await openDb();
  const plan = await planSummary(d);
  await listUnits(d);
  await listActionRows(d, plan.startYear);
  await d.close();
});

const db = await openDb();
const raw: RawDb = location.kind === 'postgres' ? await rawPostgres(locationText) : rawSqlite(location.path);
const rows = (await db.q.selectFrom('action_row').select('id').orderBy('page').orderBy('position').execute()).map((r) => r.id);
const runs = quick ? 3 : 5;
await serviceMs('');

// Rollup of every target: the handler, what the user waits for (the answer serialised, sent and
// parsed), and the floor: the same reads as raw SQL on the same engine.
{
  log('rollup');
  await api('rollup.get', { fiscalYear: 2021 });
  const waits: number[] = [];
  let answer = '';
  for (let i = 0; i < runs; i++) {
    const r = await api('rollup.get', { fiscalYear: 2021 });
    waits.push(r.ms);
    answer = r.text;
  }
  out.rollupMs = median((await serviceMs('rollup.get')).slice(1));
  out.rollupWaitMs = median(waits);
  const value: unknown = JSON.parse(answer);
  out.rollupStringifyMs = await medianMs(runs, () => JSON.stringify(value));
  out.rollupParseMs = await medianMs(runs, () => JSON.parse(answer));
  out.rollupAnswerMb = round(Buffer.byteLength(answer) / 1024 / 1024);
  out.rollupFloorRows = await rollupFloor(raw);
  out.rollupFloorMs = await medianMs(runs, () => rollupFloor(raw));
}

// A typed cell: edits.apply with the screen, as the grid sends it (one round trip); service time
// from the host, the round trip here; the floor is the same write as raw SQL in one transaction.
const edits = quick ? 200 : factor >= 100 ? 300 : 500;
{
  log(`${edits} cell edits`);
  const screen = { name: 'actionRows', fiscalYear: 2021 };
  const trips: number[] = [];
  for (let i = 0; i < edits; i++)
    trips.push((await api('edits.apply', { label: 'セルの編集', edits: [{ entity: 'actionRow', id: rows[i % rows.length], field: 'termPlan', value: `ベンチ ${i}` }], screen })).ms);
  out.cellEditService = distribution(await serviceMs('edits.apply'));
  out.cellEditTrip = distribution(trips);
  const floor: number[] = [];
  for (let i = 0; i < edits; i++) floor.push((await timeIt(() => editFloor(raw, rows[i % rows.length]!, `生 ${i}`))).ms);
  out.cellEditFloor = distribution(floor);
}

// The typed cell's round trip of before issue 14 (write, screen, units and undo state: four
// requests) beside the one request of now, alternated.
{
  const n = quick ? 20 : factor >= 100 ? 10 : 30;
  log(`${n} round trips, one request vs four`);
  const typed = (i: number, what: string) => ({ label: 'セルの編集', edits: [{ entity: 'actionRow', id: rows[i % rows.length], field: 'termPlan', value: `${what} ${i}` }] });
  const one: number[] = [];
  const four: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = now();
    await api('edits.apply', typed(i, '往復（四回）'));
    await api('actionRows.list', { fiscalYear: 2021 });
    await Promise.all([api('units.list', {}), api('history.state', {})]);
    four.push(now() - t);
    t = now();
    await api('edits.apply', { ...typed(i, '往復（一回）'), screen: { name: 'actionRows', fiscalYear: 2021 } });
    one.push(now() - t);
  }
  out.cellRoundTrip = distribution(one);
  out.cellRoundTripFourRequests = distribution(four);
  await serviceMs('');
}

// A pasted block of 1,000 cells as one change, and its undo, in the service.
const block = Array.from({ length: 1000 }, (_, i) => ({ entity: 'actionRow' as const, id: rows[i % rows.length]!, field: i % 2 ? 'termPlan' : 'yearPlan', value: `貼り付け ${i}`, ...(i % 2 ? {} : { fiscalYear: 2021 }) }));
{
  log('paste and undo');
  await api('edits.apply', { label: '貼り付け（1,000セル）', edits: block });
  out.paste1000Ms = (await serviceMs('edits.apply'))[0];
  await api('history.undo', {});
  out.undoPasteMs = (await serviceMs('history.undo'))[0];
}

// Excel export of the action-plan layout in the service (read, layout, workbook, as the download
// it sends), beside exceljs writing the same styled cells.
{
  log('Excel export');
  const request = { layout: 'action-plan', fiscalYear: 2020 } as const;
  const saved = await api<{ files: { base64: string }[] }>('export.save', { ...request, formats: ['xlsx'] });
  out.excelExportMs = (await serviceMs('export.save'))[0];
  out.excelWaitMs = saved.ms;
  const xlsx = Buffer.from(saved.value.files[0]!.base64, 'base64');
  out.excelBytes = xlsx.byteLength;
  const doc = (await exportDocument(db, request)) as LayoutDocument;
  const floor = await timeIt(() => styledExcelFloor(doc));
  out.excelFloorMs = floor.ms;
  out.excelFloorBytes = floor.value.byteLength;
  if (engine === 'sqlite') {
    // The workbook and print page the PDF figures use (run.ts).
    writeFileSync(join(dir!, `action-plan-${factor}x.xlsx`), xlsx);
    writeFileSync(join(dir!, `action-plan-${factor}x.html`), printPage(doc));
  }
}

// SQLite: the figures as the bench before issue 15 measured them (direct calls on the connection,
// no handler, no screen), for the before/after comparison.
if (engine === 'sqlite') {
  log('figures as defined before issue 15');
  const before: Record<string, unknown> = {};
  before.rollupMs = await medianMs(runs, () => rollupOf(db, { fiscalYear: 2021 }));
  const samples: number[] = [];
  for (let i = 0; i < edits; i++) samples.push((await timeIt(() => applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: rows[i % rows.length]!, field: 'termPlan', value: `直接 ${i}` }]))).ms);
  before.cellEditService = distribution(samples);
  before.paste1000Ms = (await timeIt(() => applyGridEdits(db, '貼り付け（1,000セル）', block.map((e) => ({ ...e, value: `${e.value}（直接）` }))))).ms;
  before.undoPasteMs = (await timeIt(() => undo(db))).ms;
  before.excelExportMs = (await timeIt(async () => writeXlsx(await exportDocument(db, { layout: 'action-plan', fiscalYear: 2020 })))).ms;
  out.asBefore = before;
}

await raw.close();
await db.close();
process.stdout.write(JSON.stringify(out) + '\n');
