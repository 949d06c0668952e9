/**
 * The crash test's victim: applies a stream of edits to a plan database through the service
 * (single cells, 10-row pastes, 5-cell number pastes), and after each one commits prints
 * `ack <op> <kind>` on stdout. The parent kills it with SIGKILL at a random moment.
 */
import { writeSync } from 'node:fs';
import { openPlanDatabase } from '../../electron/db/open';
import { applyGridEdits } from '../../electron/services/editing/apply-edits';
import { crashLayout } from './layout';

const [dbPath, startArg] = process.argv.slice(2);
const db = openPlanDatabase(dbPath!, { create: false });
const layout = crashLayout(db.sqlite);
let op = Number(startArg);
writeSync(1, 'ready\n');

for (;;) {
  op++;
  const r = (op * 2654435761) % 100;
  if (r < 50) {
    const row = layout.singleRows[op % layout.singleRows.length]!;
    applyGridEdits(db.sqlite, 'セルの編集', [{ entity: 'actionRow', id: row, field: 'termPlan', value: `v${op}` }]);
    writeSync(1, `ack ${op} single ${row}\n`);
  } else if (r < 80) {
    applyGridEdits(db.sqlite, '貼り付け', layout.blockRows.map((id) => ({ entity: 'actionRow' as const, id, field: 'termPlan', value: `b${op}` })));
    writeSync(1, `ack ${op} block\n`);
  } else {
    applyGridEdits(db.sqlite, '貼り付け', layout.targets.map((id) => ({ entity: 'target' as const, id, field: 'actualValue', value: String(op), fiscalYear: 2020 })));
    writeSync(1, `ack ${op} numbers\n`);
  }
}
