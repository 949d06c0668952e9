import { useCallback, useRef, useState } from 'react';
import { AppError } from '../../../shared/errors/app-error';
import type { JobPhase } from '../../../shared/contract/methods/jobs';
import { api } from '../api/transport';

/** A long call the page started (import, export, hand-out): its progress while it runs, and its cancel. */
export interface RunningJob {
  key: string;
  phase: JobPhase | null;
  fraction: number | null;
}

export const jobPhaseText: Record<JobPhase, string> = {
  check: 'ファイルを確認しています…',
  read: 'ファイルを読み込んでいます…',
  compare: 'いまの計画と比べています…',
  backup: 'バックアップを取っています…',
  apply: '計画に書き込んでいます…',
  layout: 'レイアウトを組んでいます…',
  xlsx: 'Excel ファイルを作っています…',
  pdf: 'PDF を作っています…',
  write: 'ファイルを保存しています…',
};

/** The call ended because the user cancelled it (nothing changed). */
export const isCancelled = (e: unknown) => e instanceof AppError && e.code === 'cancelled';

const POLL_MS = 250;

/**
 * Runs long calls with a job key: `run` gives the call its key and polls jobs.progress while it runs;
 * `cancel` asks the services to stop it (the call then fails with isCancelled). A cancel before the
 * call reached the services (a file still on its way) is remembered there and stops it on arrival.
 */
export function useJob() {
  const [job, setJob] = useState<RunningJob | null>(null);
  const current = useRef<string | null>(null);

  const run = useCallback(async <T>(start: (key: string) => Promise<T>, key: string = crypto.randomUUID()): Promise<T> => {
    current.current = key;
    setJob({ key, phase: null, fraction: null });
    const timer = setInterval(() => {
      api['jobs.progress']({ key }).then(
        (p) => setJob((j) => (j?.key === key && p.phase ? { key, phase: p.phase, fraction: p.fraction } : j)),
        () => undefined,
      );
    }, POLL_MS);
    try {
      return await start(key);
    } finally {
      clearInterval(timer);
      if (current.current === key) current.current = null;
      setJob((j) => (j?.key === key ? null : j));
    }
  }, []);

  const cancel = useCallback((key: string | null = current.current) => {
    if (key) void api['jobs.cancel']({ key }).catch(() => undefined);
  }, []);

  return { job, run, cancel };
}
