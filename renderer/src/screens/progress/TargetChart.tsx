import { useMemo } from 'react';
import { AgCharts } from 'ag-charts-react';
import { AllCartesianModule, type AgCartesianChartOptions } from 'ag-charts-community';
import { formatFigure } from '../../../../shared/rollup/format';
import { directionLabels, kindLabels } from '../../../../shared/rollup/labels';
import type { TargetRollup } from '../../../../shared/rollup/result';
import { goalOf, isSummed } from '../../../../shared/rollup/term';
import { actualColor, goalColor, planColor } from './colors';

const modules = [AllCartesianModule];

interface Datum {
  year: string;
  plan: number | null;
  actual: number | null;
  goal: number | null;
  planToDate: number | null;
  actualToDate: number | null;
}

/** Running sums that stop at the first year without a value (a gap is not a 0). */
function runningSums(values: (number | null)[]): (number | null)[] {
  let sum: number | null = 0;
  return values.map((v) => {
    sum = sum === null || v === null ? null : sum + v;
    return sum;
  });
}

/** One target: plan and actual per fiscal year as bars, the term goal as a line (and, for sums, the running totals). */
export function TargetChart({ target }: { target: TargetRollup }) {
  const options = useMemo<AgCartesianChartOptions>(() => {
    const goal = goalOf(target);
    const summed = isSummed(target.kind);
    const planSums = runningSums(target.years.map((y) => y.plan));
    const actualSums = runningSums(target.years.map((y) => y.actual));
    const data: Datum[] = target.years.map((y, i) => ({
      year: `${y.fiscalYear}年度`,
      plan: y.plan,
      actual: y.actual,
      goal,
      planToDate: planSums[i] ?? null,
      actualToDate: actualSums[i] ?? null,
    }));
    const unit = target.unit;
    const fmt = (v: unknown) => formatFigure(typeof v === 'number' ? v : null, unit);
    const goalName = target.kind === 'maintain' ? '維持する水準' : '期間目標';
    const goalText = goal === null ? '期間目標なし' : `${goalName} ${formatFigure(goal, unit)}${directionLabels[target.direction]}`;
    const series: NonNullable<AgCartesianChartOptions['series']> = [
      { type: 'bar', xKey: 'year', yKey: 'plan', yName: '計画', fill: planColor, label: { enabled: true, formatter: ({ value }) => fmt(value), fontSize: 11 } },
      { type: 'bar', xKey: 'year', yKey: 'actual', yName: '実績', fill: actualColor, label: { enabled: true, formatter: ({ value }) => fmt(value), fontSize: 11 } },
    ];
    if (summed) {
      series.push(
        { type: 'line', xKey: 'year', yKey: 'planToDate', yName: '計画の累計', stroke: planColor, marker: { fill: planColor, size: 6 }, lineDash: [2, 3] },
        { type: 'line', xKey: 'year', yKey: 'actualToDate', yName: '実績の累計', stroke: actualColor, marker: { fill: actualColor, size: 6 }, lineDash: [2, 3] },
      );
    }
    if (goal !== null) series.push({ type: 'line', xKey: 'year', yKey: 'goal', yName: goalName, stroke: goalColor, strokeWidth: 2, lineDash: [6, 4], marker: { enabled: false } });
    return {
      data,
      title: { text: target.label, fontSize: 13, fontFamily: 'BIZ UDPGothic, sans-serif' },
      subtitle: { text: `${kindLabels[target.kind]}・${goalText}`, fontSize: 11, fontFamily: 'BIZ UDPGothic, sans-serif' },
      series,
      axes: {
        x: { type: 'category', position: 'bottom' },
        y: { type: 'number', position: 'left', label: { formatter: ({ value }) => fmt(value) } },
      },
      legend: { position: 'bottom', item: { label: { fontSize: 11 } } },
      background: { fill: '#ffffff' },
      animation: { enabled: false },
    };
  }, [target]);
  return <AgCharts options={options} modules={modules} className="chart" />;
}
