import type { ChildProcess } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { parentPort } from 'node:worker_threads';
import { openLocationReadOnly } from '../workspace/read-location';
import { type JobFunction, type JobName, jobTable } from './jobs';
import { errorShape, type FromService } from './protocol';

/**
 * A job worker: runs jobs (electron/api/jobs.ts) one at a time, each on its own read-only
 * connection of the plan (a file's; on PostgreSQL a pool of its own whose transactions the server
 * keeps read-only, never creating or migrating: electron/workspace/read-location.ts), with the temporary folder its parent made for that job (TMPDIR).
 * Cancelling a job ends this thread (worker.terminate()), which stops even work that never yields;
 * first, if this thread still listens, the child processes a job started are killed (a reader of a
 * colleague's database runs in one: its deadline timer lives here and ends with this thread).
 */

/** Tells the worker its job is cancelled: it kills the job's child processes and answers 'cancel-done'. */
export interface JobCancel {
  type: 'cancel';
  id: number;
}

export interface JobOrder {
  type: 'job';
  id: number;
  name: JobName;
  input: unknown;
  /** The plan's location (Workspace.location): a file's path or a PostgreSQL location, which may hold a password: never logged. */
  dbPath: string;
  /** This job's private temporary folder: removed by the parent however the job ends. */
  tempDir: string;
}

const port = parentPort!;
const post = (message: FromService) => port.postMessage(message);

async function run(order: JobOrder): Promise<void> {
  process.env.TMPDIR = process.env.TMP = process.env.TEMP = order.tempDir;
  try {
    const opened = await openLocationReadOnly(order.dbPath);
    try {
      const value = await (jobTable[order.name] as JobFunction)(opened.db, order.input, (phase, fraction) => post({ type: 'progress', id: order.id, phase, fraction }));
      post({ type: 'result', id: order.id, outcome: { ok: true, value } });
    } finally {
      await opened.db.close();
    }
  } catch (e) {
    post({ type: 'result', id: order.id, outcome: { ok: false, error: errorShape(e) } });
  }
}

// Every child process started in this thread (node's built-in diagnostics channel), until it exits.
const children = new Set<ChildProcess>();
subscribe('child_process', (message) => {
  const child = (message as { process: ChildProcess }).process;
  children.add(child);
  child.once('exit', () => children.delete(child));
});

port.on('message', (message: JobOrder | JobCancel) => {
  if (message.type === 'job') void run(message);
  else {
    for (const child of children) child.kill('SIGKILL');
    port.postMessage({ type: 'cancel-done', id: message.id });
  }
});
