import type { SeedBundle, SeedTarget } from '../../shared/seed/schema';

/**
 * References between seed files: unit names, pillar keys, theme and row keys, unique keys.
 * `origin` is 'seeds/' for the seed files, else the dump file the bundle was read from: problems name
 * the file and the entry the person has to edit.
 */
export function crossCheck(bundle: SeedBundle, origin = 'seeds/'): string[] {
  const problems: string[] = [];
  const dump = !origin.startsWith('seeds');
  const place = {
    units: dump ? `${origin}: units.` : 'seeds/units.yaml: ',
    plan: dump ? `${origin}: plan.` : 'seeds/plan.yaml: ',
    branches: dump ? `${origin}: branches.` : 'seeds/branches.yaml: ',
    page: (i: number, page: number) => (dump ? `${origin}: actionPlan[${i}].` : `seeds/action-plan/page-${page}.yaml: `),
    overview: (i: number, fiscalYear: number) => (dump ? `${origin}: overviews[${i}].` : `seeds/overview-${fiscalYear}.yaml: `),
  };
  const unitNames = new Set(bundle.units.units.map((u) => u.name));
  const pillarKeys = new Set(bundle.plan.pillars.map((p) => p.key));
  const keys = new Map<string, string>();
  const rowKeys = new Set<string>();
  const claim = (key: string, where: string) => {
    const before = keys.get(key);
    if (before) problems.push(`${where}: key "${key}" is already used at ${before}`);
    else keys.set(key, where);
  };
  const unit = (name: string, where: string) => {
    if (!unitNames.has(name)) problems.push(`${where}: unknown unit "${name}" (not in ${dump ? 'units.units' : 'seeds/units.yaml'})`);
  };
  const seenUnits = new Set<string>();
  bundle.units.units.forEach((u, i) => {
    if (seenUnits.has(u.name)) problems.push(`${place.units}units[${i}]: duplicate unit "${u.name}"`);
    seenUnits.add(u.name);
  });
  bundle.plan.pillars.forEach((p, i) => claim(p.key, `${place.plan}pillars[${i}]`));
  // Entries identified by a number or a name get the same derived id twice: say so before SQLite does.
  const once = <T>(items: T[], name: (t: T) => string | number, where: (i: number) => string, what: string) => {
    const seen = new Map<string | number, number>();
    items.forEach((item, i) => {
      const n = name(item);
      const before = seen.get(n);
      if (before !== undefined) problems.push(`${where(i)}: ${what} "${n}" is listed twice (also at [${before}])`);
      else seen.set(n, i);
    });
  };
  const challenges = bundle.plan.plan.challengeGroups.flatMap((g, i) => g.challenges.map((c, j) => ({ no: c.no, at: `${place.plan}plan.challengeGroups[${i}].challenges[${j}].no` })));
  once(challenges, (c) => c.no, (i) => challenges[i]!.at, 'challenge no');
  once(bundle.plan.financialPlan.years, (y) => y.fiscalYear, (i) => `${place.plan}financialPlan.years[${i}].fiscalYear`, 'fiscal year');
  // Fiscal years are record keys in the files ('2020': …): a key that is not a year would be lost or refused by SQLite.
  const yearKeys = (record: Record<string, unknown> | undefined, where: string) => {
    for (const k of Object.keys(record ?? {})) if (!/^\d{4}$/.test(k)) problems.push(`${where}: "${k}" is not a fiscal year (write it as 2020)`);
  };
  const targetYears = (t: SeedTarget, where: string) => {
    yearKeys(t.plans, `${where}.plans`);
    yearKeys(t.actuals, `${where}.actuals`);
  };

  bundle.actionPlan.forEach((page, p) => {
    const file = place.page(p, page.page);
    page.rows.forEach((row, r) => {
      const at = `${file}rows[${r}] (${row.key})`;
      claim(row.key, at);
      rowKeys.add(row.key);
      if (row.band && !pillarKeys.has(row.band)) problems.push(`${at}.band: unknown pillar "${row.band}"`);
      const themeKeys = new Set<string>();
      row.themes.forEach((t, i) => {
        claim(t.key, `${at}.themes[${i}]`);
        themeKeys.add(t.key);
        if (t.pillar !== undefined && !pillarKeys.has(t.pillar)) problems.push(`${at}.themes[${i}].pillar: unknown pillar "${t.pillar}"`);
      });
      row.units.forEach((u, i) => unit(u, `${at}.units[${i}]`));
      if (new Set(row.units).size !== row.units.length) problems.push(`${at}.units: a unit is listed twice`);
      yearKeys(row.yearPlans, `${at}.yearPlans`);
      row.targets.forEach((t, i) => {
        claim(t.key, `${at}.targets[${i}]`);
        targetYears(t, `${at}.targets[${i}]`);
        if (t.theme && !themeKeys.has(t.theme)) problems.push(`${at}.targets[${i}].theme: "${t.theme}" is not a theme of this row`);
      });
    });
  });
  bundle.branches.branches.forEach((b, i) => {
    const at = `${place.branches}branches[${i}]`;
    unit(b.unit, `${at}.unit`);
    yearKeys(b.focus, `${at}.focus`);
    b.targets.forEach((t, j) => {
      claim(t.key, `${at}.targets[${j}]`);
      targetYears(t, `${at}.targets[${j}]`);
      if (t.theme) problems.push(`${at}.targets[${j}].theme: a branch target has no theme (themes belong to action-plan rows)`);
    });
  });
  once(bundle.branches.branches, (b) => b.unit, (i) => `${place.branches}branches[${i}].unit`, 'branch');
  bundle.branches.jointProjects.forEach((j, i) => {
    claim(j.key, `${place.branches}jointProjects[${i}]`);
    j.units.forEach((u, k) => unit(u, `${place.branches}jointProjects[${i}].units[${k}]`));
    if (new Set(j.units).size !== j.units.length) problems.push(`${place.branches}jointProjects[${i}].units: a unit is listed twice`);
  });
  bundle.overviews.forEach((o, oi) => {
    const file = place.overview(oi, o.fiscalYear);
    o.sections.forEach((s, i) => {
      claim(`${o.fiscalYear}:${s.key}`, `${file}sections[${i}]`);
      s.groups.forEach((g, j) =>
        g.items.forEach((item, k) => {
          if (item.row && !rowKeys.has(item.row)) problems.push(`${file}sections[${i}].groups[${j}].items[${k}].row: unknown row "${item.row}"`);
        }),
      );
    });
    o.unitFocus.groups.forEach((g, i) => {
      g.rows.forEach((r, j) => {
        r.units.forEach((u, k) => unit(u, `${file}unitFocus.groups[${i}].rows[${j}].units[${k}]`));
        if (new Set(r.units).size !== r.units.length) problems.push(`${file}unitFocus.groups[${i}].rows[${j}].units: a unit is listed twice`);
      });
      once(g.rows, (r) => r.units.join('・'), (j) => `${file}unitFocus.groups[${i}].rows[${j}].units`, 'row for');
    });
  });
  problems.push(...duplicateIds(bundle, dump ? `${origin}: ` : ''));
  return problems;
}

/** Explicit ids (a dump carries one on every entry) must be unique across the whole plan. */
function duplicateIds(bundle: SeedBundle, prefix: string): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const at = path ? `${path}.${k}` : k;
        if (typeof v === 'string' && (k === 'id' || path.endsWith('.ids'))) {
          const before = seen.get(v);
          if (before) problems.push(`${prefix}${at}: id "${v}" is already used at ${before}`);
          else seen.set(v, at);
        } else walk(v, at);
      }
    }
  };
  walk(bundle, '');
  return problems;
}
