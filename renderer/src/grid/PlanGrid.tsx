/**
 * An editable grid of plan rows that behaves like a spreadsheet: type to replace, F2/Enter/
 * double-click to edit, Enter/Tab/arrows to move, Esc to cancel, Delete to clear, Alt+Enter for a
 * line break, paste of a block from Excel, copy as TSV, find, the history of a cell, and row
 * operations. Every change goes to the database at once as one change set (one undo step), and
 * the grid then shows what the database holds.
 *
 * This file only composes: the decisions live in pure modules (key-map, cell-range, write-targets,
 * copy-block, find-matches, focus-target, column-defs) and the hooks (use-*) glue them to AG Grid.
 */
import { useCallback, useEffect, useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridReadyEvent } from 'ag-grid-community';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { toColumnDefs } from './column-defs';
import { FindBar } from './FindBar';
import { useGridHandle, type PlanGridProps } from './grid-handle';
import { gridTheme } from './grid-theme';
import { GridToolbar } from './GridToolbar';
import { HistoryPanel } from './HistoryPanel';
import { useCellHistory } from './use-cell-history';
import { useCellWrites } from './use-cell-writes';
import { useClipboard } from './use-clipboard';
import { useFind } from './use-find';
import { useFocusRequests } from './use-focus-requests';
import { useGridKeys } from './use-grid-keys';
import { useRowOps } from './use-row-ops';

export type { PlanGridProps } from './grid-handle';

export function PlanGrid<Row>(props: PlanGridProps<Row>) {
  const { testId, rows, columns, rowId, rowOps, emptyText, toolbar } = props;
  const grid = useGridHandle(props);
  const writes = useCellWrites(grid);
  const focus = useFocusRequests(grid);
  const ops = useRowOps(grid, writes.write, focus.requestFocus);
  const clipboard = useClipboard(grid, writes);
  const find = useFind(grid);
  const history = useCellHistory(grid);
  const suppressKeyboardEvent = useGridKeys(grid, { ...ops, ...writes }, { openFind: find.openFind, toggleHistory: history.toggle, goToMatch: find.goToMatch });

  const { move } = focus;
  const { isMatch, isCurrent } = find;
  const status = useCallback((message: string) => grid.props.current.status.error(message), [grid]);
  const columnDefs = useMemo(() => toColumnDefs(columns, { move, refused: status, isMatch, isCurrent }), [columns, move, status, isMatch, isCurrent]);
  const defaultColDef = useMemo<ColDef<Row>>(() => ({ suppressKeyboardEvent, wrapHeaderText: true, autoHeaderHeight: true, resizable: true }), [suppressKeyboardEvent]);

  const onGridReady = useCallback(
    (e: GridReadyEvent<Row>) => {
      grid.api.current = e.api;
      // The web font arrives after the first layout: measure the rows again with it. Rows with
      // wrapping text (autoHeight) are measured by the grid itself whenever their content resizes.
      if (!grid.props.current.columns.some((c) => c.wrap))
        void document.fonts.ready.then(() => {
          if (!e.api.isDestroyed()) e.api.resetRowHeights();
        });
    },
    [grid],
  );

  const { applyPendingFocus } = focus;
  useEffect(applyPendingFocus, [rows, applyPendingFocus]);

  return (
    <div className="plan-grid">
      <GridToolbar
        toolbar={toolbar}
        rowOps={rowOps}
        insertRow={(i) => void ops.insertRow(i)}
        deleteRow={() => void ops.deleteRow()}
        moveRow={(d) => void ops.moveRow(d)}
        openFind={find.openFind}
        historyOpen={history.open}
        toggleHistory={history.toggle}
      />
      {find.open && (
        <FindBar
          query={find.query}
          onQuery={find.setQuery}
          count={find.count}
          current={find.current}
          onNext={() => find.goToMatch(1)}
          onPrevious={() => find.goToMatch(-1)}
          onClose={find.closeFind}
          focusToken={find.focusToken}
        />
      )}
      <div className={`grid-and-panel${history.open ? ' with-panel' : ''}`}>
        <div className="grid-host" data-testid={testId} onPaste={clipboard.onPaste} onCopy={(e) => clipboard.onCopy(e, false)} onCut={(e) => clipboard.onCopy(e, true)}>
          {rows && (
            <AgGridReact<Row>
              theme={gridTheme}
              rowData={rows}
              columnDefs={columnDefs}
              defaultColDef={defaultColDef}
              getRowId={(p) => rowId(p.data)}
              readOnlyEdit
              onCellEditRequest={writes.onCellEditRequest}
              onCellFocused={history.onCellFocused}
              onRowDataUpdated={applyPendingFocus}
              onFirstDataRendered={focus.onFirstDataRendered}
              onGridReady={onGridReady}
              enableCellSpan
              rowSelection={{ mode: 'multiRow', checkboxes: false, headerCheckbox: false, enableClickSelection: false }}
              stopEditingWhenCellsLoseFocus
              enterNavigatesVerticallyAfterEdit
              suppressStartEditOnTab
              overlayNoRowsTemplate={`<span class="grid-empty">${emptyText ?? '行がありません。'}</span>`}
            />
          )}
        </div>
        {history.open && <HistoryPanel cellLabel={history.cellLabel} entries={history.entries} onClose={history.close} />}
      </div>
      <ConfirmDialog request={ops.confirm} />
    </div>
  );
}
