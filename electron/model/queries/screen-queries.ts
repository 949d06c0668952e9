import type { OverviewItemView, TargetRowView, UnitFocusRowView } from '../../../shared/domain/editing';
import type { UnitKind } from '../../../shared/domain/units';
import type { PlanDb } from '../../db/plan-db';
import { focusGroupOf } from '../editing/apply-edits';

/** The action rows a unit is assigned to (主な担当). */
const rowsOfUnit = (db: PlanDb, unitId: string) => db.q.selectFrom('assignment').select('row_id').where('unit_id', '=', unitId);

/** Targets in document order: those of action rows by page and position, then the branches' by branch order. */
function targetsInOrder(db: PlanDb, unitId?: string) {
  const q = db.q
    .selectFrom('target as t')
    .leftJoin('action_row as r', 'r.id', 't.row_id')
    .leftJoin('unit as u', 'u.id', 't.unit_id')
    .orderBy((e) => e.fn.coalesce('r.page', e.lit(999)))
    .orderBy('r.position')
    // A table row's targets with a unit before or after those without, as SQLite sorts nulls, on every engine.
    .orderBy('u.position', (o) => o.asc().nullsFirst())
    .orderBy('t.position');
  return unitId ? q.where((w) => w.or([w('t.unit_id', '=', unitId), w('t.row_id', 'in', rowsOfUnit(db, unitId))])) : q;
}

/** The first theme of each action row (of `rowIds` only, when given), for orientation. */
async function firstThemes(db: PlanDb, rowIds?: readonly string[]): Promise<Map<string, string>> {
  if (rowIds?.length === 0) return new Map();
  const q = db.q.selectFrom('theme').select(['row_id', 'text']).orderBy('row_id').orderBy('position').orderBy('id');
  return new Map((await (rowIds ? q.where('row_id', 'in', rowIds) : q).execute()).reverse().map((t) => [t.row_id, t.text]));
}

const present = <T>(v: T | null): v is T => v !== null;

/**
 * Targets in document order (see targetsInOrder). `only`: just these targets (the rows a change
 * touched), still in order; the other tables are then read for them alone.
 */
export function listTargets(db: PlanDb, unitId?: string, only?: readonly string[]): Promise<TargetRowView[]> {
  return db.snapshot((tx) => readTargets(tx, unitId, only));
}

async function readTargets(db: PlanDb, unitId?: string, only?: readonly string[]): Promise<TargetRowView[]> {
  let q = targetsInOrder(db, unitId)
    .leftJoin('theme as th', 'th.id', 't.theme_id')
    .select([
      't.id', 't.row_id', 't.theme_id', 't.unit_id', 't.label', 't.unit', 't.kind', 't.direction', 't.baseline_value', 't.baseline_year',
      't.term_goal_value', 't.note', 'u.name as unit_name', 'th.text as theme_text',
    ]);
  if (only) q = q.where('t.id', 'in', only);
  const targets = await q.execute();
  if (only && targets.length === 0) return [];
  const themes = await firstThemes(db, only ? [...new Set(targets.map((t) => t.row_id).filter(present))] : undefined);
  const valueQuery = db.q.selectFrom('target_value').select(['target_id', 'fiscal_year', 'plan_value', 'actual_value']);
  const values = await (only ? valueQuery.where('target_id', 'in', targets.map((t) => t.id)) : valueQuery).execute();
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
    owner: t.theme_text ?? (t.row_id ? (themes.get(t.row_id) ?? '') : (t.unit_name ?? '')),
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

const unitsOf = (db: PlanDb, which: 'branches' | 'committees', unitId?: string) => {
  const kinds: UnitKind[] = which === 'branches' ? ['branch'] : committeeKinds;
  const q = db.q.selectFrom('unit').where('kind', 'in', kinds);
  return unitId ? q.where('id', '=', unitId) : q;
};

/** The FY2021 table lists 部会, then 委員会, 女性会, 青年部; units keep their own order inside a group. */
const tableOrder = (a: { kind: UnitKind; position: number }, b: { kind: UnitKind; position: number }) =>
  committeeKinds.indexOf(a.kind) - committeeKinds.indexOf(b.kind) || a.position - b.position;

/**
 * Units with their focus texts by period: the 23 branches (page ⑦ and the FY2021 blocks), or the
 * sections, committees, women's association and youth group (the FY2021 table), in table order.
 * `only`: just these units (the rows a change touched), with the focus texts they share.
 */
export function listUnitFocus(db: PlanDb, which: 'branches' | 'committees', unitId?: string, only?: readonly string[]): Promise<UnitFocusRowView[]> {
  return db.snapshot((tx) => readUnitFocus(tx, which, unitId, only));
}

async function readUnitFocus(db: PlanDb, which: 'branches' | 'committees', unitId?: string, only?: readonly string[]): Promise<UnitFocusRowView[]> {
  let q = unitsOf(db, which, unitId).select(['id', 'kind', 'name', 'position']);
  if (only) q = q.where('id', 'in', only);
  const units = await q.orderBy('position').execute();
  if (only && units.length === 0) return [];
  let linkQuery = db.q
    .selectFrom('unit_focus_unit as fu')
    .innerJoin('unit_focus as f', 'f.id', 'fu.focus_id')
    .select(['fu.unit_id', 'f.id', 'f.period', 'f.text'])
    .orderBy('f.position')
    .orderBy('fu.position');
  // For some units: the links of the texts they hold, so that sharedWith names every unit of a text.
  if (only) linkQuery = linkQuery.where('fu.focus_id', 'in', db.q.selectFrom('unit_focus_unit').select('focus_id').where('unit_id', 'in', units.map((u) => u.id)));
  const links = await linkQuery.execute();
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
  rows.sort(tableOrder);
  return rows.map(({ position: _position, ...r }) => r);
}

function overviewInOrder(db: PlanDb, fiscalYear: number, unitId?: string) {
  const q = db.q
    .selectFrom('overview_item as i')
    .innerJoin('overview_group as g', 'g.id', 'i.group_id')
    .innerJoin('overview_section as s', 's.id', 'g.section_id')
    .where('s.fiscal_year', '=', fiscalYear)
    .orderBy('s.position')
    .orderBy('g.position')
    .orderBy('i.position');
  return unitId ? q.where('i.row_id', 'in', rowsOfUnit(db, unitId)) : q;
}

/**
 * The annual overview items of a fiscal year by section and group, with the first theme of a
 * linked action row. `only`: just these items (the rows a change touched), still in order.
 */
export function listOverviewItems(db: PlanDb, fiscalYear: number, unitId?: string, only?: readonly string[]): Promise<OverviewItemView[]> {
  return db.snapshot((tx) => readOverviewItems(tx, fiscalYear, unitId, only));
}

async function readOverviewItems(db: PlanDb, fiscalYear: number, unitId?: string, only?: readonly string[]): Promise<OverviewItemView[]> {
  let q = overviewInOrder(db, fiscalYear, unitId).select(['i.id', 'i.no', 'i.text', 'i.is_new', 'i.row_id', 'g.id as group_id', 'g.heading', 'g.category', 's.id as section_id', 's.title']);
  if (only) q = q.where('i.id', 'in', only);
  const items = await q.execute();
  if (only && items.length === 0) return [];
  const themes = await firstThemes(db, only ? [...new Set(items.map((i) => i.row_id).filter(present))] : undefined);
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
    rowTheme: i.row_id ? (themes.get(i.row_id) ?? null) : null,
  }));
}

/** The ids of a screen's rows in the order it shows them: what a change that adds, removes or moves rows answers with. */
export const screenOrder = {
  targets: async (db: PlanDb, unitId?: string): Promise<string[]> => (await targetsInOrder(db, unitId).select('t.id').execute()).map((t) => t.id),
  unitFocus: async (db: PlanDb, which: 'branches' | 'committees', unitId?: string): Promise<string[]> =>
    (await unitsOf(db, which, unitId).select(['id', 'kind', 'position']).orderBy('position').execute()).sort(tableOrder).map((u) => u.id),
  overview: async (db: PlanDb, fiscalYear: number, unitId?: string): Promise<string[]> =>
    (await overviewInOrder(db, fiscalYear, unitId).select('i.id').execute()).map((i) => i.id),
};
