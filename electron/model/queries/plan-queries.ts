import { sql } from 'kysely';
import type { ActionRowView } from '../../../shared/domain/action-plan';
import { fiscalYearsOf, type PlanSummary } from '../../../shared/domain/plan';
import type { UnitWithCounts } from '../../../shared/domain/units';
import { AppError } from '../../../shared/errors/app-error';
import type { PlanDb } from '../../db/plan-db';
import { groupBy } from '../../db/group-by';

export function planSummary(db: PlanDb): Promise<PlanSummary> {
  return db.snapshot(readSummary);
}

async function readSummary(db: PlanDb): Promise<PlanSummary> {
  const plan = await db.q.selectFrom('plan').selectAll().executeTakeFirst();
  if (!plan) throw new AppError('not_found', 'このデータベースには計画がありません。', 'no plan row in the database');
  const pillars = await db.q.selectFrom('pillar').select(['id', 'key', 'kind', 'no', 'name']).where('plan_id', '=', plan.id).orderBy('position').execute();
  return {
    id: plan.id,
    title: plan.title,
    periodLabel: plan.period_label,
    startYear: plan.start_year,
    endYear: plan.end_year,
    fiscalYears: fiscalYearsOf(plan.start_year, plan.end_year),
    pillars,
  };
}

export function listUnits(db: PlanDb): Promise<UnitWithCounts[]> {
  return db.snapshot(readUnits);
}

async function readUnits(db: PlanDb): Promise<UnitWithCounts[]> {
  const units = await db.q.selectFrom('unit').select(['id', 'kind', 'name', 'short_name', 'position']).orderBy('position').execute();
  // Counts per unit by GROUP BY (one pass each), not a correlated subquery per unit: the sidebar
  // is on the first screen and a large chamber has thousands of units and targets. The four
  // counts are one statement (each tagged with what it counts): one round trip to PostgreSQL, and
  // on a file just opened one statement to prepare instead of four.
  const counts = await db.q
    .selectFrom('target')
    .select((e) => [sql.lit('own').as('what'), 'unit_id', e.fn.countAll<number>().as('n')])
    .where('unit_id', 'is not', null)
    .groupBy('unit_id')
    .unionAll((q) => q.selectFrom('assignment').select((e) => [sql.lit('rows').as('what'), 'unit_id', e.fn.countAll<number>().as('n')]).groupBy('unit_id'))
    .unionAll((q) => q.selectFrom('target as t').innerJoin('assignment as a', 'a.row_id', 't.row_id').select((e) => [sql.lit('viaRows').as('what'), 'a.unit_id', e.fn.countAll<number>().as('n')]).groupBy('a.unit_id'))
    .unionAll((q) => q.selectFrom('unit_focus_unit').select((e) => [sql.lit('focus').as('what'), 'unit_id', e.fn.countAll<number>().as('n')]).groupBy('unit_id'))
    .execute();
  const counted = (what: string) => new Map(counts.filter((r) => r.what === what).map((r) => [r.unit_id, Number(r.n)]));
  const [rowCounts, viaRows, own, focus] = [counted('rows'), counted('viaRows'), counted('own'), counted('focus')];
  return units.map((u) => ({
    id: u.id,
    kind: u.kind,
    name: u.name,
    shortName: u.short_name,
    position: u.position,
    rowCount: rowCounts.get(u.id) ?? 0,
    targetCount: (viaRows.get(u.id) ?? 0) + (own.get(u.id) ?? 0),
    focusCount: focus.get(u.id) ?? 0,
  }));
}

/** The action rows in document order (those a unit is assigned to, when given). */
function actionRowsInOrder(db: PlanDb, unitId?: string) {
  const q = db.q.selectFrom('action_row').orderBy('page').orderBy('position');
  return unitId ? q.where('id', 'in', db.q.selectFrom('assignment').select('row_id').where('unit_id', '=', unitId)) : q;
}

/** The ids of the action rows in document order: what a change that adds, removes or moves rows answers with. */
export async function actionRowOrder(db: PlanDb, unitId?: string): Promise<string[]> {
  return (await actionRowsInOrder(db, unitId).select('id').execute()).map((r) => r.id);
}

/**
 * The action-plan rows in document order; one query per table, joined in memory by row id.
 * `only`: just these rows (the rows a change touched), still in order; the other tables are then read for them alone.
 */
export function listActionRows(db: PlanDb, fiscalYear: number, unitId?: string, only?: readonly string[]): Promise<ActionRowView[]> {
  return db.snapshot((tx) => readActionRows(tx, fiscalYear, unitId, only));
}

async function readActionRows(db: PlanDb, fiscalYear: number, unitId?: string, only?: readonly string[]): Promise<ActionRowView[]> {
  if (only && only.length === 0) return [];
  let rowQuery = actionRowsInOrder(db, unitId).selectAll();
  if (only) rowQuery = rowQuery.where('id', 'in', only);
  let themeQuery = db.q.selectFrom('theme').select(['id', 'row_id', 'text', 'pillar_id']).orderBy('row_id').orderBy('position');
  let yearQuery = db.q.selectFrom('year_plan').select(['row_id', 'text']).where('fiscal_year', '=', fiscalYear);
  let assignmentQuery = db.q.selectFrom('assignment').select(['row_id', 'unit_id']).orderBy('row_id').orderBy('position');
  if (only) {
    // The rows asked for, whether or not they are still there (one that is not is simply not shown).
    themeQuery = themeQuery.where('row_id', 'in', only);
    yearQuery = yearQuery.where('row_id', 'in', only);
    assignmentQuery = assignmentQuery.where('row_id', 'in', only);
  }
  // Asked together: on PostgreSQL one pipeline, not a round trip each.
  const [rows, themes, years, assignments] = await Promise.all([rowQuery.execute(), themeQuery.execute(), yearQuery.execute(), assignmentQuery.execute()]);
  const themesByRow = groupBy(themes, (t) => t.row_id);
  const yearByRow = new Map(years.map((y) => [y.row_id, y.text]));
  const unitsByRow = groupBy(assignments, (a) => a.row_id);
  return rows.map((r) => ({
    id: r.id,
    page: r.page,
    position: r.position,
    heading: r.heading,
    bandPillarId: r.band_pillar_id,
    themes: (themesByRow.get(r.id) ?? []).map((t) => ({ id: t.id, text: t.text, pillarId: t.pillar_id })),
    termPlan: r.term_plan,
    fiscalYear,
    yearPlan: yearByRow.get(r.id) ?? null,
    unitIds: (unitsByRow.get(r.id) ?? []).map((a) => a.unit_id),
  }));
}
