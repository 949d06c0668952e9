import { useMemo } from 'react';
import type { UnitFocusRowView } from '../../../shared/domain/editing';
import { PlanGrid } from '../grid/PlanGrid';
import type { PlanColumn, RowOps } from '../grid/types';
import { useScreenRows } from '../grid/use-rows';
import { focusColumn, unitNameColumn } from './focus-columns';
import type { ScreenProps } from './screen-props';

export const unitRowOps = (noun: string, label: string): RowOps<UnitFocusRowView> => ({
  noun,
  focusColumn: 'name',
  subject: (r) => ({ kind: 'unit', id: r.unitId }),
  inserts: [{ label, kind: 'unit', afterId: (r) => r.unitId }],
});

/** 支部: the 23 branches (page ⑦ order) with their 3-year focus and each fiscal year's action plan. */
export function BranchesScreen(props: ScreenProps) {
  const { plan, unitId, status } = props;
  const screen = useMemo(() => ({ name: 'unitFocus' as const, which: 'branches' as const, ...(unitId ? { unitId } : {}) }), [unitId]);
  const { rows, changed } = useScreenRows(screen, props);

  const columns = useMemo(
    (): PlanColumn<UnitFocusRowView>[] => [
      unitNameColumn('支部名', 110),
      focusColumn('term', '３年間の重点取組内容', { width: 300 }),
      ...plan.fiscalYears.map(({ fiscalYear: fy }) => focusColumn(String(fy), `${fy}年度のアクションプラン`, { flex: 1 })),
    ],
    [plan.fiscalYears],
  );
  const rowOps = useMemo(() => unitRowOps('支部', '支部を追加'), []);

  return (
    <PlanGrid<UnitFocusRowView>
      testId="branches-grid"
      rows={rows}
      columns={columns}
      rowId={(r) => r.unitId}
      status={status}
      screen={screen}
      changed={changed}
      rowOps={rowOps}
      emptyText="選んだ組織は支部ではありません。左の一覧で支部を選ぶか、「すべての組織」に戻してください。"
    />
  );
}
