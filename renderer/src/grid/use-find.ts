/**
 * Find on the screen (Ctrl+F): the query, its matches (highlighted through the column
 * definitions' cell classes), the current match, going to the next or previous one, and closing
 * on the match so the planner can type there.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { shownOrder } from './column-defs';
import { findMatches, matchKey, nextMatch } from './find-matches';
import type { GridHandle } from './grid-handle';

export function useFind<Row>(grid: GridHandle<Row>) {
  const { rows, columns } = grid.props.current;
  const [open, setOpen] = useState(false);
  const [focusToken, setFocusToken] = useState(0);
  const [query, setQueryState] = useState('');
  const [current, setCurrent] = useState(-1);
  const matchKeys = useRef(new Set<string>());
  const currentKey = useRef<string | null>(null);

  const matches = useMemo(() => (rows ? findMatches(rows, shownOrder(columns), query) : []), [query, rows, columns]);

  useEffect(() => {
    const hadMatches = matchKeys.current.size > 0;
    matchKeys.current = new Set(matches.map((m) => matchKey(m.rowIndex, m.colId)));
    const m = matches[current];
    currentKey.current = m ? matchKey(m.rowIndex, m.colId) : null;
    // Repaint the highlights only when there are (or were) some.
    if (hadMatches || matches.length > 0) grid.api.current?.refreshCells({ force: true });
  }, [grid, matches, current]);

  const openFind = useCallback(() => {
    setOpen(true);
    setFocusToken((t) => t + 1);
  }, []);

  const setQuery = useCallback((q: string) => {
    setQueryState(q);
    setCurrent(-1);
  }, []);

  const goToMatch = useCallback(
    (step: 1 | -1) => {
      const f = grid.api.current?.getFocusedCell();
      const next = nextMatch(matches, current, f ? { rowIndex: f.rowIndex, colId: f.column.getColId() } : null, step);
      if (next < 0) return;
      setCurrent(next);
      const m = matches[next]!;
      const a = grid.api.current;
      if (a) {
        a.ensureIndexVisible(m.rowIndex, 'middle');
        a.ensureColumnVisible(m.colId);
      }
    },
    [grid, current, matches],
  );

  const closeFind = useCallback(() => {
    setOpen(false);
    const m = matches[current];
    setQueryState('');
    setCurrent(-1);
    if (m) grid.focusCell(m.rowIndex, m.colId);
    else {
      const f = grid.api.current?.getFocusedCell();
      if (f) grid.focusCell(f.rowIndex, f.column.getColId());
    }
  }, [grid, current, matches]);

  const isMatch = useCallback((rowIndex: number, colId: string) => matchKeys.current.has(matchKey(rowIndex, colId)), []);
  const isCurrent = useCallback((rowIndex: number, colId: string) => currentKey.current === matchKey(rowIndex, colId), []);

  return { open, focusToken, query, setQuery, current, count: matches.length, openFind, goToMatch, closeFind, isMatch, isCurrent };
}
