import { AppError } from '../../shared/errors/app-error';
import type { JobPhase, JobProgress } from '../../shared/contract/methods/jobs';

/**
 * The long calls running right now, by the job key the page gave them: their progress (for the
 * progress bar) and a way to cancel them. A call without a key can still be cancelled by whoever
 * started it (the message protocol's cancel, electron/api/protocol.ts) through its own signal.
 */

/** What a running call may ask of its surroundings. */
export interface CallControl {
  /** Aborted when the call is cancelled. */
  readonly signal: AbortSignal;
  progress(phase: JobPhase, fraction?: number | null): void;
  /** Throws the 'cancelled' error once the call was cancelled: called at the points where stopping changes nothing. */
  throwIfCancelled(): void;
}

/** From whoever started the call (the service host): its cancel and where its progress goes. */
export interface CallOrigin {
  signal?: AbortSignal;
  onProgress?: (phase: JobPhase, fraction: number | null) => void;
}

export const cancelledError = () => new AppError('cancelled', '取り消しました。計画は変更していません。', 'cancelled by the user');

/** Lets messages that arrived meanwhile (a cancel) be handled before going on. */
export const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Running {
  controller: AbortController;
  progress: JobProgress;
}

/** Keys cancelled before their call arrived (the page cancels while the file is still on its way): a few, the oldest go first. */
const EARLY_CANCELS_KEPT = 32;

export class CallRegistry {
  private readonly running = new Map<string, Running>();
  private readonly cancelledEarly = new Set<string>();

  begin(key: string | undefined, origin: CallOrigin = {}): { control: CallControl; end: () => void } {
    const controller = new AbortController();
    const forward = () => controller.abort();
    origin.signal?.addEventListener('abort', forward, { once: true });
    if (origin.signal?.aborted) controller.abort();
    const entry: Running = { controller, progress: { phase: null, fraction: null } };
    if (key !== undefined) {
      if (this.cancelledEarly.delete(key)) controller.abort();
      this.running.set(key, entry);
    }
    const control: CallControl = {
      signal: controller.signal,
      progress: (phase, fraction = null) => {
        entry.progress = { phase, fraction: fraction === null ? null : Math.min(1, Math.max(0, fraction)) };
        origin.onProgress?.(phase, entry.progress.fraction);
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw cancelledError();
      },
    };
    const end = () => {
      origin.signal?.removeEventListener('abort', forward);
      if (key !== undefined && this.running.get(key) === entry) this.running.delete(key);
    };
    return { control, end };
  }

  /** Cancels the call with this key; true when one was running. */
  cancel(key: string): boolean {
    const r = this.running.get(key);
    if (r) {
      r.controller.abort();
      return true;
    }
    this.cancelledEarly.add(key);
    if (this.cancelledEarly.size > EARLY_CANCELS_KEPT) this.cancelledEarly.delete(this.cancelledEarly.values().next().value!);
    return false;
  }

  progressOf(key: string): JobProgress {
    return this.running.get(key)?.progress ?? { phase: null, fraction: null };
  }
}

/** A call nobody can cancel and whose progress nobody watches (the command line, internal uses). */
export const detachedCall: CallControl = { signal: new AbortController().signal, progress: () => {}, throwIfCancelled: () => {} };
