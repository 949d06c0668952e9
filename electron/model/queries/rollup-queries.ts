import { sql } from 'kysely';
import type { RollupInput, TargetInput, ThemeInput, YearFigure } from '../../../shared/rollup/figures';
import { yearsOfPlan } from '../../../shared/rollup/figures';
import { AppError } from '../../../shared/errors/app-error';
import type { Sqlite } from '../../db/open';
import { qb } from '../../db/query-builder';
import { all, first } from '../../db/sql';

/**
 * Every target's figures with its units and pillar, in ONE query: the years come as a JSON array
 * per target, the responsible units as another (the units assigned to the target's action row, or
 * the branch it belongs to). A target's pillar is its theme's; a target of a row without a theme
 * takes the pillar of the row's themes when they all share one, else the row's band.
 * Order: the action plan's pages and rows, then the branches in unit order, then position.
 */
function targetFiguresQuery() {
  return qb
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
      'th.text as theme_text',
      sql<string | null>`coalesce(th.pillar_id,
        (select case when count(distinct x.pillar_id) = 1 and count(*) = count(x.pillar_id) then max(x.pillar_id) end from theme x where x.row_id = t.row_id),
        r.band_pillar_id)`.as('pillar_id'),
      sql<string>`(select json_group_array(json_array(v.fiscal_year, v.plan_value, v.actual_value))
        from (select * from target_value where target_id = t.id order by fiscal_year) v)`.as('years_json'),
      sql<string>`(select json_group_array(o.unit_id) from (
          select a.unit_id, a.position from assignment a where a.row_id = t.row_id
          union all select t.unit_id, -1 where t.unit_id is not null
          order by 2) o)`.as('unit_ids_json'),
    ])
    .orderBy(sql`t.row_id is null`)
    .orderBy('r.page')
    .orderBy('r.position')
    .orderBy('bu.position')
    .orderBy('t.position');
}

/** Each theme with its pillar and the units of its row (for the theme counts per unit and pillar). */
function themesQuery() {
  return qb
    .selectFrom('theme as th')
    .select(['th.id', 'th.pillar_id', sql<string>`(select json_group_array(a.unit_id) from assignment a where a.row_id = th.row_id)`.as('unit_ids_json')]);
}

type YearTuple = [number, number | null, number | null];

/** Everything the rollup needs from a plan database: four fixed queries, whatever the number of targets. */
export function readRollupInput(sqlite: Sqlite): RollupInput {
  const plan = first(sqlite, qb.selectFrom('plan').select(['id', 'start_year', 'end_year']));
  if (!plan) throw new AppError('not_found', 'このデータベースには計画がありません。', 'no plan row in the database');
  const { start_year: startYear, end_year: endYear } = plan;

  const targets: TargetInput[] = all(sqlite, targetFiguresQuery()).map((row) => {
    const known: YearFigure[] = (JSON.parse(row.years_json) as YearTuple[]).map(([fiscalYear, planValue, actual]) => ({ fiscalYear, plan: planValue, actual }));
    return {
      id: row.id,
      key: row.key,
      label: row.label,
      unit: row.unit,
      note: row.note,
      kind: row.kind,
      direction: row.direction,
      baseline: row.baseline_value === null ? null : { value: row.baseline_value, year: row.baseline_year },
      termGoal: row.term_goal_value,
      years: yearsOfPlan(startYear, endYear, known),
      themeId: row.theme_id,
      themeText: row.theme_text,
      pillarId: row.pillar_id,
      unitIds: [...new Set(JSON.parse(row.unit_ids_json) as string[])],
    };
  });
  const themes: ThemeInput[] = all(sqlite, themesQuery()).map((row) => ({
    id: row.id,
    pillarId: row.pillar_id,
    unitIds: JSON.parse(row.unit_ids_json) as string[],
  }));
  const units = all(sqlite, qb.selectFrom('unit').select(['id', 'name', 'kind', 'position']).orderBy('position'));
  const pillars = all(sqlite, qb.selectFrom('pillar').select(['id', 'kind', 'no', 'name', 'position']).where('plan_id', '=', plan.id).orderBy('position'));
  return { startYear, endYear, targets, themes, units, pillars };
}
