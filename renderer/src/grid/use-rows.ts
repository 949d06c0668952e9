import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChangeFollowUp, ScreenRef } from '../../../shared/domain/editing';
import { api } from '../api/transport';
import type { StatusReporter } from '../components/status';
import { errorMessage } from '../errors';
import { patchRows, rowIdOf, sameScreen, type RowOf, type RowsPatch, type ScreenLink, type ScreenName } from './apply-changes';

/** What a screen's rows need from the frame. */
export interface ScreenFrame {
  status: StatusReporter;
  /** Tells the frame what a write answered (undo labels, units), or that it must ask (null). */
  onDataChanged(outcome: ChangeFollowUp | null): void;
  /** Makes this screen the one undo and redo answer for; returns the undoing of that. */
  linkScreen(link: ScreenLink): () => void;
  /** Goes up whenever the database changed outside the screen (an import): read again then. */
  dataVersion: number;
}

/** All rows of a screen, from its list method. */
function listScreen(ref: ScreenRef): Promise<RowOf<ScreenName>[]> {
  const unit = ref.unitId ? { unitId: ref.unitId } : {};
  switch (ref.name) {
    case 'actionRows':
      return api['actionRows.list']({ fiscalYear: ref.fiscalYear, ...unit });
    case 'targets':
      return api['targets.list']({ ...unit });
    case 'unitFocus':
      return api['unitFocus.list']({ which: ref.which, ...unit });
    case 'overview':
      return api['overview.list']({ fiscalYear: ref.fiscalYear, ...unit });
  }
}

export interface ScreenRows<Row> {
  /** null while loading. */
  rows: Row[] | null;
  /** Takes a write's answer: the rows it names go in place, or the screen is read again; then the frame hears of it. */
  changed(outcome: ChangeFollowUp | null, sent: ScreenRef): Promise<void>;
}

/**
 * The rows of a screen as the database holds them: read whole when the screen changes (fiscal
 * year, unit filter, an import), then kept up to date from each write's answer. A whole read that
 * arrives after a newer one is dropped, so a slow read never overwrites a newer one; an answer is
 * only merged into rows of the same screen with no read under way, else the screen is read again.
 * `screen` should keep its identity while it names the same rows (useMemo).
 */
export function useScreenRows<N extends ScreenName>(screen: Extract<ScreenRef, { name: N }>, frame: ScreenFrame): ScreenRows<RowOf<N>> {
  const { status, onDataChanged, linkScreen, dataVersion } = frame;
  const [rows, setRows] = useState<RowOf<N>[] | null>(null);
  // The rows as last set (a second answer may come before React renders the first).
  const held = useRef<RowOf<N>[] | null>(null);
  const current = useRef<ScreenRef>(screen);
  current.current = screen;
  const generation = useRef(0);
  const loaded = useRef(0);

  const show = useCallback((next: RowOf<N>[]) => {
    held.current = next;
    setRows(next);
  }, []);

  const reload = useCallback(async () => {
    void dataVersion;
    const mine = ++generation.current;
    try {
      const next = (await listScreen(screen)) as RowOf<N>[];
      if (mine !== generation.current) return;
      loaded.current = mine;
      show(next);
    } catch (e) {
      status.error(errorMessage(e));
    }
  }, [screen, status, show, dataVersion]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const changed = useCallback(
    async (outcome: ChangeFollowUp | null, sent: ScreenRef) => {
      const change = outcome?.screen;
      const settled = loaded.current === generation.current && held.current !== null;
      const fits = change && change.name === sent.name && sameScreen(sent, current.current) && settled;
      // Same name as this screen (checked above), so its rows are this screen's rows: the union cannot say so to the type checker.
      const next = fits ? patchRows(held.current!, change as unknown as RowsPatch<RowOf<N>>, rowIdOf(change.name) as (row: RowOf<N>) => string) : null;
      if (next) show(next);
      else await reload();
      onDataChanged(outcome);
    },
    [reload, show, onDataChanged],
  );

  useEffect(() => linkScreen({ screen, changed }), [linkScreen, screen, changed]);

  return { rows, changed };
}
