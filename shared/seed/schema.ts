import { z } from 'zod';
import { targetDirections, targetKinds } from '../domain/editable-fields';
import { UnitKind } from '../domain/units';

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
