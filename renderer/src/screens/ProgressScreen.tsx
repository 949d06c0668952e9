import { useCallback, useEffect, useMemo, useState } from 'react';
import { planStateLabels, planStateOrder, statusLabels, statusOrder } from '../../../shared/rollup/labels';
import type { RollupResult } from '../../../shared/rollup/result';
import { rollupTables, type RollupTable } from '../../../shared/rollup/table';
import { api } from '../api/transport';
import { errorMessage } from '../errors';
import { RollupGrid } from './progress/RollupGrid';
import { TargetChart } from './progress/TargetChart';
import { UnitChart, UnitChartLegend, type UnitChartMode } from './progress/UnitChart';
import './progress/progress.css';
import type { ScreenProps } from './screen-props';

type View = 'targets' | 'units' | 'pillars' | 'years';
const views: { id: View; label: string }[] = [
  { id: 'targets', label: '目標別' },
  { id: 'units', label: '組織別' },
  { id: 'pillars', label: '柱・指針別' },
  { id: 'years', label: '年度別' },
];

/**
 * 進捗・集計: whether the years add up to the term goals (plan side) and where each target and
 * unit stands as of the chosen fiscal year (actual side); narrowed by the unit sidebar.
 */
export function ProgressScreen({ fiscalYear, unitId, status }: ScreenProps) {
  const [result, setResult] = useState<RollupResult | null>(null);
  const [view, setView] = useState<View>('targets');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [chartMode, setChartMode] = useState<UnitChartMode | null>(null);

  const load = useCallback(async () => {
    try {
      setResult(await api['rollup.get']({ fiscalYear, ...(unitId ? { unitId } : {}) }));
    } catch (e) {
      status.error(errorMessage(e));
    }
  }, [fiscalYear, unitId, status]);

  useEffect(() => {
    void load();
  }, [load]);

  const tables = useMemo(() => (result ? rollupTables(result) : null), [result]);
  const selected = result?.targets.find((t) => t.id === selectedId) ?? result?.targets[0] ?? null;
  const anyActual = result ? result.years.some((y) => y.actualsEntered > 0) : false;
  // Before any actual is entered, where a unit stands is what its plans say; afterwards, its progress.
  const mode: UnitChartMode = chartMode ?? (anyActual ? 'status' : 'plan');

  if (!result || !tables) return <div className="progress" aria-busy="true" />;
  const table: RollupTable = tables[view];
  const totals = result.totals;

  return (
    <div className="progress" data-testid="progress-screen">
      <div className="progress-head">
        <div className="progress-scope">
          <strong>
            {result.asOfYear}年度時点・{result.unit ? result.unit.name : '全組織'}
          </strong>
          <span>
            テーマ {totals.themes}件・目標 {totals.targets}件
          </span>
        </div>
        <div className="progress-counts" aria-label="進捗の状況">
          <span className="counts-title">進捗</span>
          {statusOrder
            .filter((s) => totals.status[s] > 0)
            .map((s) => (
              <span key={s} className={`badge badge-${s}`}>
                {statusLabels[s]} {totals.status[s]}
              </span>
            ))}
        </div>
        <div className="progress-counts" aria-label="計画の判定">
          <span className="counts-title">計画</span>
          {planStateOrder
            .filter((s) => totals.plan[s] > 0)
            .map((s) => (
              <span key={s} className={`badge badge-${s}`}>
                {planStateLabels[s]} {totals.plan[s]}
              </span>
            ))}
        </div>
        {!anyActual && totals.targets > 0 && <p className="progress-hint">実績はまだ入力されていません。いまは計画の積み上げ（各年度の計画が期間目標に届くか）を確認できます。</p>}
      </div>
      <div className="progress-views" role="tablist" aria-label="集計の単位">
        {views.map((v) => (
          <button key={v.id} type="button" role="tab" aria-selected={v.id === view} className={v.id === view ? 'view active' : 'view'} onClick={() => setView(v.id)}>
            {v.label}
          </button>
        ))}
        <span className="progress-table-notes">{table.notes[0]}</span>
      </div>
      <div className="progress-grid">
        <RollupGrid key={view} table={table} testId={`rollup-grid-${view}`} selectedId={view === 'targets' ? (selected?.id ?? null) : null} onSelect={view === 'targets' ? setSelectedId : undefined} />
      </div>
      <div className="progress-charts">
        <section className="chart-panel" data-testid="target-chart" aria-label="目標の年度別の計画と実績">
          <h2>目標の年度別の計画・実績{view === 'targets' ? '（表の行を選ぶと切り替わります）' : ''}</h2>
          {selected ? <TargetChart target={selected} /> : <p className="empty">目標がありません。</p>}
        </section>
        <section className="chart-panel" data-testid="unit-chart" aria-label="組織別の状況">
          <h2>
            組織別の状況
            <span className="segmented" role="group" aria-label="組織別グラフの内容">
              <button type="button" aria-pressed={mode === 'status'} onClick={() => setChartMode('status')}>
                進捗の状況
              </button>
              <button type="button" aria-pressed={mode === 'plan'} onClick={() => setChartMode('plan')}>
                計画の判定
              </button>
            </span>
          </h2>
          <UnitChartLegend mode={mode} />
          <div className="chart-scroll">{result.units.some((u) => u.targets > 0) ? <UnitChart units={result.units} mode={mode} /> : <p className="empty">目標のある組織がありません。</p>}</div>
        </section>
      </div>
    </div>
  );
}
