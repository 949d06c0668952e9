import { type ChildProcess, fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseKind } from './cases';
import type { CaseResult, Outcome } from './run-case';
import { buildSamples } from './samples';

/**
 * Runs fuzz cases in worker processes, each case under a deadline: a case that passes it is a
 * hang, its process is killed and replaced. Cases are numbered 0…n-1 and each is made from
 * (seed, number) alone, so any one can be replayed by itself. A failing case's input is copied to
 * the failures folder with a JSON file saying what was done to it and what went wrong.
 */

export interface FuzzOptions {
  seed: number;
  /** Case numbers to run. */
  cases: number[];
  jobs: number;
  /** Per case, in ms of CPU time of the worker process (wall time where /proc is missing). */
  deadline: number;
  /** Per case, in ms of wall time (default: 3 × deadline, at least 30 s): catches a case that waits rather than works. */
  wallCap?: number;
  failuresDir: string;
  /** The mix of kinds (default: cases.ts defaultWeights). */
  weights?: Partial<Record<CaseKind, number>>;
  /** Called after each case (progress). */
  onCase?: (done: number, total: number, failure: Failure | null) => void;
  /** Called with each finished case's outcome and refusal message (--verbose). */
  onResult?: (caseNo: number, kind: string, steps: string[], result: CaseResult) => void;
}

export interface Failure {
  seed: number;
  caseNo: number;
  kind: string;
  from: string;
  steps: string[];
  problems: string[];
  /** Where the failing input was saved. */
  saved: string | null;
}

export interface FuzzSummary {
  seed: number;
  total: number;
  outcomes: Record<string, number>;
  /** Outcomes by kind of case, e.g. 'database refused'. */
  byKind: Record<string, number>;
  failures: Failure[];
  ms: number;
}

interface Started {
  kind: CaseKind;
  from: string;
  steps: string[];
  input: string;
  force?: boolean;
}

type Message = { ready: true } | { caseNo: number; started: Started } | { caseNo: number; result: CaseResult } | { caseNo: number; error: string };

const here = import.meta.dirname;
/** Starting a worker: loading the modules and one warm-up import of each kind (not counted against a case's deadline). */
const STARTUP_MS = 180_000;
const repoRoot = join(here, '..', '..');

/**
 * CPU seconds a process and its finished children have used, from /proc (null where there is none).
 * On a machine shared by many, wall time is not a case's own time: the deadline counts CPU, and a
 * case that waits instead of working is caught by the wall-clock cap.
 */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime (fields 14-17 of stat), in clock ticks of 1/100 s.
    return fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0) / 100;
  } catch {
    return null;
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const t0 = Date.now();
  const wallCap = options.wallCap ?? Math.max(30_000, options.deadline * 3);
  const work = mkdtempSync(join(tmpdir(), 'plan-fuzz-'));
  const samples = await buildSamples(join(work, 'samples'));
  const queue = [...options.cases];
  const failures: Failure[] = [];
  const outcomes: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  let done = 0;
  let generation = 0;

  const save = (caseNo: number, started: Started | undefined, problems: string[]): Failure => {
    mkdirSync(options.failuresDir, { recursive: true });
    let saved: string | null = null;
    const stem = `seed-${options.seed}-case-${caseNo}`;
    if (started && existsSync(started.input)) {
      saved = join(options.failuresDir, `${stem}-${started.input.split(/[\\/]/).pop()}`);
      copyFileSync(started.input, saved);
    }
    const failure: Failure = { seed: options.seed, caseNo, kind: started?.kind ?? '?', from: started?.from ?? '?', steps: started?.steps ?? [], problems, saved };
    writeFileSync(join(options.failuresDir, `${stem}.json`), JSON.stringify({ ...failure, force: started?.force, replay: `npm run test:fuzz -- --seed ${options.seed} --case ${caseNo}` }, null, 2));
    return failure;
  };

  const finish = (failure: Failure | null, outcome: Outcome | 'hang' | 'error', kind = failure?.kind ?? '?') => {
    done++;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    byKind[`${kind} ${outcome}`] = (byKind[`${kind} ${outcome}`] ?? 0) + 1;
    if (failure) failures.push(failure);
    options.onCase?.(done, options.cases.length, failure);
  };

  async function worker(): Promise<void> {
    for (;;) {
      if (queue.length === 0) return;
      const dir = join(work, `worker-${generation++}`);
      // Its own process group, so that a kill also ends the processes it started (a database reader stuck in SQLite).
      const child: ChildProcess = fork(join(here, 'child.ts'), [samples.dir, dir], { cwd: repoRoot, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true });
      const killGroup = () => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString('utf8')).slice(-4000);
      });
      const killed = await new Promise<boolean>((resolve) => {
        let current: { caseNo: number; started?: Started; timer?: NodeJS.Timeout } | null = null;
        const next = () => {
          const caseNo = queue.shift();
          if (caseNo === undefined) {
            child.kill();
            resolve(false);
            return;
          }
          current = { caseNo };
          const cpu0 = cpuSeconds(child.pid!);
          const t0 = Date.now();
          current.timer = setInterval(() => {
            const c = current!;
            const cpu = cpuSeconds(child.pid!);
            const used = cpu !== null && cpu0 !== null ? cpu - cpu0 : null;
            const wall = Date.now() - t0;
            let why: string | null = null;
            if (used !== null && used * 1000 > options.deadline) why = `more than ${options.deadline / 1000} s of CPU`;
            else if (used === null && wall > options.deadline) why = `no answer within ${options.deadline / 1000} s`;
            else if (wall > wallCap) why = `no answer within ${wallCap / 1000} s (waiting, ${used?.toFixed(1) ?? '?'} s of CPU)`;
            if (!why) return;
            clearInterval(c.timer);
            current = null;
            killGroup();
            finish(save(c.caseNo, c.started, [`hang: ${why}${c.started ? '' : ' (the case was not even made)'}`]), 'hang');
            resolve(true);
          }, 200);
          child.send({ seed: options.seed, caseNo, weights: options.weights });
        };
        // A worker that cannot even start (it crashes, or its warm-up import hangs) fails the case it would have run.
        let ready = false;
        const notStarted = (why: string) => {
          const caseNo = queue.shift();
          if (caseNo !== undefined) finish(save(caseNo, undefined, [`the worker process ${why}: ${stderr.split('\n').slice(-3).join(' ⏎ ')}`]), 'error');
          resolve(true);
        };
        let gaveUp = false;
        const startTimer = setTimeout(() => {
          gaveUp = true;
          killGroup();
          notStarted(`did not start within ${STARTUP_MS / 1000} s`);
        }, STARTUP_MS);
        child.on('message', (m: Message) => {
          if ('ready' in m) {
            ready = true;
            clearTimeout(startTimer);
            return next();
          }
          if (!current || m.caseNo !== current.caseNo) return;
          if ('started' in m) {
            current.started = m.started;
            return;
          }
          clearInterval(current.timer);
          const c = current;
          current = null;
          if ('error' in m) finish(save(c.caseNo, c.started, [m.error]), 'error');
          else {
            options.onResult?.(c.caseNo, c.started?.kind ?? '?', c.started?.steps ?? [], m.result);
            const failure = m.result.problems.length ? save(c.caseNo, c.started, m.result.problems) : null;
            finish(failure, m.result.outcome, c.started?.kind);
          }
          next();
        });
        child.on('exit', (code, signal) => {
          if (!ready) {
            clearTimeout(startTimer);
            if (!gaveUp) notStarted(`exited while starting (${signal ?? code})`);
            return;
          }
          if (!current) return;
          clearInterval(current.timer);
          const c = current;
          current = null;
          finish(save(c.caseNo, c.started, [`the worker process died (${signal ?? code}): ${stderr.split('\n').slice(-5).join(' ⏎ ')}`]), 'error');
          resolve(true);
        });
      });
      if (!killed) {
        rmSync(dir, { recursive: true, force: true });
        return;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, () => worker()));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  failures.sort((a, b) => a.caseNo - b.caseNo);
  return { seed: options.seed, total: options.cases.length, outcomes, byKind, failures, ms: Date.now() - t0 };
}

/** One line per failure, with how to replay it. */
export function failureLine(f: Failure): string {
  return `seed ${f.seed} case ${f.caseNo} [${f.kind} from ${f.from}; ${f.steps.join('; ').slice(0, 300)}]: ${f.problems.join(' | ').slice(0, 600)}`;
}
