import type { RowOf } from '../../shared/model/registry';
import type { SeedBundle, SeedTarget } from '../../shared/seed/schema';
import type { PlanDb } from '../db/plan-db';
import { groupBy } from '../db/group-by';

const unitFocusTitle = '部会・委員会・女性会・青年部における重点取り組み内容';
const overviewTitle = (fy: number) => `${fy}年度 事業活動計画`;

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

function targetToSeed(t: RowOf<'target'>, values: RowOf<'target_value'>[], themeKey: (id: string) => string | undefined): SeedTarget {
  const plans: NonNullable<SeedTarget['plans']> = {};
  const actuals: Record<string, number> = {};
  for (const v of values) {
    if (v.plan_value !== null) plans[String(v.fiscal_year)] = { value: v.plan_value, ...(v.plan_text ? { text: v.plan_text } : {}) };
    if (v.actual_value !== null) actuals[String(v.fiscal_year)] = v.actual_value;
  }
  const out: SeedTarget = { id: t.id, key: t.key ?? t.id, label: t.label, unit: t.unit, kind: t.kind, direction: t.direction };
  const theme = t.theme_id ? themeKey(t.theme_id) : undefined;
  if (theme) out.theme = theme;
  if (t.baseline_value !== null)
    out.baseline = { value: t.baseline_value, ...(t.baseline_year !== null ? { year: t.baseline_year } : {}), ...(t.baseline_text ? { text: t.baseline_text } : {}) };
  if (t.term_goal_value !== null) out.termGoal = { value: t.term_goal_value, ...(t.term_goal_text ? { text: t.term_goal_text } : {}) };
  if (Object.keys(plans).length) out.plans = plans;
  if (Object.keys(actuals).length) out.actuals = actuals;
  if (t.note !== null) out.note = t.note;
  return out;
}

/**
 * The whole plan in the seed shape, with every id: `init` from it rebuilds the same database. Where
 * each column goes is `seedPlaces` (shared/seed/schema.ts), which a new registry column must join.
 * Read as one consistent view; every query names its whole order (ending with the id), since
 * PostgreSQL has no storage order and the same plan must give the same bytes on both engines.
 */
export async function dumpPlan(db: PlanDb): Promise<SeedBundle> {
  return db.snapshot((tx) => dumpFrom(tx.q));
}

async function dumpFrom(q: PlanDb['q']): Promise<SeedBundle> {
  const plan = await q.selectFrom('plan').selectAll().orderBy('id').executeTakeFirst();
  if (!plan) throw new Error('no plan in database');
  const listItems = await q.selectFrom('plan_list_item').selectAll().orderBy('list').orderBy('position').orderBy('id').execute();
  const groups = await q.selectFrom('challenge_group').selectAll().orderBy('position').orderBy('id').execute();
  const challenges = groupBy(await q.selectFrom('challenge').selectAll().orderBy('position').orderBy('id').execute(), (c) => c.group_id);
  const pillars = await q.selectFrom('pillar').selectAll().orderBy('position').orderBy('id').execute();
  const pillarKey = new Map(pillars.map((p) => [p.id, p.key]));
  const units = await q.selectFrom('unit').selectAll().orderBy('position').orderBy('id').execute();
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const rows = await q.selectFrom('action_row').selectAll().orderBy('page').orderBy('position').orderBy('id').execute();
  const rowKey = new Map(rows.map((r) => [r.id, r.key ?? r.id]));
  const themes = await q.selectFrom('theme').selectAll().orderBy('position').orderBy('id').execute();
  const themeKey = new Map(themes.map((t) => [t.id, t.key ?? t.id]));
  const themesByRow = groupBy(themes, (t) => t.row_id);
  const yearPlans = groupBy(await q.selectFrom('year_plan').selectAll().orderBy('fiscal_year').orderBy('id').execute(), (y) => y.row_id);
  const assignments = groupBy(await q.selectFrom('assignment').selectAll().orderBy('position').orderBy('id').execute(), (a) => a.row_id);
  const targets = await q.selectFrom('target').selectAll().orderBy('position').orderBy('id').execute();
  const values = groupBy(await q.selectFrom('target_value').selectAll().orderBy('fiscal_year').orderBy('id').execute(), (v) => v.target_id);
  const targetsByRow = groupBy(targets.filter((t) => t.row_id), (t) => t.row_id!);
  const targetsByUnit = groupBy(targets.filter((t) => t.unit_id && !t.row_id), (t) => t.unit_id!);
  const toSeed = (t: RowOf<'target'>) => targetToSeed(t, values.get(t.id) ?? [], (id) => themeKey.get(id));

  const pages = [...groupBy(rows, (r) => r.page).entries()].map(([page, pageRows]) => ({
    page,
    rows: pageRows.map((r) => ({
      id: r.id,
      key: r.key ?? r.id,
      ...(r.heading !== null ? { heading: r.heading } : {}),
      ...(r.band_pillar_id ? { band: pillarKey.get(r.band_pillar_id)! } : {}),
      themes: (themesByRow.get(r.id) ?? []).map((t) => ({ id: t.id, key: t.key ?? t.id, text: t.text, ...(t.pillar_id ? { pillar: pillarKey.get(t.pillar_id)! } : {}) })),
      ...(r.term_plan !== '' ? { termPlan: r.term_plan } : {}),
      ...(yearPlans.has(r.id) ? { yearPlans: Object.fromEntries(yearPlans.get(r.id)!.map((y) => [String(y.fiscal_year), y.text])) } : {}),
      units: (assignments.get(r.id) ?? []).map((a) => unitName.get(a.unit_id)!),
      targets: (targetsByRow.get(r.id) ?? []).map(toSeed),
    })),
  }));

  const focus = await q.selectFrom('unit_focus').selectAll().orderBy('position').orderBy('id').execute();
  const focusUnits = groupBy(await q.selectFrom('unit_focus_unit').selectAll().orderBy('position').orderBy('id').execute(), (f) => f.focus_id);
  const branchFocus = focus.filter((f) => f.group_heading === null);
  const branchUnits = units.filter((u) => branchFocus.some((f) => focusUnits.get(f.id)?.[0]?.unit_id === u.id) || targetsByUnit.has(u.id));
  const branches = branchUnits.map((u) => {
    const mine = branchFocus.filter((f) => focusUnits.get(f.id)?.[0]?.unit_id === u.id);
    const term = mine.find((f) => f.period === 'term');
    const byYear = mine.filter((f) => f.period !== 'term');
    return {
      unit: u.name,
      ...(term ? { termFocus: term.text } : {}),
      ...(byYear.length ? { focus: Object.fromEntries(byYear.map((f) => [f.period, f.text])) } : {}),
      targets: (targetsByUnit.get(u.id) ?? []).map(toSeed),
      ids: Object.fromEntries(mine.map((f) => [f.period, f.id])),
    };
  });
  const jointUnits = groupBy(await q.selectFrom('joint_project_unit').selectAll().orderBy('position').orderBy('id').execute(), (j) => j.project_id);
  const jointProjects = (await q.selectFrom('joint_project').selectAll().orderBy('position').orderBy('id').execute()).map((j) => ({
    id: j.id,
    key: j.key ?? j.id,
    fiscalYear: j.fiscal_year,
    title: j.title,
    units: (jointUnits.get(j.id) ?? []).map((x) => unitName.get(x.unit_id)!),
    projects: j.project_names === '' ? [] : j.project_names.split('\n'),
    text: j.text,
  }));

  const sections = await q.selectFrom('overview_section').selectAll().orderBy('fiscal_year').orderBy('position').orderBy('id').execute();
  const ogroups = groupBy(await q.selectFrom('overview_group').selectAll().orderBy('position').orderBy('id').execute(), (g) => g.section_id);
  const items = groupBy(await q.selectFrom('overview_item').selectAll().orderBy('position').orderBy('id').execute(), (i) => i.group_id);
  const tableFocus = focus.filter((f) => f.group_heading !== null);
  const overviewYears = [...new Set([...sections.map((s) => s.fiscal_year), ...tableFocus.map((f) => Number(f.period))])].sort();
  const overviews = overviewYears.map((fy) => ({
    fiscalYear: fy,
    title: overviewTitle(fy),
    sections: sections
      .filter((s) => s.fiscal_year === fy)
      .map((s) => ({
        id: s.id,
        key: s.key ?? s.id,
        title: s.title,
        ...(s.subtitle !== null ? { subtitle: s.subtitle } : {}),
        groups: (ogroups.get(s.id) ?? []).map((g) => ({
          id: g.id,
          ...(g.heading !== null ? { heading: g.heading } : {}),
          ...(g.category !== null ? { category: g.category } : {}),
          items: (items.get(g.id) ?? []).map((i) => ({
            id: i.id,
            ...(i.no !== null ? { no: i.no } : {}),
            text: i.text,
            isNew: i.is_new === 1,
            ...(i.row_id ? { row: rowKey.get(i.row_id)! } : {}),
          })),
        })),
      })),
    unitFocus: {
      title: unitFocusTitle,
      groups: [...groupBy(tableFocus.filter((f) => f.period === String(fy)), (f) => f.group_heading!).entries()].map(([heading, fs]) => ({
        heading,
        rows: fs.map((f) => ({ id: f.id, units: (focusUnits.get(f.id) ?? []).map((x) => unitName.get(x.unit_id)!), text: f.text })),
      })),
    },
  }));

  const financial = await q.selectFrom('financial_year').selectAll().orderBy('fiscal_year').orderBy('id').execute();
  return {
    plan: {
      plan: {
        id: plan.id,
        title: plan.title,
        periodLabel: plan.period_label,
        startYear: plan.start_year,
        endYear: plan.end_year,
        slogan: plan.slogan,
        sloganSubtitle: plan.slogan_subtitle,
        missionsTitle: plan.missions_title,
        missions: listItems.filter((l) => l.list === 'mission').map((l) => l.text),
        visionTitle: plan.vision_title,
        challengesTitle: plan.challenges_title,
        challengeGroups: groups.map((g) => ({
          id: g.id,
          heading: g.heading,
          challenges: (challenges.get(g.id) ?? []).map((c) => ({ id: c.id, no: c.no, text: c.text })),
        })),
      },
      pillars: pillars.map((p) => ({ id: p.id, key: p.key, kind: p.kind, no: p.no, name: p.name })),
      financialPlan: {
        title: plan.financial_title,
        years: financial.map((f) => ({ id: f.id, fiscalYear: f.fiscal_year, text: f.text, ...(opt(f.amount_yen) !== undefined ? { amountYen: f.amount_yen! } : {}) })),
      },
    },
    units: { units: units.map((u) => ({ id: u.id, kind: u.kind, name: u.name, ...(u.short_name ? { shortName: u.short_name } : {}) })) },
    actionPlan: pages,
    branches: {
      commonGoalTitle: plan.common_goal_title,
      commonGoals: listItems.filter((l) => l.list === 'common_goal').map((l) => l.text),
      branches,
      jointProjects,
    },
    overviews,
  };
}
