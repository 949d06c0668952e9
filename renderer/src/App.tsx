import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MethodResult } from '../../shared/contract/methods';
import { api } from './api/transport';
import { UnitSidebar } from './components/UnitSidebar';
import { errorMessage } from './errors';
import { screens, type StatusReporter } from './screens/registry';

type Info = MethodResult<'app.info'>;
type Summary = MethodResult<'plan.summary'>;
type Units = MethodResult<'units.list'>;

/** The frame: title, screen tabs, fiscal-year switch, unit sidebar, the current screen, status bar. */
export function App() {
  const [info, setInfo] = useState<Info | null>(null);
  const [plan, setPlan] = useState<Summary | null>(null);
  const [units, setUnits] = useState<Units>([]);
  const [fiscalYear, setFiscalYear] = useState<number | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [screenId, setScreenId] = useState(screens[0]!.id);
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });

  const reporter = useMemo<StatusReporter>(
    () => ({ info: (text) => setStatus({ text, error: false }), error: (text) => setStatus({ text, error: true }) }),
    [],
  );

  const loadUnits = useCallback(async () => {
    try {
      setUnits(await api['units.list']({}));
    } catch (e) {
      reporter.error(errorMessage(e));
    }
  }, [reporter]);

  useEffect(() => {
    void (async () => {
      try {
        const [i, p] = await Promise.all([api['app.info']({}), api['plan.summary']({})]);
        setInfo(i);
        setPlan(p);
        setFiscalYear(p.startYear);
        await loadUnits();
      } catch (e) {
        reporter.error(errorMessage(e));
      }
    })();
  }, [loadUnits, reporter]);

  const screen = screens.find((s) => s.id === screenId) ?? screens[0]!;
  const Screen = screen.component;
  const selectedUnit = units.find((u) => u.id === unitId);

  return (
    <div className="app">
      <header className="titlebar">
        <h1>計画ワークベンチ</h1>
        {plan && (
          <span>
            {plan.title}（{plan.periodLabel}）
          </span>
        )}
        {info && <span className="file">{info.dbFileName}</span>}
      </header>
      <div className="toolbar">
        <div className="tabs" role="tablist" aria-label="画面">
          {screens.map((s) => (
            <button key={s.id} type="button" role="tab" aria-selected={s.id === screen.id} className={s.id === screen.id ? 'tab active' : 'tab'} onClick={() => setScreenId(s.id)}>
              {s.label}
            </button>
          ))}
        </div>
        {plan && fiscalYear !== null && (
          <label>
            年度
            <select aria-label="年度" value={fiscalYear} onChange={(e) => setFiscalYear(Number(e.target.value))}>
              {plan.fiscalYears.map((y) => (
                <option key={y.fiscalYear} value={y.fiscalYear}>
                  {y.fiscalYear}年度（{y.ordinal}年目）
                </option>
              ))}
            </select>
          </label>
        )}
        {selectedUnit && (
          <span className="filter-chip">
            絞り込み: {selectedUnit.name}
            <button type="button" aria-label="絞り込みを解除" onClick={() => setUnitId(null)}>
              ×
            </button>
          </span>
        )}
      </div>
      <div className="body">
        <UnitSidebar units={units} selected={unitId} onSelect={setUnitId} />
        <main className="main">
          {plan && fiscalYear !== null && (
            <Screen key={screen.id} plan={plan} fiscalYear={fiscalYear} unitId={unitId} units={units} status={reporter} onDataChanged={() => void loadUnits()} />
          )}
        </main>
      </div>
      <footer className={`statusbar${status.error ? ' error' : ''}`} role="status">
        {status.text}
      </footer>
    </div>
  );
}
