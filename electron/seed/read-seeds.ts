import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { SeedActionPage, SeedBranches, SeedBundle, SeedOverview, SeedPlan, SeedUnits } from '../../shared/seed/schema';

export class SeedError extends Error {
  constructor(readonly problems: string[]) {
    super(`seed data is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'SeedError';
  }
}

function describePath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(top)';
}

/** Validates one parsed file; the problems name the file, the entry and the field. */
export function validate<S extends z.ZodType>(schema: S, data: unknown, file: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new SeedError(result.error.issues.map((i) => `${file}: ${describePath(i.path)}: ${i.message}`));
}

function readYaml(path: string, label: string): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new SeedError([`${label}: ${e instanceof Error ? e.message : String(e)}`]);
  }
}

/** Reads seeds/ (YAML files as FORMAT.md describes) into one validated bundle. */
export function readSeedDirectory(dir: string): SeedBundle {
  const file = (name: string) => join(dir, name);
  const label = (path: string) => `seeds/${relative(dir, path)}`;
  const load = <S extends z.ZodType>(schema: S, path: string) => validate(schema, readYaml(path, label(path)), label(path));

  const pageFiles = readdirSync(file('action-plan'))
    .filter((f) => /^page-\d+\.ya?ml$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  const overviewFiles = readdirSync(dir).filter((f) => /^overview-\d{4}\.ya?ml$/.test(f)).sort();
  const bundle: SeedBundle = {
    plan: load(SeedPlan, file('plan.yaml')),
    units: load(SeedUnits, file('units.yaml')),
    actionPlan: pageFiles.map((f) => load(SeedActionPage, join(dir, 'action-plan', f))),
    branches: load(SeedBranches, file('branches.yaml')),
    overviews: overviewFiles.map((f) => load(SeedOverview, file(f))),
  };
  return validate(SeedBundle, bundle, 'seeds/');
}

/** Reads a dump (`npm run plan -- dump`), the same bundle as JSON. */
export function readSeedDump(path: string): SeedBundle {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new SeedError([`${path}: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return validate(SeedBundle, data, path);
}
