import type { ActionRowView } from '../../../shared/domain/action-plan';
import { fiscalYearsOf, type PlanSummary } from '../../../shared/domain/plan';
import type { UnitWithCounts } from '../../../shared/domain/units';
import { AppError } from '../../../shared/errors/app-error';
import type { Sqlite } from '../../db/open';
import { qb } from '../../db/query-builder';
import { all, first } from '../../db/sql';
import { groupBy } from '../../db/group-by';

export function planSummary(sqlite: Sqlite): PlanSummary {
  const plan = first(sqlite, qb.selectFrom('plan').selectAll());
  if (!plan) throw new AppError('not_found', 'このデータベースには計画がありません。', 'no plan row in the database');
  const pillars = all(sqlite, qb.selectFrom('pillar').select(['id', 'key', 'kind', 'no', 'name']).where('plan_id', '=', plan.id).orderBy('position'));
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

export function listUnits(sqlite: Sqlite): UnitWithCounts[] {
  const units = all(sqlite, qb.selectFrom('unit').select(['id', 'kind', 'name', 'short_name', 'position']).orderBy('position'));
  // Counts per unit by GROUP BY (one pass each), not a correlated subquery per unit: the sidebar
  // is on the first screen and a large chamber has thousands of units and targets.
  const counted = (rows: { unit_id: string | null; n: number }[]) => new Map(rows.map((r) => [r.unit_id, Number(r.n)]));
  const rowCounts = counted(all(sqlite, qb.selectFrom('assignment').select((e) => ['unit_id', e.fn.countAll<number>().as('n')]).groupBy('unit_id')));
  const viaRows = counted(
    all(sqlite, qb.selectFrom('target as t').innerJoin('assignment as a', 'a.row_id', 't.row_id').select((e) => ['a.unit_id', e.fn.countAll<number>().as('n')]).groupBy('a.unit_id')),
  );
  const own = counted(all(sqlite, qb.selectFrom('target').select((e) => ['unit_id', e.fn.countAll<number>().as('n')]).where('unit_id', 'is not', null).groupBy('unit_id')));
  const focus = counted(all(sqlite, qb.selectFrom('unit_focus_unit').select((e) => ['unit_id', e.fn.countAll<number>().as('n')]).groupBy('unit_id')));
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
function actionRowsInOrder(unitId?: string) {
  const q = qb.selectFrom('action_row').orderBy('page').orderBy('position');
  return unitId ? q.where('id', 'in', qb.selectFrom('assignment').select('row_id').where('unit_id', '=', unitId)) : q;
}

/** The ids of the action rows in document order: what a change that adds, removes or moves rows answers with. */
export function actionRowOrder(sqlite: Sqlite, unitId?: string): string[] {
  return all(sqlite, actionRowsInOrder(unitId).select('id')).map((r) => r.id);
}

/**
 * The action-plan rows in document order; one query per table, joined in memory by row id.
 * `only`: just these rows (the rows a change touched), still in order; the other tables are then read for them alone.
 */
export function listActionRows(sqlite: Sqlite, fiscalYear: number, unitId?: string, only?: readonly string[]): ActionRowView[] {
  let rowQuery = actionRowsInOrder(unitId).selectAll();
  if (only) rowQuery = rowQuery.where('id', 'in', only);
  const rows = all(sqlite, rowQuery);
  if (only && rows.length === 0) return [];
  let themeQuery = qb.selectFrom('theme').select(['id', 'row_id', 'text', 'pillar_id']).orderBy('row_id').orderBy('position');
  let yearQuery = qb.selectFrom('year_plan').select(['row_id', 'text']).where('fiscal_year', '=', fiscalYear);
  let assignmentQuery = qb.selectFrom('assignment').select(['row_id', 'unit_id']).orderBy('row_id').orderBy('position');
  if (only) {
    const ids = rows.map((r) => r.id);
    themeQuery = themeQuery.where('row_id', 'in', ids);
    yearQuery = yearQuery.where('row_id', 'in', ids);
    assignmentQuery = assignmentQuery.where('row_id', 'in', ids);
  }
  const themes = all(sqlite, themeQuery);
  const years = all(sqlite, yearQuery);
  const assignments = all(sqlite, assignmentQuery);
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
