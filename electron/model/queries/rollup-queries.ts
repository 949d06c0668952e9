import { sql } from 'kysely';
import type { RollupInput, TargetInput, ThemeInput, YearFigure } from '../../../shared/rollup/figures';
import { targetDirections, targetKinds } from '../../../shared/domain/editable-fields';
import { AppError } from '../../../shared/errors/app-error';
import type { PlanDb } from '../../db/plan-db';

/**
 * Every target with its pillar, in ONE query. A target's pillar is its theme's; a target of a row
 * without a theme takes the pillar of the row's themes when they all share one, else the row's band.
 * Order: the action plan's pages and rows, then the branches in unit order, then position.
 */
function targetsQuery(db: PlanDb) {
  return db.q
    .selectFrom('target as t')
    .leftJoin('theme as th', 'th.id', 't.theme_id')
    .leftJoin('action_row as r', 'r.id', 't.row_id')
    .leftJoin('unit as bu', 'bu.id', 't.unit_id')
    .select([
      't.id',
      't.key',
      't.label',
      't.unit',
      't.kind',
      't.direction',
      't.baseline_value',
      't.baseline_year',
      't.term_goal_value',
      't.note',
      't.theme_id',
      't.row_id',
      't.unit_id',
      'th.text as theme_text',
      sql<string | null>`coalesce(th.pillar_id,
        (select case when count(distinct x.pillar_id) = 1 and count(*) = count(x.pillar_id) then max(x.pillar_id) end from theme x where x.row_id = t.row_id),
        r.band_pillar_id)`.as('pillar_id'),
    ])
    .orderBy(sql`t.row_id is null`)
    .orderBy('r.page')
    .orderBy('r.position')
    // A table row's targets of no unit come first, as SQLite sorts nulls, on every engine.
    .orderBy('bu.position', (o) => o.asc().nullsFirst())
    .orderBy('t.position');
}

/**
 * The target's own unit, then its row's units, each once (in that order). A target of a row and no
 * unit of its own shares the row's list (`ofRow`, already each once and at its final length): the
 * answer's lists are only read, and a list per target was 9,000 arrays kept alive at 100×.
 */
function unitIdsOf(own: string | null, ofRow: string[]): string[] {
  if (own === null) return ofRow;
  if (ofRow.length === 0) return [own];
  const ids = [own];
  for (const id of ofRow) if (id !== own) ids.push(id);
  return ids.slice();
}

/** One string per kind and direction: the rows' own copies (two per target) then die young. */
const kindOf = new Map<string, TargetInput['kind']>(targetKinds.map((k) => [k, k]));
const directionOf = new Map<string, TargetInput['direction']>(targetDirections.map((d) => [d, d]));

/**
 * Everything the rollup needs from a plan database, in a fixed number of flat queries whatever the
 * number of targets (the years and the units of each target are grouped here, not in SQL), read in
 * one consistent view.
 */
export function readRollupInput(db: PlanDb): Promise<RollupInput> {
  return db.snapshot(readInput);
}

async function readInput(db: PlanDb): Promise<RollupInput> {
  const plan = await db.q.selectFrom('plan').select(['id', 'start_year', 'end_year']).executeTakeFirst();
  if (!plan) throw new AppError('not_found', 'このデータベースには計画がありません。', 'no plan row in the database');
  const { start_year: startYear, end_year: endYear } = plan;

  const targetRows = await targetsQuery(db).execute();
  // The units responsible for a table row: those assigned to it (主な担当), in their order (each
  // once: (row_id, unit_id) is unique). Made at their final length (an array grown by push holds 16
  // slots) and shared by the row's targets and themes, which only read them.
  const grown = new Map<string, string[]>();
  for (const a of await db.q.selectFrom('assignment').select(['row_id', 'unit_id']).orderBy('position').orderBy('id').execute()) {
    const list = grown.get(a.row_id);
    if (list) list.push(a.unit_id);
    else grown.set(a.row_id, [a.unit_id]);
  }
  const assigned = new Map<string, string[]>();
  for (const [rowId, list] of grown) assigned.set(rowId, list.slice());
  const none: string[] = [];
  const unitsOfRow = (rowId: string | null) => (rowId === null ? none : (assigned.get(rowId) ?? none));

  // Each target straight from its row, in one pass. Its years get one slot per fiscal year of the
  // plan, filled below from the values in place (a year without a row keeps nulls, as yearsOfPlan
  // fills them; a year outside the plan is not shown). (target_id, fiscal_year) is unique, so each
  // slot is written at most once.
  const targets = new Array<TargetInput>(targetRows.length);
  const yearsOf = new Map<string, YearFigure[]>();
  const n = Math.max(0, endYear - startYear + 1);
  for (let i = 0; i < targetRows.length; i++) {
    const row = targetRows[i]!;
    const years = new Array<YearFigure>(n);
    for (let k = 0; k < n; k++) years[k] = { fiscalYear: startYear + k, plan: null, actual: null };
    yearsOf.set(row.id, years);
    targets[i] = {
      id: row.id,
      key: row.key,
      label: row.label,
      unit: row.unit,
      note: row.note,
      kind: kindOf.get(row.kind) ?? row.kind,
      direction: directionOf.get(row.direction) ?? row.direction,
      baseline: row.baseline_value === null ? null : { value: row.baseline_value, year: row.baseline_year },
      termGoal: row.term_goal_value,
      years,
      themeId: row.theme_id,
      themeText: row.theme_text,
      pillarId: row.pillar_id,
      // The target's own unit (a branch's target) first, then the units of its table row.
      unitIds: unitIdsOf(row.unit_id, unitsOfRow(row.row_id)),
    };
  }
  const values = await db.q.selectFrom('target_value').select(['target_id', 'fiscal_year', 'plan_value', 'actual_value']).orderBy('fiscal_year').execute();
  for (const v of values) {
    const fy = v.fiscal_year;
    if (fy < startYear || fy > endYear) continue;
    const slot = yearsOf.get(v.target_id)?.[fy - startYear];
    if (slot) {
      slot.plan = v.plan_value;
      slot.actual = v.actual_value;
    }
  }
  // Each theme with its pillar and the units of its row (for the theme counts per unit and pillar).
  const themes: ThemeInput[] = (await db.q.selectFrom('theme').select(['id', 'pillar_id', 'row_id']).orderBy('id').execute()).map((row) => ({
    id: row.id,
    pillarId: row.pillar_id,
    unitIds: unitsOfRow(row.row_id),
  }));
  const units = await db.q.selectFrom('unit').select(['id', 'name', 'kind', 'position']).orderBy('position').execute();
  const pillars = await db.q.selectFrom('pillar').select(['id', 'kind', 'no', 'name', 'position']).where('plan_id', '=', plan.id).orderBy('position').execute();
  return { startYear, endYear, targets, themes, units, pillars };
}
