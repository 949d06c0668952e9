import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors/app-error';
import { makePrivateTemp } from '../files/private-temp';
import { type CallControl, cancelledError } from './calls';
import type { JobInput, JobName, JobOutput, JobRunner } from './jobs';
import type { EntryPoint } from './entries';
import type { JobCancel, JobOrder } from './job-worker';
import { type FromService, fromShape } from './protocol';

/**
 * Runs jobs in job workers (electron/api/job-worker.ts): the services' thread stays free to answer
 * other calls, and a cancel ends the job's worker at once, even in the middle of native SQLite work
 * or a parse that never yields (a cooperative flag could not stop those). A worker runs one job at a
 * time and is kept for the next (starting one costs a moment: the print preview asks for a job at
 * export); a cancelled or failed worker is thrown away, so nothing of it reaches a later job. After
 * the first job one idle worker is kept warm (not before: loading it would slow the start).
 *
 * Each job gets a private temporary folder (its TMPDIR; electron/files/private-temp.ts), removed
 * when the job ends in any way, so a cancelled import leaves no plan copy behind (and one of a
 * killed process is swept at the next start). Memory is capped: a file that makes a job explode
 * ends that job with a message, not the services.
 */

const JOB_HEAP_MB = 3072;
const IDLE_KEPT = 1;
/** How long a cancelled job's worker may take to kill its child processes before it is ended anyway (it is blocked). */
const CANCEL_GRACE_MS = 1000;

interface PooledWorker {
  worker: Worker;
  busy: boolean;
  /** Ends the job it runs (the worker died or was ended). */
  fail: ((e: AppError) => void) | null;
}

export function workerJobs(entry: EntryPoint, dbPath: () => string, log: (line: string) => void = () => {}): JobRunner {
  const pool = new Set<PooledWorker>();
  let nextId = 1;

  const spawn = (): PooledWorker => {
    const worker = new Worker(entry.path, {
      env: { ...process.env },
      resourceLimits: { maxOldGenerationSizeMb: JOB_HEAP_MB },
      ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
    });
    const pooled: PooledWorker = { worker, busy: false, fail: null };
    const gone = (e: AppError) => {
      pool.delete(pooled);
      pooled.fail?.(e);
    };
    worker.on('error', (e) => {
      const memory = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      gone(
        memory
          ? new AppError('bad_file', 'ファイルが大きすぎるか複雑すぎるため、処理できませんでした。', `a job ran out of memory (${JOB_HEAP_MB} MB)`)
          : new AppError('internal', '予期しないエラーが発生しました。', `a job worker failed: ${e.stack ?? e.message}`),
      );
    });
    worker.on('exit', (code) => gone(new AppError('internal', '予期しないエラーが発生しました。', `a job worker ended with exit code ${code} before answering`)));
    // An idle worker does not keep the services alive.
    worker.unref();
    pool.add(pooled);
    return pooled;
  };

  /** After a job: one idle worker ready for the next, no more. */
  const keepWarm = () => {
    const idle = [...pool].filter((p) => !p.busy);
    if (idle.length < IDLE_KEPT) spawn();
    for (const extra of idle.slice(IDLE_KEPT)) {
      pool.delete(extra);
      void extra.worker.terminate();
    }
  };

  const take = (): PooledWorker => {
    const pooled = [...pool].find((p) => !p.busy) ?? spawn();
    pooled.busy = true;
    return pooled;
  };

  return {
    run<N extends JobName>(name: N, input: JobInput<N>, call: CallControl): Promise<JobOutput<N>> {
      return new Promise<JobOutput<N>>((resolve, reject) => {
        call.throwIfCancelled();
        const temp = makePrivateTemp('job');
        const pooled = take();
        const id = nextId++;
        let settled = false;
        const finish = (settle: () => void, keep: boolean) => {
          if (settled) return;
          settled = true;
          call.signal.removeEventListener('abort', onAbort);
          pooled.worker.off('message', onMessage);
          pooled.fail = null;
          if (keep) pooled.busy = false;
          else {
            pool.delete(pooled);
            // Let the worker kill the job's child processes if it still listens; end it either way.
            const end = () => void pooled.worker.terminate().finally(() => removeTemp(true));
            const grace = setTimeout(end, CANCEL_GRACE_MS);
            pooled.worker.once('message', (m: { type?: string }) => m.type === 'cancel-done' && (clearTimeout(grace), end()));
            pooled.worker.postMessage({ type: 'cancel', id } satisfies JobCancel);
          }
          // Unlinks at once (an ended worker may still hold files open: fine on POSIX), and again once it stopped (Windows).
          removeTemp(false);
          keepWarm();
          settle();
        };
        const removeTemp = (last: boolean) => {
          try {
            temp.remove();
          } catch (e) {
            if (last) log(`[jobs] ${name}: temporary folder not removed: ${String(e)}`);
          }
        };
        const onAbort = () => finish(() => reject(cancelledError()), false);
        const onMessage = (m: FromService) => {
          if (m.type === 'progress' && m.id === id) call.progress(m.phase, m.fraction);
          else if (m.type === 'result' && m.id === id) finish(() => (m.outcome.ok ? resolve(m.outcome.value as JobOutput<N>) : reject(fromShape(m.outcome.error))), true);
        };
        pooled.fail = (e) => finish(() => reject(e), false);
        call.signal.addEventListener('abort', onAbort, { once: true });
        pooled.worker.on('message', onMessage);
        const order: JobOrder = { type: 'job', id, name, input, dbPath: dbPath(), tempDir: temp.dir };
        pooled.worker.postMessage(order);
      });
    },
  };
}
