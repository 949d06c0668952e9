import type { DocumentOverviewSection, PlanDocumentData } from '../../../shared/layout/document-data';
import { AppError } from '../../../shared/errors/app-error';
import type { PlanDb } from '../../db/plan-db';
import { groupBy } from '../../db/group-by';

/** Everything the official layouts print, in document order: one consistent read of the plan database. */
export function planDocumentData(db: PlanDb): Promise<PlanDocumentData> {
  return db.snapshot(readDocumentData);
}

async function readDocumentData(db: PlanDb): Promise<PlanDocumentData> {
  const plan = await db.q.selectFrom('plan').selectAll().executeTakeFirst();
  if (!plan) throw new AppError('not_found', 'このデータベースには計画がありません。', 'no plan row in the database');
  const lists = await db.q.selectFrom('plan_list_item').select(['list', 'text']).where('plan_id', '=', plan.id).orderBy('position').execute();
  const groups = await db.q.selectFrom('challenge_group').select(['id', 'heading']).where('plan_id', '=', plan.id).orderBy('position').execute();
  const challenges = groupBy(await db.q.selectFrom('challenge').select(['group_id', 'no', 'text']).orderBy('position').execute(), (c) => c.group_id);
  const pillars = await db.q.selectFrom('pillar').select(['id', 'key', 'kind', 'no', 'name']).where('plan_id', '=', plan.id).orderBy('position').execute();
  const units = await db.q.selectFrom('unit').select(['id', 'kind', 'name', 'short_name']).orderBy('position').execute();

  const rows = await db.q.selectFrom('action_row').selectAll().where('plan_id', '=', plan.id).orderBy('page').orderBy('position').execute();
  const themes = groupBy(await db.q.selectFrom('theme').select(['id', 'row_id', 'text']).orderBy('row_id').orderBy('position').execute(), (t) => t.row_id);
  const years = groupBy(await db.q.selectFrom('year_plan').select(['row_id', 'fiscal_year', 'text']).orderBy('fiscal_year').execute(), (y) => y.row_id);
  const assignments = groupBy(await db.q.selectFrom('assignment').select(['row_id', 'unit_id']).orderBy('row_id').orderBy('position').execute(), (a) => a.row_id);

  const focus = await db.q.selectFrom('unit_focus').select(['id', 'period', 'group_heading', 'text']).where('plan_id', '=', plan.id).orderBy('position').execute();
  const focusUnits = groupBy(await db.q.selectFrom('unit_focus_unit').select(['focus_id', 'unit_id']).orderBy('focus_id').orderBy('position').execute(), (f) => f.focus_id);
  const joints = await db.q.selectFrom('joint_project').selectAll().where('plan_id', '=', plan.id).orderBy('fiscal_year').orderBy('position').execute();
  const jointUnits = groupBy(await db.q.selectFrom('joint_project_unit').select(['project_id', 'unit_id']).orderBy('project_id').orderBy('position').execute(), (j) => j.project_id);

  const sections = await db.q.selectFrom('overview_section').selectAll().where('plan_id', '=', plan.id).orderBy('fiscal_year').orderBy('position').execute();
  const overviewGroups = groupBy(await db.q.selectFrom('overview_group').selectAll().orderBy('section_id').orderBy('position').execute(), (g) => g.section_id);
  const items = groupBy(await db.q.selectFrom('overview_item').selectAll().orderBy('group_id').orderBy('position').execute(), (i) => i.group_id);
  const financial = await db.q.selectFrom('financial_year').select(['fiscal_year', 'text', 'amount_yen']).where('plan_id', '=', plan.id).orderBy('fiscal_year').execute();

  const overviewSections: DocumentOverviewSection[] = sections.map((s) => ({
    id: s.id,
    fiscalYear: s.fiscal_year,
    title: s.title,
    subtitle: s.subtitle,
    groups: (overviewGroups.get(s.id) ?? []).map((g) => ({
      heading: g.heading,
      category: g.category,
      items: (items.get(g.id) ?? []).map((i) => ({ no: i.no, text: i.text, isNew: i.is_new === 1 })),
    })),
  }));

  return {
    plan: {
      title: plan.title,
      periodLabel: plan.period_label,
      startYear: plan.start_year,
      endYear: plan.end_year,
      slogan: plan.slogan,
      sloganSubtitle: plan.slogan_subtitle,
      missionsTitle: plan.missions_title,
      visionTitle: plan.vision_title,
      challengesTitle: plan.challenges_title,
      commonGoalTitle: plan.common_goal_title,
      financialTitle: plan.financial_title,
    },
    missions: lists.filter((l) => l.list === 'mission').map((l) => l.text),
    commonGoals: lists.filter((l) => l.list === 'common_goal').map((l) => l.text),
    challengeGroups: groups.map((g) => ({ heading: g.heading, challenges: (challenges.get(g.id) ?? []).map((c) => ({ no: c.no, text: c.text })) })),
    pillars,
    units: units.map((u) => ({ id: u.id, kind: u.kind, name: u.name, shortName: u.short_name })),
    actionRows: rows.map((r) => ({
      id: r.id,
      page: r.page,
      heading: r.heading,
      bandPillarId: r.band_pillar_id,
      themes: (themes.get(r.id) ?? []).map((t) => ({ id: t.id, text: t.text })),
      termPlan: r.term_plan,
      yearPlans: Object.fromEntries((years.get(r.id) ?? []).map((y) => [String(y.fiscal_year), y.text])),
      unitIds: (assignments.get(r.id) ?? []).map((a) => a.unit_id),
    })),
    unitFocus: focus.map((f) => ({ id: f.id, period: f.period, groupHeading: f.group_heading, text: f.text, unitIds: (focusUnits.get(f.id) ?? []).map((u) => u.unit_id) })),
    jointProjects: joints.map((j) => ({
      id: j.id,
      fiscalYear: j.fiscal_year,
      title: j.title,
      projectNames: j.project_names === '' ? [] : j.project_names.split('\n'),
      text: j.text,
      unitIds: (jointUnits.get(j.id) ?? []).map((u) => u.unit_id),
    })),
    overviewSections,
    financialYears: financial.map((f) => ({ fiscalYear: f.fiscal_year, text: f.text, amountYen: f.amount_yen })),
  };
}
