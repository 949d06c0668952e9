/**
 * One run of the crash worker (worker.ts, built by bundle.ts) as the parent sees it: its lines
 * (`ready`, `ack <op> <kind> [row]`, `fail <op> <code> <message>`) recorded as they come, waits
 * for a line that matters, and SIGKILL. What was acknowledged is kept in `Acks`, shared by all the
 * runs on one database: an acknowledgement is only ever printed after the commit returned.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Acks {
  /** The newest acknowledged op per single-edit row. */
  single: Map<string, number>;
  block: number;
  numbers: number;
  imports: number;
  count: number;
  /** The highest op number acknowledged. */
  last: number;
}

export const noAcks = (): Acks => ({ single: new Map(), block: -1, numbers: -1, imports: -1, count: 0, last: 0 });

/** A copy that later acknowledgements do not change (what a check may rely on when it starts). */
export const copyAcks = (a: Acks): Acks => ({ ...a, single: new Map(a.single) });

export interface Failure {
  op: number;
  code: string;
  message: string;
}

export class Victim {
  readonly child: ChildProcess;
  /** Acknowledgements of this run. */
  ready = false;
  acked = 0;
  importsAcked = 0;
  failures: Failure[] = [];
  private readonly waiters: { test: () => boolean; resolve: () => void; reject: (e: Error) => void }[] = [];
  private ended: Error | null = null;
  private stderr = '';
  private readonly exited: Promise<NodeJS.Signals | null>;
  private killed = false;

  constructor(script: string, args: string[], cwd: string, acks: Acks) {
    this.child = spawn(process.execPath, [script, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    this.child.stderr!.on('data', (c: Buffer) => {
      if (this.stderr.length < 8000) this.stderr += c.toString();
    });
    this.child.stdout!.on('data', (c: Buffer) => {
      buffer += c.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        this.line(buffer.slice(0, nl), acks);
        buffer = buffer.slice(nl + 1);
      }
      this.wake();
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        if (!this.killed) this.ended = new Error(`the worker ended by itself (${signal ?? code}): ${this.stderr.slice(0, 2000)}`);
        this.ended ??= new Error('the worker was killed');
        this.wake();
        resolve(signal);
      }),
    );
  }

  private line(line: string, acks: Acks): void {
    if (line === 'ready') this.ready = true;
    const ack = /^ack (\d+) (\w+)(?: (\S+))?$/.exec(line);
    if (ack) {
      const op = Number(ack[1]);
      this.acked++;
      acks.count++;
      acks.last = Math.max(acks.last, op);
      if (ack[2] === 'single') acks.single.set(ack[3]!, op);
      else if (ack[2] === 'block') acks.block = op;
      else if (ack[2] === 'import') {
        acks.imports = op;
        this.importsAcked++;
      } else acks.numbers = op;
    }
    const fail = /^fail (\d+) (\S+) (.*)$/.exec(line);
    if (fail) this.failures.push({ op: Number(fail[1]), code: fail[2]!, message: fail[3]! });
  }

  private wake(): void {
    for (const w of [...this.waiters]) {
      if (w.test()) w.resolve();
      else if (this.ended) w.reject(this.ended);
      else continue;
      this.waiters.splice(this.waiters.indexOf(w), 1);
    }
  }

  /** Resolves once `test` holds (checked after every line); rejects if the worker ends first. */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => this.waiters.push({ test, resolve, reject }));
  }

  /** SIGKILL, and waits until the process is gone. */
  async kill(): Promise<void> {
    this.killed = true;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
