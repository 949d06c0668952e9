import { useCallback, useEffect, useMemo, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import { themeQuartz, type CellValueChangedEvent, type ColDef } from 'ag-grid-community';
import type { ActionRowView } from '../../../shared/domain/action-plan';
import { api } from '../api/transport';
import { errorMessage } from '../errors';
import type { ScreenProps } from './registry';

const gridTheme = themeQuartz.withParams({ fontFamily: 'var(--font-ja)', fontSize: 13, headerFontWeight: 700, wrapperBorderRadius: 0 });

/** 中期計画: the action-plan table, one grid row per printed table row. */
export function ActionPlanScreen({ plan, fiscalYear, unitId, units, status }: ScreenProps) {
  const [rows, setRows] = useState<ActionRowView[] | null>(null);

  const load = useCallback(async () => {
    try {
      setRows(await api['actionRows.list']({ fiscalYear, ...(unitId ? { unitId } : {}) }));
    } catch (e) {
      status.error(errorMessage(e));
    }
  }, [fiscalYear, unitId, status]);

  useEffect(() => {
    void load();
  }, [load]);

  const unitName = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const ordinal = plan.fiscalYears.find((y) => y.fiscalYear === fiscalYear)?.ordinal ?? 0;

  const columnDefs = useMemo<ColDef<ActionRowView>[]>(
    () => [
      { headerName: '頁', field: 'page', width: 56, valueFormatter: (p) => '①②③④⑤⑥⑦⑧⑨'[Number(p.value) - 1] ?? String(p.value) },
      {
        headerName: '中期事業計画',
        colId: 'themes',
        width: 300,
        valueGetter: (p) => [p.data?.heading ?? '', ...(p.data?.themes ?? []).map((t) => `・${t.text}`)].filter(Boolean).join('\n'),
        cellClass: 'cell-multiline',
        wrapText: true,
        autoHeight: true,
      },
      {
        headerName: `${plan.endYear}年度末の到達目標・３年間のアクションプラン`,
        field: 'termPlan',
        colId: 'termPlan',
        flex: 1,
        minWidth: 320,
        editable: true,
        cellEditor: 'agLargeTextCellEditor',
        cellEditorPopup: true,
        cellEditorParams: { maxLength: 100000, rows: 12, cols: 60 },
        cellClass: 'cell-multiline',
        wrapText: true,
        autoHeight: true,
      },
      {
        headerName: `${fiscalYear}年度（中期事業計画${ordinal}年目）事業活動計画`,
        field: 'yearPlan',
        colId: 'yearPlan',
        flex: 1,
        minWidth: 320,
        editable: true,
        cellEditor: 'agLargeTextCellEditor',
        cellEditorPopup: true,
        cellEditorParams: { maxLength: 100000, rows: 12, cols: 60 },
        cellClass: 'cell-multiline',
        wrapText: true,
        autoHeight: true,
      },
      {
        headerName: '主な担当',
        colId: 'units',
        width: 200,
        valueGetter: (p) => (p.data?.unitIds ?? []).map((id) => unitName.get(id) ?? '').join('\n'),
        cellClass: 'cell-multiline',
        wrapText: true,
        autoHeight: true,
      },
    ],
    [plan.endYear, fiscalYear, ordinal, unitName],
  );

  const onCellValueChanged = useCallback(
    async (e: CellValueChangedEvent<ActionRowView>) => {
      if (!e.data) return;
      const field = e.colDef.colId === 'yearPlan' ? 'yearPlan' : 'termPlan';
      try {
        await api['cells.apply']({
          label: 'セルの編集',
          edits: [{ entity: 'actionRow', id: e.data.id, field, value: (e.newValue as string | null) ?? null, ...(field === 'yearPlan' ? { fiscalYear } : {}) }],
        });
        status.info('保存しました。');
      } catch (err) {
        status.error(errorMessage(err));
      }
      // Show what the database holds, whatever happened.
      await load();
    },
    [fiscalYear, load, status],
  );

  if (!rows) return <div className="grid-host" aria-busy="true" />;
  return (
    <div className="grid-host" data-testid="action-plan-grid">
      <AgGridReact<ActionRowView>
        theme={gridTheme}
        rowData={rows}
        columnDefs={columnDefs}
        getRowId={(p) => p.data.id}
        onCellValueChanged={onCellValueChanged}
        stopEditingWhenCellsLoseFocus
        enterNavigatesVerticallyAfterEdit
      />
    </div>
  );
}
