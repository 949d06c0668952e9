/**
 * The crash test's victim: applies a stream of edits to a plan database through the services
 * (single cells, 10-row pastes, 5-cell number pastes, and imports of a colleague's copy that
 * change 10 rows at once), and after each one commits prints `ack <op> <kind>` on stdout. The
 * parent kills it with SIGKILL at a random moment, or (PostgreSQL) stops the server under it.
 *
 *   worker.js LOCATION START COLLEAGUE_FILE
 *
 * LOCATION is a plan file or a postgres:// URL (parseDbLocation, as `--db` reads it). A failed
 * action is reported as `fail <op> <code> <message>` (the error as the service layer hands it to
 * the user) and the stream goes on: the parent sees that the writer is answered, not left hanging, while the server is down, and that it
 * writes again once the server is back; in a kill run, only an unexpected (internal) error is a
 * problem (a busy machine may make the colleague-file reader miss its deadline).
 */
import { writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { asAppError } from '../../electron/api/known-failures';
import { parseDbLocation } from '../../electron/db/db-location';
import { openPlanDatabase } from '../../electron/db/open';
import type { PlanDb } from '../../electron/db/plan-db';
import { openPostgresPlan } from '../../electron/db/postgres-open';
import { analyzeImport, applyImport, readImportFile } from '../../electron/import/import-session';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { crashLayout } from './layout';

const [locationArg, startArg, copyPath] = process.argv.slice(2);
const location = parseDbLocation(locationArg!, {});
const db: PlanDb = location.kind === 'file' ? openPlanDatabase(location.path, { create: false }).db : (await openPostgresPlan(location, { create: false })).db;
const layout = await crashLayout(db);

// A colleague's copy of the plan (a backup file, as a planner hands it round), made by the parent
// when the plan was made and kept from run to run: each import brings 10 of its cells back.
const copy = openPlanDatabase(copyPath!, { create: false }).db;
if (copy.engine !== 'sqlite') throw new Error('the colleague copy is a plan file');
const say = (line: string) => writeSync(1, `${line}\n`);
let op = Number(startArg);
say('ready');

async function step(op: number): Promise<string> {
  const r = (op * 2654435761) % 100;
  if (r < 40) {
    const row = layout.singleRows[op % layout.singleRows.length]!;
    await applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row, field: 'termPlan', value: `v${op}` }]);
    return `single ${row}`;
  }
  if (r < 65) {
    await applyGridEdits(db, '貼り付け', layout.blockRows.map((id) => ({ entity: 'actionRow' as const, id, field: 'termPlan', value: `b${op}` })));
    return 'block';
  }
  if (r < 85) {
    await applyGridEdits(db, '貼り付け', layout.targets.map((id) => ({ entity: 'target' as const, id, field: 'actualValue', value: String(op), fiscalYear: 2020 })));
    return 'numbers';
  }
  await applyGridEdits(copy, '同僚の編集', layout.importRows.map((id) => ({ entity: 'actionRow' as const, id, field: 'termPlan', value: `i${op}` })));
  if (copy.engine === 'sqlite') copy.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const analysis = await analyzeImport(db, locationArg!, readImportFile(copyPath!));
  // The cells an earlier import brought in show as conflicts (the common base is the copy's
  // start); the planner takes the colleague's values, as 取り込む in the review would.
  await applyImport(db, analysis, { take: analysis.items.map((i) => i.id), keep: [] }, async () => null);
  return 'import';
}

for (;;) {
  op++;
  try {
    say(`ack ${op} ${await step(op)}`);
  } catch (e) {
    // What the user would be shown (Japanese) and what the log would get (English), on one line.
    const error = asAppError(e).toShape();
    say(`fail ${op} ${error.code} ${error.message} | ${error.logMessage.split('\n', 1)[0]}`);
    // While the server is down every action fails at once: no need to spin.
    await sleep(100);
  }
}
