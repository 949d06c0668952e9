import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../errors';
import type { StatusReporter } from '../screens/registry';

/**
 * The rows of a screen as the database holds them: loaded when the query changes (fiscal year,
 * unit filter, an undo elsewhere) and reloaded by the grid after each change. An answer that
 * arrives after a newer request is dropped, so a slow read never overwrites a newer one.
 */
export function useScreenRows<T>(query: () => Promise<T[]>, status: StatusReporter): { rows: T[] | null; reload: () => Promise<void> } {
  const [rows, setRows] = useState<T[] | null>(null);
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const next = await query();
      if (mine === generation.current) setRows(next);
    } catch (e) {
      status.error(errorMessage(e));
    }
  }, [query, status]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { rows, reload };
}
