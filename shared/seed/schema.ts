import { z } from 'zod';
import { targetDirections, targetKinds } from '../domain/editable-fields';
import { UnitKind } from '../domain/units';
import type { ColumnOf, PlanTableName } from '../model/registry';

/** The seed format (seeds/FORMAT.md), validated at load; errors name the file, entry and field. */

const id = z.uuid().optional();
const key = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'key: lower-case ASCII, digits and hyphens');
const text = z.string().min(1);
/** Text a planner may leave empty: a row the grid adds starts so, and a dump must carry it back. */
const editableText = z.string();

export const SeedFigure = z.strictObject({ value: z.number(), text: text.optional(), year: z.number().int().optional() });

export const SeedTarget = z.strictObject({
  id,
  key,
  theme: key.optional(),
  label: editableText,
  unit: z.string(),
  kind: z.enum(targetKinds),
  direction: z.enum(targetDirections).default('at_least'),
  baseline: z.strictObject({ value: z.number(), year: z.number().int().optional(), text: text.optional() }).optional(),
  termGoal: z.strictObject({ value: z.number(), text: text.optional() }).optional(),
  plans: z.record(z.string(), z.strictObject({ value: z.number(), text: text.optional() })).optional(),
  /** Actuals per fiscal year: never in the source documents, but a dump of a working database has them. */
  actuals: z.record(z.string(), z.number()).optional(),
  note: z.string().optional(),
});
export type SeedTarget = z.infer<typeof SeedTarget>;

export const SeedTheme = z.strictObject({ id, key, text: editableText, pillar: key.optional() });

export const SeedActionRow = z.strictObject({
  id,
  key,
  heading: text.optional(),
  band: key.optional(),
  themes: z.array(SeedTheme).min(1),
  termPlan: z.string().optional(),
  yearPlans: z.record(z.string(), text).optional(),
  units: z.array(text).default([]),
  targets: z.array(SeedTarget).default([]),
});
export type SeedActionRow = z.infer<typeof SeedActionRow>;

export const SeedActionPage = z.strictObject({ page: z.number().int().min(1), rows: z.array(SeedActionRow) });
export type SeedActionPage = z.infer<typeof SeedActionPage>;

export const SeedUnits = z.strictObject({
  units: z.array(z.strictObject({ id, kind: UnitKind, name: text, shortName: text.optional() })),
});

export const SeedPlan = z.strictObject({
  plan: z.strictObject({
    id,
    title: text,
    periodLabel: text,
    startYear: z.number().int(),
    endYear: z.number().int(),
    slogan: text,
    sloganSubtitle: z.string().default(''),
    missionsTitle: z.string().default(''),
    missions: z.array(text),
    visionTitle: z.string().default(''),
    challengesTitle: z.string().default(''),
    challengeGroups: z.array(
      z.strictObject({ id, heading: text, challenges: z.array(z.strictObject({ id, no: z.number().int(), text })) }),
    ),
  }),
  pillars: z.array(z.strictObject({ id, key, kind: z.enum(['pillar', 'principle']), no: z.number().int(), name: text })),
  financialPlan: z.strictObject({
    title: z.string().default(''),
    years: z.array(z.strictObject({ id, fiscalYear: z.number().int(), text, amountYen: z.number().optional() })),
  }),
});
export type SeedPlan = z.infer<typeof SeedPlan>;

export const SeedBranches = z.strictObject({
  commonGoalTitle: z.string().default(''),
  commonGoals: z.array(text),
  branches: z.array(
    z.strictObject({
      unit: text,
      termFocus: text.optional(),
      focus: z.record(z.string(), text).optional(),
      targets: z.array(SeedTarget).default([]),
      /** Ids of the focus rows by period ('term', '2020', …); derived when absent. */
      ids: z.record(z.string(), z.uuid()).optional(),
    }),
  ),
  jointProjects: z.array(
    z.strictObject({
      id,
      key,
      fiscalYear: z.number().int(),
      title: text,
      units: z.array(text),
      projects: z.array(text).default([]),
      text,
    }),
  ),
});
export type SeedBranches = z.infer<typeof SeedBranches>;

export const SeedOverviewItem = z.strictObject({
  id,
  no: z.number().int().optional(),
  text: editableText,
  isNew: z.boolean().default(false),
  row: key.optional(),
});

export const SeedOverview = z.strictObject({
  fiscalYear: z.number().int(),
  title: text,
  sections: z.array(
    z.strictObject({
      id,
      key,
      title: text,
      subtitle: text.optional(),
      groups: z.array(
        z.strictObject({ id, heading: text.optional(), category: text.optional(), items: z.array(SeedOverviewItem) }),
      ),
    }),
  ),
  unitFocus: z.strictObject({
    title: text,
    groups: z.array(
      z.strictObject({ heading: text, rows: z.array(z.strictObject({ id, units: z.array(text).min(1), text })) }),
    ),
  }),
});
export type SeedOverview = z.infer<typeof SeedOverview>;


/** All seed files together; also the shape of `npm run plan -- dump`. */
export const SeedBundle = z.strictObject({
  plan: SeedPlan,
  units: SeedUnits,
  actionPlan: z.array(SeedActionPage),
  branches: SeedBranches,
  overviews: z.array(SeedOverview),
});
export type SeedBundle = z.infer<typeof SeedBundle>;

/** Every place in a value of type T, as a path: `plan.pillars[].key`; a record's key is any text (`plans.{year}.value`). */
type PathOf<T, P extends string = ''> =
  T extends readonly (infer E)[]
    ? `${P}[]` | PathOf<E, `${P}[]`>
    : T extends Record<string, unknown>
      ? { [K in keyof T & string]-?: `${P}${P extends '' ? '' : '.'}${K}` | PathOf<NonNullable<T[K]>, `${P}${P extends '' ? '' : '.'}${K}`> }[keyof T & string]
      : never;

/**
 * Where the seed carries a column: a path in the bundle (or in a target, which sits in two places);
 * `implied` by where its entry sits (its parent, its plan, its order among its siblings), or
 * `derived` from the entry's place and never written (the id of a year's plan text).
 */
export type SeedPlace = PathOf<SeedBundle> | `SeedTarget.${PathOf<SeedTarget>}` | 'implied' | 'derived';

const implied = 'implied';
const derived = 'derived';

/**
 * Where the seed format carries each column of each plan table: `plan dump` writes it there
 * (electron/seed/dump.ts) and `plan init` reads it back (electron/seed/build-database.ts), so a
 * dump rebuilds the same database. A column the registry gains is a compile error here until it
 * is given a place, and a place must be a field of the format above.
 */
export const seedPlaces = {
  plan: {
    id: 'plan.plan.id',
    title: 'plan.plan.title',
    period_label: 'plan.plan.periodLabel',
    start_year: 'plan.plan.startYear',
    end_year: 'plan.plan.endYear',
    slogan: 'plan.plan.slogan',
    slogan_subtitle: 'plan.plan.sloganSubtitle',
    missions_title: 'plan.plan.missionsTitle',
    vision_title: 'plan.plan.visionTitle',
    challenges_title: 'plan.plan.challengesTitle',
    common_goal_title: 'branches.commonGoalTitle',
    financial_title: 'plan.financialPlan.title',
  },
  plan_list_item: { id: derived, plan_id: implied, list: ['plan.plan.missions', 'branches.commonGoals'], position: implied, text: ['plan.plan.missions[]', 'branches.commonGoals[]'] },
  challenge_group: { id: 'plan.plan.challengeGroups[].id', plan_id: implied, position: implied, heading: 'plan.plan.challengeGroups[].heading' },
  challenge: {
    id: 'plan.plan.challengeGroups[].challenges[].id',
    group_id: implied,
    position: implied,
    no: 'plan.plan.challengeGroups[].challenges[].no',
    text: 'plan.plan.challengeGroups[].challenges[].text',
  },
  pillar: { id: 'plan.pillars[].id', plan_id: implied, key: 'plan.pillars[].key', kind: 'plan.pillars[].kind', no: 'plan.pillars[].no', name: 'plan.pillars[].name', position: implied },
  unit: { id: 'units.units[].id', kind: 'units.units[].kind', name: 'units.units[].name', short_name: 'units.units[].shortName', position: implied },
  action_row: {
    id: 'actionPlan[].rows[].id',
    plan_id: implied,
    key: 'actionPlan[].rows[].key',
    page: 'actionPlan[].page',
    position: implied,
    heading: 'actionPlan[].rows[].heading',
    band_pillar_id: 'actionPlan[].rows[].band',
    term_plan: 'actionPlan[].rows[].termPlan',
  },
  theme: {
    id: 'actionPlan[].rows[].themes[].id',
    row_id: implied,
    key: 'actionPlan[].rows[].themes[].key',
    position: implied,
    text: 'actionPlan[].rows[].themes[].text',
    pillar_id: 'actionPlan[].rows[].themes[].pillar',
  },
  year_plan: { id: derived, row_id: implied, fiscal_year: 'actionPlan[].rows[].yearPlans', text: 'actionPlan[].rows[].yearPlans.{year}' },
  assignment: { id: derived, row_id: implied, unit_id: 'actionPlan[].rows[].units[]', position: implied },
  target: {
    id: 'SeedTarget.id',
    row_id: implied,
    theme_id: 'SeedTarget.theme',
    unit_id: 'branches.branches[].unit',
    key: 'SeedTarget.key',
    position: implied,
    label: 'SeedTarget.label',
    unit: 'SeedTarget.unit',
    kind: 'SeedTarget.kind',
    direction: 'SeedTarget.direction',
    baseline_value: 'SeedTarget.baseline.value',
    baseline_year: 'SeedTarget.baseline.year',
    baseline_text: 'SeedTarget.baseline.text',
    term_goal_value: 'SeedTarget.termGoal.value',
    term_goal_text: 'SeedTarget.termGoal.text',
    note: 'SeedTarget.note',
  },
  target_value: {
    id: derived,
    target_id: implied,
    fiscal_year: ['SeedTarget.plans', 'SeedTarget.actuals'],
    plan_value: 'SeedTarget.plans.{year}.value',
    plan_text: 'SeedTarget.plans.{year}.text',
    actual_value: 'SeedTarget.actuals.{year}',
  },
  unit_focus: {
    id: ['branches.branches[].ids.{period}', 'overviews[].unitFocus.groups[].rows[].id'],
    plan_id: implied,
    period: ['branches.branches[].termFocus', 'branches.branches[].focus', 'overviews[].fiscalYear'],
    group_heading: 'overviews[].unitFocus.groups[].heading',
    position: implied,
    text: ['branches.branches[].termFocus', 'branches.branches[].focus.{year}', 'overviews[].unitFocus.groups[].rows[].text'],
  },
  unit_focus_unit: { id: derived, focus_id: implied, unit_id: ['branches.branches[].unit', 'overviews[].unitFocus.groups[].rows[].units[]'], position: implied },
  joint_project: {
    id: 'branches.jointProjects[].id',
    plan_id: implied,
    key: 'branches.jointProjects[].key',
    fiscal_year: 'branches.jointProjects[].fiscalYear',
    position: implied,
    title: 'branches.jointProjects[].title',
    project_names: 'branches.jointProjects[].projects',
    text: 'branches.jointProjects[].text',
  },
  joint_project_unit: { id: derived, project_id: implied, unit_id: 'branches.jointProjects[].units[]', position: implied },
  overview_section: {
    id: 'overviews[].sections[].id',
    plan_id: implied,
    key: 'overviews[].sections[].key',
    fiscal_year: 'overviews[].fiscalYear',
    position: implied,
    title: 'overviews[].sections[].title',
    subtitle: 'overviews[].sections[].subtitle',
  },
  overview_group: {
    id: 'overviews[].sections[].groups[].id',
    section_id: implied,
    position: implied,
    heading: 'overviews[].sections[].groups[].heading',
    category: 'overviews[].sections[].groups[].category',
  },
  overview_item: {
    id: 'overviews[].sections[].groups[].items[].id',
    group_id: implied,
    position: implied,
    no: 'overviews[].sections[].groups[].items[].no',
    text: 'overviews[].sections[].groups[].items[].text',
    is_new: 'overviews[].sections[].groups[].items[].isNew',
    row_id: 'overviews[].sections[].groups[].items[].row',
  },
  financial_year: {
    id: 'plan.financialPlan.years[].id',
    plan_id: implied,
    fiscal_year: 'plan.financialPlan.years[].fiscalYear',
    text: 'plan.financialPlan.years[].text',
    amount_yen: 'plan.financialPlan.years[].amountYen',
  },
} as const satisfies { readonly [T in PlanTableName]: { readonly [C in ColumnOf<T>]: SeedPlace | readonly SeedPlace[] } };

