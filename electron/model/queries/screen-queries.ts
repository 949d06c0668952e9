import type { OverviewItemView, TargetRowView, UnitFocusRowView } from '../../../shared/domain/editing';
import type { UnitKind } from '../../../shared/domain/units';
import type { Sqlite } from '../../db/open';
import { qb } from '../../db/query-builder';
import { all } from '../../db/sql';
import { focusGroupOf } from '../editing/apply-edits';

/** The action rows a unit is assigned to (主な担当). */
const rowsOfUnit = (unitId: string) => qb.selectFrom('assignment').select('row_id').where('unit_id', '=', unitId);

/** Targets in document order: those of action rows by page and position, then the branches' by branch order. */
export function listTargets(sqlite: Sqlite, unitId?: string): TargetRowView[] {
  let q = qb
    .selectFrom('target as t')
    .leftJoin('action_row as r', 'r.id', 't.row_id')
    .leftJoin('unit as u', 'u.id', 't.unit_id')
    .leftJoin('theme as th', 'th.id', 't.theme_id')
    .select([
      't.id', 't.row_id', 't.theme_id', 't.unit_id', 't.label', 't.unit', 't.kind', 't.direction', 't.baseline_value', 't.baseline_year',
      't.term_goal_value', 't.note', 't.position', 'r.page', 'r.position as row_position', 'u.name as unit_name', 'u.position as unit_position', 'th.text as theme_text',
    ])
    .orderBy((e) => e.fn.coalesce('r.page', e.lit(999)))
    .orderBy('r.position')
    .orderBy('u.position')
    .orderBy('t.position');
  if (unitId) q = q.where((w) => w.or([w('t.unit_id', '=', unitId), w('t.row_id', 'in', rowsOfUnit(unitId))]));
  const targets = all(sqlite, q);
  const firstThemes = new Map(
    all(sqlite, qb.selectFrom('theme').select(['row_id', 'text']).orderBy('row_id').orderBy('position').orderBy('id')).reverse().map((t) => [t.row_id, t.text]),
  );
  const values = all(sqlite, qb.selectFrom('target_value').select(['target_id', 'fiscal_year', 'plan_value', 'actual_value']));
  const valuesOf = new Map<string, TargetRowView['values']>();
  for (const v of values) {
    const m = valuesOf.get(v.target_id) ?? {};
    m[String(v.fiscal_year)] = { plan: v.plan_value, actual: v.actual_value };
    valuesOf.set(v.target_id, m);
  }
  return targets.map((t) => ({
    id: t.id,
    rowId: t.row_id,
    themeId: t.theme_id,
    unitId: t.unit_id,
    owner: t.theme_text ?? (t.row_id ? (firstThemes.get(t.row_id) ?? '') : (t.unit_name ?? '')),
    label: t.label,
    unit: t.unit,
    kind: t.kind,
    direction: t.direction,
    baselineValue: t.baseline_value,
    baselineYear: t.baseline_year,
    termGoalValue: t.term_goal_value,
    note: t.note,
    values: valuesOf.get(t.id) ?? {},
  }));
}

const committeeKinds: UnitKind[] = ['section', 'committee', 'womens_association', 'youth_group'];

/**
 * Units with their focus texts by period: the 23 branches (page ⑦ and the FY2021 blocks), or the
 * sections, committees, women's association and youth group (the FY2021 table), in table order.
 */
export function listUnitFocus(sqlite: Sqlite, which: 'branches' | 'committees', unitId?: string): UnitFocusRowView[] {
  const kinds: UnitKind[] = which === 'branches' ? ['branch'] : committeeKinds;
  let q = qb.selectFrom('unit').select(['id', 'kind', 'name', 'position']).where('kind', 'in', kinds);
  if (unitId) q = q.where('id', '=', unitId);
  const units = all(sqlite, q.orderBy('position'));
  const links = all(
    sqlite,
    qb
      .selectFrom('unit_focus_unit as fu')
      .innerJoin('unit_focus as f', 'f.id', 'fu.focus_id')
      .select(['fu.unit_id', 'f.id', 'f.period', 'f.text'])
      .orderBy('f.position')
      .orderBy('fu.position'),
  );
  // One pass over the links, grouped both ways (a scan of all links per unit grew with units × links).
  const unitsOfFocus = new Map<string, string[]>();
  const linksOfUnit = new Map<string, typeof links>();
  for (const l of links) {
    const shared = unitsOfFocus.get(l.id);
    if (shared) shared.push(l.unit_id);
    else unitsOfFocus.set(l.id, [l.unit_id]);
    const own = linksOfUnit.get(l.unit_id);
    if (own) own.push(l);
    else linksOfUnit.set(l.unit_id, [l]);
  }
  const rows = units.map((u) => {
    const focus: UnitFocusRowView['focus'] = {};
    for (const l of linksOfUnit.get(u.id) ?? []) if (!focus[l.period]) focus[l.period] = { focusId: l.id, text: l.text, sharedWith: unitsOfFocus.get(l.id) ?? [u.id] };
    return { unitId: u.id, kind: u.kind, name: u.name, group: u.kind === 'branch' ? null : (focusGroupOf[u.kind] ?? null), focus, position: u.position };
  });
  // The FY2021 table lists 部会, then 委員会, 女性会, 青年部; units keep their own order inside a group.
  const groupRank = (r: (typeof rows)[number]) => committeeKinds.indexOf(r.kind);
  rows.sort((a, b) => groupRank(a) - groupRank(b) || a.position - b.position);
  return rows.map(({ position: _position, ...r }) => r);
}

/** The annual overview items of a fiscal year by section and group, with the first theme of a linked action row. */
export function listOverviewItems(sqlite: Sqlite, fiscalYear: number, unitId?: string): OverviewItemView[] {
  let q = qb
    .selectFrom('overview_item as i')
    .innerJoin('overview_group as g', 'g.id', 'i.group_id')
    .innerJoin('overview_section as s', 's.id', 'g.section_id')
    .select(['i.id', 'i.no', 'i.text', 'i.is_new', 'i.row_id', 'g.id as group_id', 'g.heading', 'g.category', 's.id as section_id', 's.title'])
    .where('s.fiscal_year', '=', fiscalYear)
    .orderBy('s.position')
    .orderBy('g.position')
    .orderBy('i.position');
  if (unitId) q = q.where('i.row_id', 'in', rowsOfUnit(unitId));
  const items = all(sqlite, q);
  const firstThemes = new Map(
    all(sqlite, qb.selectFrom('theme').select(['row_id', 'text']).orderBy('row_id').orderBy('position').orderBy('id')).reverse().map((t) => [t.row_id, t.text]),
  );
  return items.map((i) => ({
    id: i.id,
    sectionId: i.section_id,
    sectionTitle: i.title,
    groupId: i.group_id,
    groupLabel: [i.heading, i.category].filter(Boolean).join(' '),
    no: i.no,
    text: i.text,
    isNew: i.is_new === 1,
    rowId: i.row_id,
    rowTheme: i.row_id ? (firstThemes.get(i.row_id) ?? null) : null,
  }));
}
