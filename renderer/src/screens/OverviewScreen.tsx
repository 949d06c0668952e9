import { useMemo } from 'react';
import type { OverviewItemView } from '../../../shared/domain/editing';
import { requiredText, yesNoInput } from '../grid/parsers';
import { PlanGrid } from '../grid/PlanGrid';
import type { PlanColumn, RowOps } from '../grid/types';
import { useScreenRows } from '../grid/use-rows';
import type { ScreenProps } from './screen-props';

const itemCell = (field: 'text' | 'isNew') => (r: OverviewItemView) => ({
  address: { entity: 'overviewItem' as const, id: r.id, field },
  edit: (value: string | null) => ({ entity: 'overviewItem' as const, id: r.id, field, value }),
});

/**
 * 年度計画: the annual overview of the chosen fiscal year — items by section and category
 * (【政策要望・地域振興】…), 新 as a badge (Space or Enter toggles it, typing 新 sets it).
 */
export function OverviewScreen(props: ScreenProps) {
  const { fiscalYear, unitId, status } = props;
  const screen = useMemo(() => ({ name: 'overview' as const, fiscalYear, ...(unitId ? { unitId } : {}) }), [fiscalYear, unitId]);
  const { rows, changed } = useScreenRows(screen, props);

  const columns = useMemo(
    (): PlanColumn<OverviewItemView>[] => [
      { id: 'section', header: '区分', width: 150, wrap: true, text: (r) => r.sectionTitle, spanKey: (r) => r.sectionId },
      { id: 'group', header: '分野', width: 170, wrap: true, text: (r) => r.groupLabel, spanKey: (r) => r.groupId },
      { id: 'no', header: 'No.', width: 52, numeric: true, text: (r) => (r.no === null ? '' : String(r.no)) },
      {
        id: 'isNew',
        header: '新',
        width: 52,
        kind: 'bool',
        parse: yesNoInput,
        text: (r) => (r.isNew ? '新' : ''),
        render: (r) => (r.isNew ? <span className="badge-new">新</span> : null),
        cell: itemCell('isNew'),
        headerTooltip: 'その年度の新規事業（Space / Enter で切り替え）',
      },
      { id: 'text', header: '取り組み', flex: 1, minWidth: 320, wrap: true, text: (r) => r.text, parse: requiredText(), cell: itemCell('text') },
      { id: 'rowTheme', header: '関連する中期計画のテーマ', width: 230, wrap: true, text: (r) => r.rowTheme ?? '' },
    ],
    [],
  );
  const rowOps = useMemo(
    (): RowOps<OverviewItemView> => ({
      noun: '項目',
      focusColumn: 'text',
      subject: (r) => ({ kind: 'overviewItem', id: r.id }),
      inserts: [{ label: '項目を追加', kind: 'overviewItem', afterId: (r) => r.id }],
    }),
    [],
  );

  return (
    <PlanGrid<OverviewItemView>
      testId="overview-grid"
      rows={rows}
      columns={columns}
      rowId={(r) => r.id}
      status={status}
      screen={screen}
      changed={changed}
      rowOps={rowOps}
      emptyText={unitId ? 'この年度の年度計画に、この組織が担当する項目はありません。' : `${fiscalYear}年度の年度計画はありません。ツールバーで年度を切り替えてください。`}
    />
  );
}
