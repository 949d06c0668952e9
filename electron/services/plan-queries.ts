import type { ActionRowView } from '../../shared/domain/action-plan';
import { fiscalYearsOf, type PlanSummary } from '../../shared/domain/plan';
import type { UnitWithCounts } from '../../shared/domain/units';
import { AppError } from '../../shared/contract/errors';
import type { Sqlite } from '../db/open';
import { qb } from '../db/query-builder';
import { all, first } from '../db/sql';

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
  const rows = all(
    sqlite,
    qb
      .selectFrom('unit as u')
      .select((eb) => [
        'u.id',
        'u.kind',
        'u.name',
        'u.short_name',
        'u.position',
        eb.selectFrom('assignment').select((e) => e.fn.countAll<number>().as('n')).whereRef('assignment.unit_id', '=', 'u.id').as('row_count'),
        eb
          .selectFrom('target')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where((w) =>
            w.or([
              w('target.unit_id', '=', w.ref('u.id')),
              w('target.row_id', 'in', w.selectFrom('assignment').select('assignment.row_id').whereRef('assignment.unit_id', '=', 'u.id')),
            ]),
          )
          .as('target_count'),
        eb.selectFrom('unit_focus_unit').select((e) => e.fn.countAll<number>().as('n')).whereRef('unit_focus_unit.unit_id', '=', 'u.id').as('focus_count'),
      ])
      .orderBy('u.position'),
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    shortName: r.short_name,
    position: r.position,
    rowCount: Number(r.row_count ?? 0),
    targetCount: Number(r.target_count ?? 0),
    focusCount: Number(r.focus_count ?? 0),
  }));
}

/** The action-plan rows in document order; one query per table, joined in memory by row id. */
export function listActionRows(sqlite: Sqlite, fiscalYear: number, unitId?: string): ActionRowView[] {
  let rowQuery = qb.selectFrom('action_row').selectAll().orderBy('page').orderBy('position');
  if (unitId) rowQuery = rowQuery.where('id', 'in', qb.selectFrom('assignment').select('row_id').where('unit_id', '=', unitId));
  const rows = all(sqlite, rowQuery);
  const themes = all(sqlite, qb.selectFrom('theme').select(['id', 'row_id', 'text', 'pillar_id']).orderBy('row_id').orderBy('position'));
  const years = all(sqlite, qb.selectFrom('year_plan').select(['row_id', 'text']).where('fiscal_year', '=', fiscalYear));
  const assignments = all(sqlite, qb.selectFrom('assignment').select(['row_id', 'unit_id']).orderBy('row_id').orderBy('position'));

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

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
