/**
 * What the crash test checks after every kill or server crash, the same on both engines, all read
 * in one consistent snapshot (a PostgreSQL commit the killed process sent just before it died may
 * still land while the check reads, and must not look like half a change set):
 *
 * - every acknowledged change is there: each cell the worker writes holds the acknowledged value or
 *   a newer one (op numbers only grow);
 * - no change set is half applied: the 10 rows of a paste hold one paste's value, the 5 numbers one
 *   paste's number, the 10 imported rows one import's value or their values from before any import;
 * - the change log is the data's: replaying the log written since the plan was made, change by
 *   change, onto the plan as it was then gives exactly the plan now (every update's old value is the
 *   value before it, no row, cell or log entry missing on either side), and every change set holds
 *   as many changes as its kind writes;
 * - SQLite only: integrity_check and foreign_key_check.
 */
import { checkIntegrity } from '../../electron/db/open';
import type { PlanDb } from '../../electron/db/plan-db';
import { latestRevision, type PhysicalState, readPhysical } from '../../electron/model/plan-state';
import { crashLayout } from './layout';
import type { Acks } from './victim';

/** The plan as it was made (before the first worker), to replay the log onto. */
export interface Baseline {
  revision: number;
  state: PhysicalState;
}

export async function baselineOf(db: PlanDb): Promise<Baseline> {
  return db.snapshot(async (tx) => ({ revision: await latestRevision(tx), state: await readPhysical(tx) }));
}

const opOf = (value: unknown, prefix: string): number => {
  const m = new RegExp(`^${prefix}(\\d+)$`).exec(String(value));
  return m ? Number(m[1]) : -1;
};

/** A stored value and a logged one (JSON) are the same value. */
const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

type Row = Record<string, unknown> & { id: string };

/** Problems found (empty when the plan is sound); `acks` as they were before the check began. */
export async function checkPlan(db: PlanDb, acks: Acks, baseline: Baseline): Promise<string[]> {
  const problems: string[] = [];
  const bad = (why: string) => problems.push(why);
  if (db.engine === 'sqlite') for (const p of checkIntegrity(db.sqlite)) bad(`integrity: ${p}`);
  const read = await db.snapshot(async (tx) => {
    const layout = await crashLayout(tx);
    const cells = [...layout.blockRows, ...layout.singleRows, ...layout.importRows];
    return {
      layout,
      termPlans: new Map((await tx.q.selectFrom('action_row').select(['id', 'term_plan']).where('id', 'in', cells).execute()).map((r) => [r.id, r.term_plan])),
      actuals: new Map(
        (await tx.q.selectFrom('target_value').select(['target_id', 'actual_value']).where('target_id', 'in', layout.targets).where('fiscal_year', '=', 2020).execute()).map((r) => [
          r.target_id,
          r.actual_value,
        ]),
      ),
      now: await readPhysical(tx),
      sets: await tx.q.selectFrom('change_set').select(['id', 'label']).where('id', '>', baseline.revision).orderBy('id').execute(),
      changes: await tx.q
        .selectFrom('change')
        .select(['id', 'set_id', 'table_name', 'row_id', 'op', 'column_name', 'old_value', 'new_value'])
        .where('set_id', '>', baseline.revision)
        .orderBy('id')
        .execute(),
    };
  });
  const { layout, termPlans, actuals } = read;
  const plans = (ids: string[]) => ids.map((id) => termPlans.get(id) ?? '');

  // A group of cells one paste writes: as the plan was made (no paste yet), or one paste's value in every cell.
  const whole = (now: unknown[], before: unknown[]) => new Set(now).size === 1 || now.every((v, k) => same(v, before[k]));
  const baseRow = (table: string, id: string) => baseline.state.get(table)?.get(id);
  const block = plans(layout.blockRows);
  if (!whole(block, layout.blockRows.map((id) => baseRow('action_row', id)?.term_plan ?? ''))) bad(`half a paste: block rows hold ${[...new Set(block)].join(', ')}`);
  if (acks.block >= 0 && opOf(block[0], 'b') < acks.block) bad(`acknowledged paste b${acks.block} lost (found ${block[0]})`);
  for (const [row, op] of acks.single) {
    const found = termPlans.get(row);
    if (opOf(found, 'v') < op) bad(`acknowledged edit v${op} of ${row} lost (found ${found})`);
  }
  const numbers = layout.targets.map((t) => actuals.get(t) ?? null);
  const baseValues = [...(baseline.state.get('target_value')?.values() ?? [])].filter((r) => Number(r.fiscal_year) === 2020);
  const numbersBefore = layout.targets.map((t) => baseValues.find((r) => r.target_id === t)?.actual_value ?? null);
  if (!whole(numbers, numbersBefore)) bad(`half a number paste: ${numbers.join(', ')}`);
  if (acks.numbers >= 0 && (numbers[0] ?? -1) < acks.numbers) bad(`acknowledged number paste ${acks.numbers} lost (found ${numbers[0]})`);
  const imported = plans(layout.importRows);
  const importedValues = new Set(imported.filter((v) => /^i\d+$/.test(v)));
  if (importedValues.size > 1 || (importedValues.size === 1 && imported.some((v) => !/^i\d+$/.test(v)))) bad(`half an import: ${[...new Set(imported)].join(', ')}`);
  if (acks.imports >= 0 && opOf(imported[0], 'i') < acks.imports) bad(`acknowledged import i${acks.imports} lost (found ${imported[0]})`);

  // Each change set holds what its kind writes, whole.
  const perSet = new Map<number, number>();
  for (const c of read.changes) perSet.set(c.set_id, (perSet.get(c.set_id) ?? 0) + 1);
  for (const s of read.sets) {
    const n = perSet.get(s.id) ?? 0;
    const expected = s.label.startsWith('セルの編集') ? [1] : s.label.startsWith('貼り付け') ? [layout.blockRows.length, layout.targets.length] : s.label.startsWith('取り込み') ? [layout.importRows.length] : [];
    if (!expected.includes(n)) bad(`change set ${s.id} 「${s.label}」 holds ${n} changes (expected ${expected.join(' or ')})`);
  }
  const known = new Set(read.sets.map((s) => s.id));
  const orphans = [...perSet.keys()].filter((id) => !known.has(id));
  if (orphans.length > 0) bad(`changes of no change set: sets ${orphans.slice(0, 5).join(', ')}`);

  for (const p of replayProblems(baseline.state, read.changes, read.now).slice(0, 5)) bad(p);
  return problems;
}

interface LoggedChange {
  id: number;
  table_name: string;
  row_id: string;
  op: string;
  column_name: string | null;
  old_value: string | null;
  new_value: string | null;
}

/** Replays `changes` onto `base` (a copy), checking each against what it replaces; then compares with `now`. */
function replayProblems(base: PhysicalState, changes: LoggedChange[], now: PhysicalState): string[] {
  const problems: string[] = [];
  const state = new Map([...base].map(([table, rows]) => [table, new Map([...rows].map(([id, row]) => [id, { ...row }]))]));
  for (const c of changes) {
    const rows = state.get(c.table_name);
    const where = `change ${c.id} (${c.op} ${c.table_name} ${c.row_id}${c.column_name ? ` ${c.column_name}` : ''})`;
    if (!rows) {
      problems.push(`${where}: not a plan table`);
      continue;
    }
    const row = rows.get(c.row_id);
    if (c.op === 'insert') {
      if (row) problems.push(`${where}: the row was there already`);
      rows.set(c.row_id, parse(c.new_value) as Row);
    } else if (c.op === 'delete') {
      if (!row) problems.push(`${where}: no such row to delete`);
      rows.delete(c.row_id);
    } else if (!row || !c.column_name) problems.push(`${where}: no such row to update`);
    else {
      if (!same(row[c.column_name], parse(c.old_value))) problems.push(`${where}: logged old value ${c.old_value}, the log before it gives ${JSON.stringify(row[c.column_name])}`);
      row[c.column_name] = parse(c.new_value);
    }
  }
  for (const [table, rows] of now) {
    const replayed = state.get(table) ?? new Map<string, Row>();
    for (const [id, row] of rows) {
      const other = replayed.get(id);
      if (!other) {
        problems.push(`${table} ${id}: in the data, not in the log`);
        continue;
      }
      for (const [column, value] of Object.entries(row))
        if (!same(value, other[column])) problems.push(`${table} ${id} ${column}: the data holds ${JSON.stringify(value)}, the log gives ${JSON.stringify(other[column])}`);
    }
    for (const id of replayed.keys()) if (!rows.has(id)) problems.push(`${table} ${id}: in the log, not in the data`);
  }
  return problems;
}
