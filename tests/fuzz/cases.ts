import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mutateDatabase } from './mutate-database';
import { mutateDump } from './mutate-dump';
import { mutateWorkbook } from './mutate-workbook';
import { caseRandom } from './random';
import type { Samples } from './samples';

/**
 * One fuzz case from the run's seed and its number alone: which valid file it starts from, the
 * mutations, and the spoiled input written into the case folder (so a case that hangs or fails
 * can be kept and replayed: `npm run test:fuzz -- --seed S --case N`).
 */

export type CaseKind = 'handout' | 'export' | 'database' | 'dump';

export interface FuzzCase {
  seed: number;
  caseNo: number;
  kind: CaseKind;
  /** The sample it started from (file name). */
  from: string;
  steps: string[];
  /** The spoiled input, in the case folder. */
  input: string;
  /** For dumps: whether `init --from` writes over an existing plan (--force) or a fresh path. */
  force?: boolean;
  /** For files to import: read by `plan import` without --apply (a dry run) instead of the service. */
  dryRunCli?: boolean;
}

const base = (path: string) => path.split(/[\\/]/).pop()!;

/** How often each kind of case comes up (the default mix of `npm run test:fuzz`). */
export const defaultWeights: Record<CaseKind, number> = { handout: 45, export: 20, database: 20, dump: 15 };

export function makeCase(samples: Samples, seed: number, caseNo: number, dir: string, weights: Partial<Record<CaseKind, number>> = defaultWeights): FuzzCase {
  const rnd = caseRandom(seed, caseNo);
  const kinds = (Object.entries(weights) as [CaseKind, number][]).filter(([, w]) => w > 0).map(([k, w]): [number, CaseKind] => [w, k]);
  const kind = rnd.weighted(kinds);
  if (kind === 'handout' || kind === 'export') {
    const from = rnd.pick(kind === 'handout' ? samples.handouts : samples.exports);
    const { bytes, steps } = mutateWorkbook(rnd, readFileSync(from), { ids: samples.ids });
    const input = join(dir, rnd.pick(['記入用.xlsx', 'return.xlsx', 'アクションプラン.xlsx']));
    writeFileSync(input, bytes);
    return { seed, caseNo, kind, from: base(from), steps, input, dryRunCli: rnd.chance(0.1) };
  }
  if (kind === 'database') {
    const input = join(dir, '同僚のコピー.plandb');
    const { bytes, steps } = mutateDatabase(rnd, samples.colleague, input);
    writeFileSync(input, bytes);
    return { seed, caseNo, kind, from: base(samples.colleague), steps, input, dryRunCli: rnd.chance(0.1) };
  }
  const { text, steps } = mutateDump(rnd, readFileSync(samples.dump, 'utf8'));
  const input = join(dir, 'dump.json');
  writeFileSync(input, text);
  return { seed, caseNo, kind, from: base(samples.dump), steps, input, force: rnd.chance(0.4) };
}
