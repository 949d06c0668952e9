/**
 * The history panel (Ctrl+Shift+H): who changed the focused cell, when, from what to what. It
 * follows the focus and is read again when the rows change.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CellFocusedEvent } from 'ag-grid-community';
import type { HistoryEntry } from '../../../shared/domain/editing';
import { api } from '../api/transport';
import { errorMessage } from '../errors';
import type { GridHandle } from './grid-handle';

export function useCellHistory<Row>(grid: GridHandle<Row>) {
  const [open, setOpen] = useState(false);
  const [cellLabel, setCellLabel] = useState<string | null>(null);
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const openRef = useRef(open);
  openRef.current = open;

  const load = useCallback(async () => {
    const f = grid.focused();
    const cell = f?.col?.cell?.(f.row);
    if (!f?.col || !cell) {
      setCellLabel(f?.col ? `${f.col.header}（履歴のない欄です）` : null);
      setEntries(null);
      return;
    }
    setCellLabel(`${f.col.header}：${(f.col.text(f.row) || '（空欄）').slice(0, 60)}`);
    try {
      setEntries(await api['history.cell']({ cell: cell.address }));
    } catch (e) {
      setEntries(null);
      grid.props.current.status.error(errorMessage(e));
    }
  }, [grid]);

  const onCellFocused = useCallback(
    (_e: CellFocusedEvent<Row>) => {
      if (openRef.current) void load();
    },
    [load],
  );

  const rows = grid.props.current.rows;
  useEffect(() => {
    if (open) void load();
  }, [open, rows, load]);

  const toggle = useCallback(() => setOpen((o) => !o), []);
  const close = useCallback(() => setOpen(false), []);

  return { open, cellLabel, entries, onCellFocused, toggle, close };
}
