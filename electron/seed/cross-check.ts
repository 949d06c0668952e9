import type { SeedBundle } from '../../shared/seed/schema';

/** References between seed files: unit names, pillar keys, theme and row keys, unique keys. */
export function crossCheck(bundle: SeedBundle): string[] {
  const problems: string[] = [];
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
    if (!unitNames.has(name)) problems.push(`${where}: unknown unit "${name}" (not in seeds/units.yaml)`);
  };
  const seenUnits = new Set<string>();
  bundle.units.units.forEach((u, i) => {
    if (seenUnits.has(u.name)) problems.push(`seeds/units.yaml: units[${i}]: duplicate unit "${u.name}"`);
    seenUnits.add(u.name);
  });
  bundle.plan.pillars.forEach((p, i) => claim(p.key, `seeds/plan.yaml: pillars[${i}]`));

  for (const page of bundle.actionPlan) {
    const file = `seeds/action-plan/page-${page.page}.yaml`;
    page.rows.forEach((row, r) => {
      const at = `${file}: rows[${r}] (${row.key})`;
      claim(row.key, at);
      rowKeys.add(row.key);
      if (row.band && !pillarKeys.has(row.band)) problems.push(`${at}.band: unknown pillar "${row.band}"`);
      const themeKeys = new Set<string>();
      row.themes.forEach((t, i) => {
        claim(t.key, `${at}.themes[${i}]`);
        themeKeys.add(t.key);
        if (!pillarKeys.has(t.pillar)) problems.push(`${at}.themes[${i}].pillar: unknown pillar "${t.pillar}"`);
      });
      row.units.forEach((u, i) => unit(u, `${at}.units[${i}]`));
      if (new Set(row.units).size !== row.units.length) problems.push(`${at}.units: a unit is listed twice`);
      row.targets.forEach((t, i) => {
        claim(t.key, `${at}.targets[${i}]`);
        if (t.theme && !themeKeys.has(t.theme)) problems.push(`${at}.targets[${i}].theme: "${t.theme}" is not a theme of this row`);
      });
    });
  }
  bundle.branches.branches.forEach((b, i) => {
    const at = `seeds/branches.yaml: branches[${i}]`;
    unit(b.unit, `${at}.unit`);
    b.targets.forEach((t, j) => claim(t.key, `${at}.targets[${j}]`));
  });
  bundle.branches.jointProjects.forEach((j, i) => {
    claim(j.key, `seeds/branches.yaml: jointProjects[${i}]`);
    j.units.forEach((u, k) => unit(u, `seeds/branches.yaml: jointProjects[${i}].units[${k}]`));
  });
  for (const o of bundle.overviews) {
    const file = `seeds/overview-${o.fiscalYear}.yaml`;
    o.sections.forEach((s, i) => {
      claim(`${o.fiscalYear}:${s.key}`, `${file}: sections[${i}]`);
      s.groups.forEach((g, j) =>
        g.items.forEach((item, k) => {
          if (item.row && !rowKeys.has(item.row)) problems.push(`${file}: sections[${i}].groups[${j}].items[${k}].row: unknown row "${item.row}"`);
        }),
      );
    });
    o.unitFocus.groups.forEach((g, i) => g.rows.forEach((r, j) => r.units.forEach((u, k) => unit(u, `${file}: unitFocus.groups[${i}].rows[${j}].units[${k}]`))));
  }
  return problems;
}
