import type { Worker } from 'node:worker_threads';
import type { Outcome } from '../../shared/errors/app-error';
import type { JobPhase } from '../../shared/contract/methods/jobs';
import { errorShape, type FromService, type HostHandlers, type HostKind, type HostRequest, type OpenFile, outcomeValue, serviceStopped, type ControlRequest, type ServiceInit, type ToService } from './protocol';

/**
 * The entry point's side of the protocol (electron/api/protocol.ts): the Electron shell and the
 * browser-mode HTTP server talk to the services through this. `call` has the contract handler's
 * shape, so IPC and HTTP wiring stay as they were; it never blocks this thread, whatever the call.
 */

/** A channel to the services, whatever carries it. */
export interface ServiceChannel {
  post(message: ToService): void;
  onMessage(listener: (message: FromService) => void): void;
  onExit(listener: (why: string) => void): void;
  stop(): Promise<void>;
}

export function workerChannel(worker: Worker): ServiceChannel {
  return {
    post: (m) => worker.postMessage(m),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => {
      worker.on('error', (e) => listener(`worker error: ${e.message}`));
      worker.on('exit', (code) => listener(`worker exited with ${code}`));
    },
    stop: async () => void (await worker.terminate()),
  };
}

/** What the shell needs of Electron's UtilityProcess (structural: no 'electron' import here). */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export function utilityChannel(child: UtilityProcessLike): ServiceChannel {
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    post: (m) => child.postMessage(m),
    onMessage: (listener) => child.on('message', (m) => listener(m as FromService)),
    onExit: (listener) => child.on('exit', (code) => listener(`utility process exited with ${code}`)),
    stop: async () => {
      if (!exited) child.kill();
      await exit;
    },
  };
}

export interface ServiceEvents {
  log?: (line: string) => void;
  /** A call's progress (e.g. the taskbar's progress bar); null phase: the call ended. */
  progress?: (phase: JobPhase | null, fraction: number | null) => void;
  /** The services stopped without being asked (crashed, killed, out of memory). */
  exit?: (why: string) => void;
}

export class ServiceClient {
  private nextId = 1;
  private readonly calls = new Map<number, (outcome: Outcome<unknown>) => void>();
  private readonly controls = new Map<number, (outcome: Outcome<OpenFile | null>) => void>();
  private stopped: string | null = null;

  constructor(
    private readonly channel: ServiceChannel,
    private readonly host: HostHandlers,
    private readonly events: ServiceEvents = {},
  ) {
    channel.onMessage((m) => this.receive(m));
    channel.onExit((why) => this.lost(why));
  }

  /** Sends the settings; the host requests this entry point answers are those it has handlers for. */
  start(init: Omit<ServiceInit, 'host'>): void {
    this.channel.post({ type: 'init', init: { ...init, host: Object.keys(this.host) as HostKind[] } });
  }

  /**
   * A contract call (the same shape as the handler of electron/api/handlers.ts); `origin.signal`
   * cancels it (e.g. the page that asked went away).
   */
  call = (method: unknown, args: unknown, origin?: { signal?: AbortSignal }): Promise<Outcome<unknown>> => {
    if (this.stopped !== null) return Promise.resolve({ ok: false, error: serviceStopped(this.stopped) });
    const id = this.nextId++;
    const signal = origin?.signal;
    const cancel = () => this.stopped === null && this.channel.post({ type: 'cancel', id });
    return new Promise<Outcome<unknown>>((resolve) => {
      this.calls.set(id, resolve);
      this.channel.post({ type: 'call', id, method, args });
      signal?.addEventListener('abort', cancel, { once: true });
    }).finally(() => signal?.removeEventListener('abort', cancel));
  };

  /** Opens, creates or copies the plan file; rejects with the AppError of a refusal. */
  async control(request: ControlRequest): Promise<OpenFile | null> {
    if (this.stopped !== null) return outcomeValue({ ok: false, error: serviceStopped(this.stopped) });
    const id = this.nextId++;
    const outcome = await new Promise<Outcome<OpenFile | null>>((resolve) => {
      this.controls.set(id, resolve);
      this.channel.post({ type: 'control', id, request });
    });
    return outcomeValue(outcome);
  }

  /** Closes the database (releasing its lock) and ends the services. */
  async stop(): Promise<void> {
    if (this.stopped === null) await this.control({ op: 'close' }).catch(() => null);
    this.stopped ??= 'stopped';
    await this.channel.stop();
  }

  private receive(m: FromService): void {
    switch (m.type) {
      case 'result':
        this.calls.get(m.id)?.(m.outcome);
        this.calls.delete(m.id);
        if (this.calls.size === 0) this.events.progress?.(null, null);
        return;
      case 'control-result':
        this.controls.get(m.id)?.(m.outcome);
        this.controls.delete(m.id);
        return;
      case 'progress':
        this.events.progress?.(m.phase, m.fraction);
        return;
      case 'log':
        this.events.log?.(m.line);
        return;
      case 'host-request':
        void this.answer(m.id, m.request);
        return;
    }
  }

  private async answer(id: number, request: HostRequest): Promise<void> {
    let outcome: Outcome<unknown>;
    try {
      const handler = this.host[request.kind] as ((r: HostRequest) => Promise<unknown>) | undefined;
      if (!handler) throw new Error(`no host handler for ${request.kind}`);
      const value = await handler(request);
      outcome = { ok: true, value: value === undefined ? null : value };
    } catch (e) {
      outcome = { ok: false, error: errorShape(e) };
    }
    if (this.stopped === null) this.channel.post({ type: 'host-response', id, outcome });
  }

  /** Every call still waiting gets an answer: the services are gone. */
  private lost(why: string): void {
    if (this.stopped !== null) return;
    this.stopped = why;
    this.events.log?.(`[service] ${why}`);
    for (const resolve of this.calls.values()) resolve({ ok: false, error: serviceStopped(why) });
    for (const resolve of this.controls.values()) resolve({ ok: false, error: serviceStopped(why) });
    this.calls.clear();
    this.controls.clear();
    this.events.exit?.(why);
  }
}
