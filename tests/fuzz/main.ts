import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CaseKind, defaultWeights } from './cases';
import { failureLine, runFuzz } from './pool';

/**
 * `npm run test:fuzz [-- --seed N] [--cases 3000] [--jobs 2] [--case K] [--kinds handout,dump] [--out DIR] [--verbose]`
 *
 * Mutates a valid fill-in workbook, an action-plan export, a colleague's plan database and a dump,
 * runs each case through the real import (analyse, apply when accepted) or `plan init --from`
 * against a real SQLite plan, and checks that nothing is lost, nothing hangs (10 s of CPU per case,
 * 30 s of wall time: on a machine shared by many, wall time is not the case's own) and
 * every message is short Japanese. Prints the seed; each failure is one line with its case number,
 * and its input is saved in the failures folder. `--case K` replays one case of a seed.
 */

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    cases: { type: 'string', default: '3000' },
    from: { type: 'string', default: '0' },
    case: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    deadline: { type: 'string', default: '10000' },
    kinds: { type: 'string' },
    out: { type: 'string', default: join(tmpdir(), 'plan-fuzz-failures') },
    verbose: { type: 'boolean', default: false },
  },
});

const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const cases = values.case !== undefined ? values.case.split(',').map(Number) : Array.from({ length: Number(values.cases) }, (_, i) => Number(values.from) + i);
const weights = values.kinds ? Object.fromEntries((values.kinds.split(',') as CaseKind[]).map((k) => [k, defaultWeights[k]])) : defaultWeights;
console.log(
  `fuzz: seed ${seed}, ${cases.length} cases, ${values.jobs} processes, deadline ${Number(values.deadline) / 1000} s of CPU per case (and ${Math.max(30, (Number(values.deadline) * 3) / 1000)} s of wall time); failing inputs go to ${values.out}`,
);

const summary = await runFuzz({
  seed,
  cases,
  jobs: Number(values.jobs),
  deadline: Number(values.deadline),
  failuresDir: values.out,
  weights,
  ...(values.verbose ? { onResult: (n: number, kind: string, steps: string[], r: { outcome: string; message?: string }) => console.log(`  case ${n} ${kind} [${steps.join('; ').slice(0, 160)}]: ${r.outcome}${r.message ? ` — ${r.message}` : ''}`) } : {}),
  onCase: (done, total, failure) => {
    if (failure) console.log(`FAIL ${failureLine(failure)}`);
    if (done % 100 === 0 || done === total) console.log(`  ${done}/${total}`);
  },
});

console.log(`\nseed ${summary.seed}: ${summary.total} cases in ${(summary.ms / 1000).toFixed(0)} s; ${Object.entries(summary.outcomes).map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log(`  by kind: ${Object.entries(summary.byKind).sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
if (summary.failures.length === 0) console.log('no failures');
else {
  console.log(`${summary.failures.length} failing cases (inputs in ${values.out}); replay one with: npm run test:fuzz -- --seed ${seed} --case N`);
  for (const f of summary.failures) console.log(`  ${failureLine(f)}`);
}
process.exitCode = summary.failures.length === 0 ? 0 : 1;
