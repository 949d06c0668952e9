import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type CaseKind, makeCase } from './cases';
import { runCase } from './run-case';
import { loadSamples } from './samples';

/**
 * A fuzz worker process (started by pool.ts): takes case numbers from the parent one at a time,
 * makes and runs each in its own folder, and answers with the result. The parent kills it when a
 * case passes the deadline, so a hang in any code (SQLite included) cannot stop the run.
 */

interface Job {
  seed: number;
  caseNo: number;
  weights?: Partial<Record<CaseKind, number>>;
}

const [samplesDir, workDir] = process.argv.slice(2) as [string, string];
const samples = loadSamples(samplesDir);
mkdirSync(workDir, { recursive: true });

// The parent went away (the run was stopped): so does this worker (it is in a process group of its own).
process.on('disconnect', () => process.exit(0));

process.on('message', (job: Job) => {
  void (async () => {
    const dir = join(workDir, `case-${job.caseNo}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    let c;
    try {
      c = makeCase(samples, job.seed, job.caseNo, dir, job.weights);
    } catch (e) {
      process.send!({ caseNo: job.caseNo, error: `making the case failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
      return;
    }
    process.send!({ caseNo: job.caseNo, started: { kind: c.kind, from: c.from, steps: c.steps, input: c.input, force: c.force } });
    const result = await runCase(c, samples, workDir);
    process.send!({ caseNo: job.caseNo, result }, () => {
      if (result.problems.length === 0) rmSync(dir, { recursive: true, force: true });
    });
  })();
});
// Warm up before the first case counts against the deadline: the first import of each kind loads
// (and, from the TypeScript sources, transpiles) its modules and starts its reader processes.
async function warmUp(): Promise<void> {
  const dir = join(workDir, 'warm-up');
  mkdirSync(dir, { recursive: true });
  for (const [i, input] of [samples.handouts[0]!, samples.exports[0]!, samples.colleague].entries()) {
    const copy = join(dir, `warm-${i}-${input.split(/[\\/]/).pop()}`);
    copyFileSync(input, copy);
    await runCase({ seed: 0, caseNo: -1, kind: i === 2 ? 'database' : i === 1 ? 'export' : 'handout', from: input.split(/[\\/]/).pop()!, steps: [], input: copy }, samples, workDir);
  }
  rmSync(dir, { recursive: true, force: true });
}

void warmUp().then(() => process.send!({ ready: true }));
