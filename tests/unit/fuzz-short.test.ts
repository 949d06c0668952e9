import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { failureLine, runFuzz } from '../fuzz/pool';

/**
 * The short fuzzing run of `npm test` (the long one is `npm run test:fuzz`, tests/fuzz/main.ts):
 * mutated fill-in workbooks, action-plan exports, colleagues' plan databases and dumps, each run
 * through the real import (and apply when accepted) or `plan init --from` against a real SQLite
 * plan, in worker processes with a 10 s deadline per case. Fails on any lost or changed byte of a
 * refused file's database, a write by an accepted analysis, an 'internal' error or a message over
 * 500 characters, a plan that fails its integrity check, rollup or dump round trip after an
 * accepted import, and any case that hangs. The seed is fixed so the run is the same every time
 * (FUZZ_SEED and FUZZ_CASES change it); a failure prints the seed and case number to replay with
 * `npm run test:fuzz -- --seed S --case N`, and saves the input in the failures folder.
 */

const seed = Number(process.env.FUZZ_SEED ?? 20261201);
const cases = Number(process.env.FUZZ_CASES ?? 200);

it(`${cases} mutated files (seed ${seed}): nothing lost, nothing hangs, every message short Japanese`, async () => {
  const summary = await runFuzz({
    seed,
    cases: Array.from({ length: cases }, (_, i) => i),
    jobs: 2,
    deadline: 10_000,
    failuresDir: join(tmpdir(), 'plan-fuzz-failures'),
    // Colleagues' databases cost most (each is read in a process of its own): fewer of them here than in the long run.
    weights: { handout: 55, export: 25, database: 6, dump: 14 },
  });
  expect(summary.failures.map(failureLine)).toEqual([]);
  // The run reached the apply path and both kinds of refusal: a run that accepted or refused nothing would prove little.
  expect(summary.outcomes.applied ?? 0).toBeGreaterThan(5);
  expect(summary.outcomes.refused ?? 0).toBeGreaterThan(cases / 4);
  expect(summary.outcomes.created ?? 0).toBeGreaterThan(0);
}, 600_000);
