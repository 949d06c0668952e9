/**
 * The tables `npm run bench` prints: every figure of every scale on both engines side by side, each
 * beside its floor and the ratio to it, and (given an earlier results.json) the SQLite figures
 * beside those of before, as the bench of then defined them.
 */

export type Figures = Record<string, unknown> & { factor: number; engine?: string };
type Dist = { p50: number; p95: number };

const ratio = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? `${(a / b).toFixed(1)}×` : '—');
const fmt = (x: unknown) => (x === null || x === undefined ? '—' : typeof x === 'number' ? String(Math.round(x * 10) / 10) : JSON.stringify(x));
const dist = (x: unknown) => (x ? `${fmt((x as Dist).p50)}/${fmt((x as Dist).p95)}` : '—');

/** Each line: what, then one cell per scale and engine. */
const lines: [string, (s: Figures) => string][] = [
  ['plan: table rows / targets / target values', (s) => { const z = s.size as Record<string, number>; return `${z.rows}/${z.targets}/${z.targetValues}`; }],
  ['open + first screen ms', (s) => fmt(s.openFirstScreenMs)],
  ['rollup ms in the service (raw SQL floor, ratio)', (s) => `${fmt(s.rollupMs)} (${fmt(s.rollupFloorMs)}, ${ratio(s.rollupMs, s.rollupFloorMs)})`],
  ['rollup: what the user waits for ms (answer MB; stringify / parse ms)', (s) => `${fmt(s.rollupWaitMs)} (${fmt(s.rollupAnswerMb)} MB; ${fmt(s.rollupStringifyMs)} / ${fmt(s.rollupParseMs)})`],
  ['cell edit p50/p95 ms in the service (raw SQL floor, p95 ratio)', (s) => `${dist(s.cellEditService)} (${dist(s.cellEditFloor)}, ${ratio((s.cellEditService as Dist).p95, (s.cellEditFloor as Dist).p95)})`],
  ['cell edit p50/p95 ms round trip over HTTP', (s) => dist(s.cellEditTrip)],
  ['typed cell p50/p95 ms: one request (the four of before)', (s) => `${dist(s.cellRoundTrip)} (${dist(s.cellRoundTripFourRequests)})`],
  ['paste 1,000 cells / its undo ms', (s) => `${fmt(s.paste1000Ms)} / ${fmt(s.undoPasteMs)}`],
  ['Excel export ms in the service (styled exceljs floor, ratio)', (s) => `${fmt(s.excelExportMs)} (${fmt(s.excelFloorMs)}, ${ratio(s.excelExportMs, s.excelFloorMs)})`],
  ['Excel: what the user waits for ms (download)', (s) => fmt(s.excelWaitMs)],
  ['first grid row ms in Chromium', (s) => fmt(s.firstRowMs)],
  ['scroll fps (rows)', (s) => `${fmt(s.scrollFps)} (${fmt(s.scrollRows)})`],
  ['renderer heap MB', (s) => fmt(s.rendererHeapMb)],
  ['answering process peak RSS MB', (s) => fmt(s.serviceRssMb)],
];

export function printEngines(scales: Figures[], factors: number[]): void {
  const columns = factors.flatMap((f) => (['sqlite', 'postgres'] as const).map((e) => scales.find((s) => s.factor === f && s.engine === e)));
  console.log(`figure | ${factors.flatMap((f) => [`${f}× SQLite`, `${f}× PostgreSQL`]).join(' | ')}`);
  for (const [what, cell] of lines) console.log(`${what} | ${columns.map((s) => (s ? cell(s) : '—')).join(' | ')}`);
  const copies = factors.map((f) => scales.find((s) => s.factor === f));
  console.log(`building the plan file / copying it to PostgreSQL ms | ${copies.map((s, i) => `${factors[i]}×: ${fmt(s?.buildMs)} / ${fmt(s?.copyMs)}`).join(' | ')}`);
}

/**
 * The SQLite figures beside `before` (a results.json of the bench before issue 15): the figures
 * the bench of then measured by direct calls are taken from `asBefore` (the same direct calls now);
 * the others are measured alike in both.
 */
export function printBeforeAfter(scales: Figures[], before: { scales: Figures[] }): void {
  console.log('\nSQLite now beside before (the earlier results.json), as the earlier bench defined each figure');
  console.log('figure | scale | before | now | now / before');
  const now = (f: number) => scales.find((s) => s.factor === f && s.engine === 'sqlite');
  for (const old of before.scales) {
    const s = now(old.factor);
    if (!s) continue;
    const as = (s.asBefore ?? {}) as Figures;
    const row = (what: string, a: unknown, b: unknown) => console.log(`${what} | ${old.factor}× | ${fmt(a)} | ${fmt(b)} | ${ratio(b, a)}`);
    row('open + first screen ms', old.openFirstScreenMs, s.openFirstScreenMs);
    row('rollup ms', old.rollupMs, as.rollupMs);
    row('cell edit p50 ms', (old.cellEditService as Dist).p50, (as.cellEditService as Dist | undefined)?.p50);
    row('cell edit p95 ms', (old.cellEditService as Dist).p95, (as.cellEditService as Dist | undefined)?.p95);
    row('typed cell, one request, p95 ms', (old.cellRoundTrip as Dist | undefined)?.p95, (s.cellRoundTrip as Dist | undefined)?.p95);
    row('paste 1,000 cells ms', old.paste1000Ms, as.paste1000Ms);
    row('undo of the paste ms', old.undoPasteMs, as.undoPasteMs);
    row('Excel export ms', old.excelExportMs, as.excelExportMs);
    row('first grid row ms', old.firstRowMs, s.firstRowMs);
  }
}
