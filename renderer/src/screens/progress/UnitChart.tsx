import { useMemo } from 'react';
import { AgCharts } from 'ag-charts-react';
import { AllCartesianModule, type AgCartesianChartOptions } from 'ag-charts-community';
import { planStateLabels, planStateOrder, statusLabels, statusOrder } from '../../../../shared/rollup/labels';
import type { UnitRollup } from '../../../../shared/rollup/result';
import { planStateColors, statusColors } from './colors';

const modules = [AllCartesianModule];

export type UnitChartMode = 'status' | 'plan';

/** Per unit: how many of its targets are in each status (or plan state), stacked. */
export function UnitChart({ units, mode }: { units: UnitRollup[]; mode: UnitChartMode }) {
  const options = useMemo<AgCartesianChartOptions>(() => {
    const keys = mode === 'status' ? statusOrder : planStateOrder;
    const withTargets = units.filter((u) => u.targets > 0);
    const data = withTargets.map((u) => {
      const counts: Record<string, number> = mode === 'status' ? u.status : u.plan;
      return { name: u.name, ...Object.fromEntries(keys.map((k) => [k, counts[k] ?? 0])) };
    });
    return {
      data,
      series: keys.map((k) => ({
        type: 'bar' as const,
        direction: 'horizontal' as const,
        xKey: 'name',
        yKey: k,
        yName: mode === 'status' ? statusLabels[k as keyof typeof statusLabels] : planStateLabels[k as keyof typeof planStateLabels],
        stacked: true,
        fill: mode === 'status' ? statusColors[k as keyof typeof statusColors] : planStateColors[k as keyof typeof planStateColors],
      })),
      axes: {
        x: { type: 'category', position: 'left', label: { fontSize: 11 } },
        y: { type: 'number', position: 'bottom', title: { text: '目標の数', fontSize: 11 }, label: { fontSize: 10, formatter: ({ value }) => (Number.isInteger(value) ? String(value) : '') } },
      },
      // The legend is HTML above the scrolling chart (it stays in view and never paginates).
      legend: { enabled: false },
      background: { fill: '#ffffff' },
      animation: { enabled: false },
    };
  }, [units, mode]);
  const height = Math.max(140, units.filter((u) => u.targets > 0).length * 22 + 60);
  return <AgCharts options={options} modules={modules} className="chart" style={{ height }} />;
}

/** The colours of the unit chart, as HTML: always visible above the scrolling chart. */
export function UnitChartLegend({ mode }: { mode: UnitChartMode }) {
  const items =
    mode === 'status'
      ? statusOrder.map((k) => ({ key: k, label: statusLabels[k], color: statusColors[k] }))
      : planStateOrder.map((k) => ({ key: k, label: planStateLabels[k], color: planStateColors[k] }));
  return (
    <div className="chart-legend">
      {items.map((i) => (
        <span key={i.key}>
          <i style={{ background: i.color }} />
          {i.label}
        </span>
      ))}
    </div>
  );
}
