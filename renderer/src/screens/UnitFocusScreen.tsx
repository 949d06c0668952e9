import { useMemo } from 'react';
import type { UnitFocusRowView } from '../../../shared/domain/editing';
import { PlanGrid } from '../grid/PlanGrid';
import type { PlanColumn } from '../grid/types';
import { useScreenRows } from '../grid/use-rows';
import { unitRowOps } from './BranchesScreen';
import { focusColumn, unitNameColumn } from './focus-columns';
import type { ScreenProps } from './screen-props';

/**
 * 部会・委員会: the sections, committees, women's association and youth group (the FY2021 table's
 * order) with their focus for each fiscal year; a text two units share is one spanned cell.
 */
export function UnitFocusScreen(props: ScreenProps) {
  const { plan, unitId, status } = props;
  const screen = useMemo(() => ({ name: 'unitFocus' as const, which: 'committees' as const, ...(unitId ? { unitId } : {}) }), [unitId]);
  const { rows, changed } = useScreenRows(screen, props);

  const columns = useMemo(
    (): PlanColumn<UnitFocusRowView>[] => [
      { id: 'group', header: '区分', width: 70, text: (r) => r.group ?? '', spanKey: (r) => r.group },
      unitNameColumn('名称', 190),
      ...plan.fiscalYears.map(({ fiscalYear: fy }) => focusColumn(String(fy), `${fy}年度の重点取り組み内容`, { flex: 1 })),
    ],
    [plan.fiscalYears],
  );
  const rowOps = useMemo(() => unitRowOps('組織', '組織を追加'), []);

  return (
    <PlanGrid<UnitFocusRowView>
      testId="unit-focus-grid"
      rows={rows}
      columns={columns}
      rowId={(r) => r.unitId}
      status={status}
      screen={screen}
      changed={changed}
      rowOps={rowOps}
      emptyText="選んだ組織は部会・委員会ではありません。左の一覧で選び直すか、「すべての組織」に戻してください。"
    />
  );
}
