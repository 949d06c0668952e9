/**
 * The crash test's victim: applies a stream of edits to a plan database through the services
 * (single cells, 10-row pastes, 5-cell number pastes, and imports of a colleague's copy that
 * change 10 rows at once), and after each one commits prints `ack <op> <kind>` on stdout. The
 * parent kills it with SIGKILL at a random moment.
 */
import { writeSync } from 'node:fs';
import { openPlanDatabase } from '../../electron/db/open';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { analyzeImport, applyImport, readImportFile } from '../../electron/import/import-session';
import { crashLayout } from './layout';

const [dbPath, startArg] = process.argv.slice(2);
const db = openPlanDatabase(dbPath!, { create: false }).db;
const layout = await crashLayout(db);
// A colleague's copy of the plan, taken now: each import brings 10 of its cells back.
const copyPath = `${dbPath}.colleague-${startArg}.plandb`;
if (db.engine !== 'sqlite') throw new Error('the crash test writes a plan file');
await db.sqlite.backup(copyPath);
const colleague = openPlanDatabase(copyPath, { create: false }).db;
if (colleague.engine !== 'sqlite') throw new Error('the colleague copy is a plan file');
let op = Number(startArg);
writeSync(1, 'ready\n');

for (;;) {
  op++;
  const r = (op * 2654435761) % 100;
  if (r < 40) {
    const row = layout.singleRows[op % layout.singleRows.length]!;
    await applyGridEdits(db, 'セルの編集', [{ entity: 'actionRow', id: row, field: 'termPlan', value: `v${op}` }]);
    writeSync(1, `ack ${op} single ${row}\n`);
  } else if (r < 65) {
    await applyGridEdits(db, '貼り付け', layout.blockRows.map((id) => ({ entity: 'actionRow' as const, id, field: 'termPlan', value: `b${op}` })));
    writeSync(1, `ack ${op} block\n`);
  } else if (r < 85) {
    await applyGridEdits(db, '貼り付け', layout.targets.map((id) => ({ entity: 'target' as const, id, field: 'actualValue', value: String(op), fiscalYear: 2020 })));
    writeSync(1, `ack ${op} numbers\n`);
  } else {
    await applyGridEdits(colleague, '同僚の編集', layout.importRows.map((id) => ({ entity: 'actionRow' as const, id, field: 'termPlan', value: `i${op}` })));
    colleague.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const analysis = await analyzeImport(db, dbPath!, readImportFile(copyPath));
    // The cells an earlier import brought in show as conflicts (the common base is the copy's
    // start); the planner takes the colleague's values, as 取り込む in the review would.
    await applyImport(db, analysis, { take: analysis.items.map((i) => i.id), keep: [] }, async () => null);
    writeSync(1, `ack ${op} import\n`);
  }
}
