import type { SeedBundle } from '../../shared/seed/schema';

/**
 * A synthetic plan `factor` times the seed: every unit, action row (with its themes, year plans,
 * assignments and targets), focus text and overview item repeated with new keys, year plans for
 * every fiscal year, and an actual for every target and year, so that the shapes are the seed's.
 */
export function scaleBundle(seed: SeedBundle, factor: number): SeedBundle {
  const b = structuredClone(seed);
  const years = Array.from({ length: b.plan.plan.endYear - b.plan.plan.startYear + 1 }, (_, i) => b.plan.plan.startYear + i);
  const copyName = (name: string, k: number) => (k === 0 ? name : `${name}（${k + 1}）`);

  b.units.units = Array.from({ length: factor }, (_, k) => seed.units.units.map((u) => ({ ...u, name: copyName(u.name, k), ...(u.shortName ? { shortName: copyName(u.shortName, k) } : {}) }))).flat();

  b.actionPlan = seed.actionPlan.map((page) => ({
    page: page.page,
    rows: Array.from({ length: factor }, (_, k) =>
      page.rows.map((row) => {
        const suffix = k === 0 ? '' : `-x${k}`;
        const yearPlans: Record<string, string> = {};
        for (const y of years) yearPlans[String(y)] = row.yearPlans?.[String(y)] ?? row.yearPlans?.[String(years[0])] ?? row.termPlan ?? '・計画';
        return {
          ...row,
          key: row.key + suffix,
          themes: row.themes.map((t) => ({ ...t, key: t.key + suffix })),
          yearPlans,
          units: row.units.map((u) => copyName(u, k)),
          targets: row.targets.map((t) => ({
            ...t,
            key: t.key + suffix,
            ...(t.theme ? { theme: t.theme + suffix } : {}),
            actuals: Object.fromEntries(years.map((y, i) => [String(y), Math.round((t.termGoal?.value ?? t.plans?.[String(y)]?.value ?? 100) * (0.3 + 0.1 * i + 0.01 * k))])),
          })),
        };
      }),
    ).flat(),
  }));

  b.branches.branches = Array.from({ length: factor }, (_, k) =>
    seed.branches.branches.map((br) => ({ ...br, unit: copyName(br.unit, k), targets: br.targets.map((t) => ({ ...t, key: `${t.key}${k === 0 ? '' : `-x${k}`}` })) })),
  ).flat();
  b.branches.jointProjects = Array.from({ length: factor }, (_, k) =>
    seed.branches.jointProjects.map((j) => ({ ...j, key: `${j.key}${k === 0 ? '' : `-x${k}`}`, units: j.units.map((u) => copyName(u, k)) })),
  ).flat();
  b.overviews = seed.overviews.map((o) => ({
    ...o,
    sections: Array.from({ length: factor }, (_, k) => o.sections.map((s) => ({ ...s, key: `${s.key}${k === 0 ? '' : `-x${k}`}`, groups: s.groups.map((g) => ({ ...g, items: g.items.map((i) => ({ ...i, ...(i.row ? { row: i.row + (k === 0 ? '' : `-x${k}`) } : {}) })) })) }))).flat(),
    unitFocus: { ...o.unitFocus, groups: o.unitFocus.groups.map((g) => ({ ...g, rows: Array.from({ length: factor }, (_, k) => g.rows.map((r) => ({ ...r, units: r.units.map((u) => copyName(u, k)) }))).flat() })) },
  }));
  return b;
}
