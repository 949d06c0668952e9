import { useMemo } from 'react';
import type { TargetRowView } from '../../../shared/domain/editing';
import { formatQuantity } from '../../../shared/numbers/parse';
import { choiceOf, fiscalYearInput, numberIn, requiredText } from '../grid/parsers';
import { PlanGrid } from '../grid/PlanGrid';
import type { EditCell, PlanColumn, RowOps } from '../grid/types';
import { useScreenRows } from '../grid/use-rows';
import type { ScreenProps } from './screen-props';
import { directionOptions, kindOptions, labelOf } from './target-labels';

type Field = 'label' | 'unit' | 'kind' | 'direction' | 'baselineValue' | 'baselineYear' | 'termGoalValue' | 'note' | 'planValue' | 'actualValue';

const targetCell =
  (field: Field, fiscalYear?: number) =>
  (r: TargetRowView): EditCell => ({
    address: { entity: 'target', id: r.id, field, ...(fiscalYear ? { fiscalYear } : {}) },
    edit: (value) => ({ entity: 'target', id: r.id, field, value, ...(fiscalYear ? { fiscalYear } : {}) }),
  });

const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : formatQuantity(v));

/**
 * 目標・実績: one row per target (KPI) — what it belongs to, label, unit, kind, direction, baseline,
 * plan and actual for each fiscal year, the term goal. Numbers are right-aligned with thousands
 * separators and may be typed in any form of the documents (1万, 2.5万, ２５，０００, 80％).
 */
export function TargetsScreen(props: ScreenProps) {
  const { plan, unitId, status } = props;
  const screen = useMemo(() => ({ name: 'targets' as const, ...(unitId ? { unitId } : {}) }), [unitId]);
  const { rows, changed } = useScreenRows(screen, props);

  const columns = useMemo((): PlanColumn<TargetRowView>[] => {
    const years = plan.fiscalYears.flatMap(({ fiscalYear: fy }): PlanColumn<TargetRowView>[] => [
      {
        id: `plan${fy}`,
        header: '計画',
        group: `${fy}年度`,
        width: 92,
        numeric: true,
        text: (r) => num(r.values[String(fy)]?.plan),
        parse: (input, r) => numberIn(r.unit)(input),
        cell: targetCell('planValue', fy),
      },
      {
        id: `actual${fy}`,
        header: '実績',
        group: `${fy}年度`,
        width: 92,
        numeric: true,
        text: (r) => num(r.values[String(fy)]?.actual),
        parse: (input, r) => numberIn(r.unit)(input),
        cell: targetCell('actualValue', fy),
      },
    ]);
    return [
      { id: 'label', header: '目標（指標）', width: 210, wrap: true, pinned: true, text: (r) => r.label, parse: requiredText(), cell: targetCell('label') },
      { id: 'owner', header: 'テーマ・支部', width: 160, wrap: true, text: (r) => r.owner, spanKey: (r) => `${r.rowId ?? r.unitId ?? ''}/${r.owner}` },
      { id: 'unit', header: '単位', width: 64, text: (r) => r.unit, cell: targetCell('unit') },
      {
        id: 'kind',
        header: '種類',
        width: 108,
        kind: 'enum',
        options: kindOptions,
        text: (r) => labelOf(kindOptions, r.kind),
        editText: (r) => r.kind,
        parse: choiceOf(kindOptions),
        cell: targetCell('kind'),
        headerTooltip: '年度の値から期間の値を出す方法（累計は合計、水準・率は最終年度）',
      },
      {
        id: 'direction',
        header: '方向',
        width: 66,
        kind: 'enum',
        options: directionOptions,
        text: (r) => labelOf(directionOptions, r.direction),
        editText: (r) => r.direction,
        parse: choiceOf(directionOptions),
        cell: targetCell('direction'),
      },
      { id: 'baselineValue', header: '基準値', width: 92, numeric: true, text: (r) => num(r.baselineValue), parse: (input, r) => numberIn(r.unit)(input), cell: targetCell('baselineValue') },
      { id: 'baselineYear', header: '基準年度', width: 76, numeric: true, text: (r) => (r.baselineYear === null ? '' : String(r.baselineYear)), parse: fiscalYearInput, cell: targetCell('baselineYear') },
      ...years,
      {
        id: 'termGoalValue',
        header: `期間目標（${plan.endYear}年度末）`,
        width: 104,
        numeric: true,
        text: (r) => num(r.termGoalValue),
        parse: (input, r) => numberIn(r.unit)(input),
        cell: targetCell('termGoalValue'),
      },
      { id: 'note', header: '備考', width: 320, wrap: true, text: (r) => r.note ?? '', cell: targetCell('note') },
    ];
  }, [plan.fiscalYears, plan.endYear]);

  const rowOps = useMemo(
    (): RowOps<TargetRowView> => ({
      noun: '目標',
      focusColumn: 'label',
      subject: (r) => ({ kind: 'target', id: r.id }),
      inserts: [{ label: '目標を追加', kind: 'target', afterId: (r) => r.id }],
    }),
    [],
  );

  return (
    <PlanGrid<TargetRowView>
      testId="targets-grid"
      rows={rows}
      columns={columns}
      rowId={(r) => r.id}
      status={status}
      screen={screen}
      changed={changed}
      rowOps={rowOps}
      emptyText={unitId ? 'この組織の目標はありません。' : '目標がありません。'}
    />
  );
}
