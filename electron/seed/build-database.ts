import type { SeedBundle, SeedTarget } from '../../shared/seed/schema';
import type Database from 'better-sqlite3';
import type { Insertable } from 'kysely';
import { changeRow, currentUser } from '../db/change-writer';
import type { Sqlite } from '../db/open';
import type { DataTable, DB } from '../db/schema';
import { assignmentId, derivedId, targetValueId, yearPlanId } from '../model/derived-id';
import { crossCheck } from './cross-check';
import { SeedError } from './read-seeds';
import { checkStored, ruleOf } from '../../shared/model/field-rules';

const years = (record: Record<string, unknown> | undefined) =>
  Object.keys(record ?? {})
    .map(Number)
    .sort((a, b) => a - b);

/** Ids of entries without an explicit id are derived from their key or their place, the same on every build. */
export const seedIds = {
  plan: (title: string, start: number) => derivedId('plan', title, start),
  pillar: (key: string) => derivedId('pillar', key),
  unit: (name: string) => derivedId('unit', name),
  row: (key: string) => derivedId('action_row', key),
  theme: (key: string) => derivedId('theme', key),
  target: (key: string) => derivedId('target', key),
  focus: (unitName: string, period: string, heading: string | null) => derivedId('unit_focus', unitName, period, heading ?? ''),
  joint: (key: string) => derivedId('joint_project', key),
  section: (year: number, key: string) => derivedId('overview_section', year, key),
};

function insertTarget(w: RowSink, t: SeedTarget, position: number, owner: { rowId?: string; themeId?: string | null; unitId?: string }): void {
  const id = t.id ?? seedIds.target(t.key);
  w.insert('target', {
    id,
    row_id: owner.rowId ?? null,
    theme_id: owner.themeId ?? null,
    unit_id: owner.unitId ?? null,
    key: t.key,
    position,
    label: t.label,
    unit: t.unit,
    kind: t.kind,
    direction: t.direction,
    baseline_value: t.baseline?.value ?? null,
    baseline_year: t.baseline?.year ?? null,
    baseline_text: t.baseline?.text ?? null,
    term_goal_value: t.termGoal?.value ?? null,
    term_goal_text: t.termGoal?.text ?? null,
    note: t.note ?? null,
  });
  const fys = new Set([...years(t.plans), ...years(t.actuals)]);
  for (const fy of [...fys].sort((a, b) => a - b)) {
    const plan = t.plans?.[String(fy)];
    w.insert('target_value', {
      id: targetValueId(id, fy),
      target_id: id,
      fiscal_year: fy,
      plan_value: plan?.value ?? null,
      plan_text: plan?.text ?? null,
      actual_value: t.actuals?.[String(fy)] ?? null,
    });
  }
}

/** One row the build writes, in the order it writes them (parents before their children). */
type PlannedRow = { [T in DataTable]: { table: T; row: Insertable<DB[T]> & { id: string } } }[DataTable];

/** Where the plan's rows go while they are worked out: `insert` checks a row and keeps it. */
interface RowSink {
  insert<T extends DataTable>(table: T, row: Insertable<DB[T]> & { id: string }): void;
}

/**
 * Every row of a seed or a dump passes the field rules before it is written (the schema's CHECKs
 * would refuse it anyway, but with SQLite's English and without saying which entry).
 */
function checkedSink(rows: PlannedRow[], source: string): RowSink {
  return {
    insert(table, row) {
      for (const [column, value] of Object.entries(row)) {
        const rule = ruleOf(table, column);
        const reason = rule ? checkStored(rule, value ?? null) : null;
        if (reason) throw new SeedError([`${source}: ${table} ${row.id}, ${column}: ${reason}`]);
      }
      rows.push({ table, row } as PlannedRow);
    },
  };
}

/**
 * Writes a whole plan (seed files or a dump) into an empty, migrated SQLite file as one change set.
 * Problems in the references between files, and values the field rules refuse, abort before
 * anything is written. It writes a new file on its own connection, synchronously (design15 rule 6):
 * a plan on another engine is built as a file and copied there.
 */
export function buildDatabase(sqlite: Sqlite, bundle: SeedBundle, source = 'seeds/'): void {
  const problems = crossCheck(bundle, source);
  if (problems.length > 0) throw new SeedError(problems);
  const existing = sqlite.prepare('select count(*) as n from plan').get() as { n: number };
  if (existing.n > 0) throw new Error('buildDatabase needs an empty database');
  const rows = plannedRows(bundle, source);
  sqlite.transaction(() => writeLogged(sqlite, { label: '初期データの作成', source }, rows))();
}

/**
 * Inserts `rows` in order and logs each as ChangeWriter.insert does (one change set, an 'insert'
 * change whose new value is the row as JSON), so the build is one undo step like any action.
 */
function writeLogged(sqlite: Sqlite, meta: { label: string; source: string }, rows: readonly PlannedRow[]): void {
  if (rows.length === 0) return;
  const { lastInsertRowid: setId } = sqlite
    .prepare('insert into change_set (at, "user", label, source, reverts_id) values (?, ?, ?, ?, null)')
    .run(new Date().toISOString(), currentUser(), meta.label, meta.source);
  const logChange = sqlite.prepare('insert into change (set_id, table_name, row_id, op, column_name, old_value, new_value) values (?, ?, ?, ?, ?, ?, ?)');
  const statements = new Map<string, Database.Statement>();
  for (const { table, row } of rows) {
    const columns = Object.keys(row);
    const text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
    let insert = statements.get(text);
    if (!insert) statements.set(text, (insert = sqlite.prepare(text)));
    insert.run(...columns.map((c) => (row as Record<string, unknown>)[c]));
    const c = changeRow(Number(setId), table, row.id, 'insert', null, undefined, row);
    logChange.run(c.set_id, c.table_name, c.row_id, c.op, c.column_name, c.old_value, c.new_value);
  }
}

/** Every row of the plan, checked, in the order they are written. */
function plannedRows(bundle: SeedBundle, source: string): PlannedRow[] {
  const rows: PlannedRow[] = [];
  const w = checkedSink(rows, source);
  const p = bundle.plan.plan;
  const planId = p.id ?? seedIds.plan(p.title, p.startYear);
  w.insert('plan', {
    id: planId,
    title: p.title,
    period_label: p.periodLabel,
    start_year: p.startYear,
    end_year: p.endYear,
    slogan: p.slogan,
    slogan_subtitle: p.sloganSubtitle,
    missions_title: p.missionsTitle,
    vision_title: p.visionTitle,
    challenges_title: p.challengesTitle,
    common_goal_title: bundle.branches.commonGoalTitle,
    financial_title: bundle.plan.financialPlan.title,
  });
  p.missions.forEach((text, i) => w.insert('plan_list_item', { id: derivedId('mission', planId, i), plan_id: planId, list: 'mission', position: i, text }));
  bundle.branches.commonGoals.forEach((text, i) =>
    w.insert('plan_list_item', { id: derivedId('common_goal', planId, i), plan_id: planId, list: 'common_goal', position: i, text }),
  );
  p.challengeGroups.forEach((g, i) => {
    const groupId = g.id ?? derivedId('challenge_group', planId, i);
    w.insert('challenge_group', { id: groupId, plan_id: planId, position: i, heading: g.heading });
    g.challenges.forEach((c, j) => w.insert('challenge', { id: c.id ?? derivedId('challenge', planId, c.no), group_id: groupId, position: j, no: c.no, text: c.text }));
  });
  const pillarIds = new Map<string, string>();
  bundle.plan.pillars.forEach((pl, i) => {
    const id = pl.id ?? seedIds.pillar(pl.key);
    pillarIds.set(pl.key, id);
    w.insert('pillar', { id, plan_id: planId, key: pl.key, kind: pl.kind, no: pl.no, name: pl.name, position: i });
  });
  bundle.plan.financialPlan.years.forEach((y) =>
    w.insert('financial_year', { id: y.id ?? derivedId('financial_year', planId, y.fiscalYear), plan_id: planId, fiscal_year: y.fiscalYear, text: y.text, amount_yen: y.amountYen ?? null }),
  );

  const unitIds = new Map<string, string>();
  bundle.units.units.forEach((u, i) => {
    const id = u.id ?? seedIds.unit(u.name);
    unitIds.set(u.name, id);
    w.insert('unit', { id, kind: u.kind, name: u.name, short_name: u.shortName ?? null, position: i });
  });
  const unitId = (name: string) => unitIds.get(name)!;

  const rowIds = new Map<string, string>();
  for (const page of bundle.actionPlan) {
    page.rows.forEach((row, r) => {
      const rowId = row.id ?? seedIds.row(row.key);
      rowIds.set(row.key, rowId);
      w.insert('action_row', {
        id: rowId,
        plan_id: planId,
        key: row.key,
        page: page.page,
        position: r,
        heading: row.heading ?? null,
        band_pillar_id: row.band ? pillarIds.get(row.band)! : null,
        term_plan: row.termPlan ?? '',
      });
      const themeIds = new Map<string, string>();
      row.themes.forEach((t, i) => {
        const id = t.id ?? seedIds.theme(t.key);
        themeIds.set(t.key, id);
        w.insert('theme', { id, row_id: rowId, key: t.key, position: i, text: t.text, pillar_id: t.pillar ? pillarIds.get(t.pillar)! : null });
      });
      for (const fy of years(row.yearPlans))
        w.insert('year_plan', { id: yearPlanId(rowId, fy), row_id: rowId, fiscal_year: fy, text: row.yearPlans![String(fy)]! });
      row.units.forEach((name, i) => w.insert('assignment', { id: assignmentId(rowId, unitId(name)), row_id: rowId, unit_id: unitId(name), position: i }));
      row.targets.forEach((t, i) => insertTarget(w, t, i, { rowId, themeId: t.theme ? themeIds.get(t.theme)! : null }));
    });
  }

  let focusPosition = 0;
  const insertFocus = (id: string, period: string, heading: string | null, text: string, units: string[]) => {
    w.insert('unit_focus', { id, plan_id: planId, period, group_heading: heading, position: focusPosition++, text });
    units.forEach((name, i) => w.insert('unit_focus_unit', { id: derivedId('unit_focus_unit', id, unitId(name)), focus_id: id, unit_id: unitId(name), position: i }));
  };
  for (const b of bundle.branches.branches) {
    if (b.termFocus) insertFocus(b.ids?.term ?? seedIds.focus(b.unit, 'term', null), 'term', null, b.termFocus, [b.unit]);
    for (const fy of years(b.focus)) insertFocus(b.ids?.[String(fy)] ?? seedIds.focus(b.unit, String(fy), null), String(fy), null, b.focus![String(fy)]!, [b.unit]);
    b.targets.forEach((t, i) => insertTarget(w, t, i, { unitId: unitId(b.unit) }));
  }
  bundle.branches.jointProjects.forEach((j, i) => {
    const id = j.id ?? seedIds.joint(j.key);
    w.insert('joint_project', { id, plan_id: planId, key: j.key, fiscal_year: j.fiscalYear, position: i, title: j.title, project_names: j.projects.join('\n'), text: j.text });
    j.units.forEach((name, k) => w.insert('joint_project_unit', { id: derivedId('joint_project_unit', id, unitId(name)), project_id: id, unit_id: unitId(name), position: k }));
  });

  for (const o of bundle.overviews) {
    o.sections.forEach((s, i) => {
      const sectionId = s.id ?? seedIds.section(o.fiscalYear, s.key);
      w.insert('overview_section', { id: sectionId, plan_id: planId, key: s.key, fiscal_year: o.fiscalYear, position: i, title: s.title, subtitle: s.subtitle ?? null });
      s.groups.forEach((g, j) => {
        const groupId = g.id ?? derivedId('overview_group', sectionId, j);
        w.insert('overview_group', { id: groupId, section_id: sectionId, position: j, heading: g.heading ?? null, category: g.category ?? null });
        g.items.forEach((item, k) =>
          w.insert('overview_item', {
            id: item.id ?? derivedId('overview_item', groupId, k),
            group_id: groupId,
            position: k,
            no: item.no ?? null,
            text: item.text,
            is_new: item.isNew ? 1 : 0,
            row_id: item.row ? rowIds.get(item.row)! : null,
          }),
        );
      });
    });
    for (const g of o.unitFocus.groups)
      for (const r of g.rows) insertFocus(r.id ?? seedIds.focus(r.units.join('+'), String(o.fiscalYear), g.heading), String(o.fiscalYear), g.heading, r.text, r.units);
  }
  return rows;
}
