import { useEffect, useState } from 'react';
import type { MethodResult } from '../../shared/contract/methods';
import { api } from './api/transport';
import { errorMessage } from './errors';
import { ActionPlanScreen } from './screens/ActionPlanScreen';

type Info = MethodResult<'app.info'>;
type Summary = MethodResult<'plan.summary'>;

export function App() {
  const [info, setInfo] = useState<Info | null>(null);
  const [plan, setPlan] = useState<Summary | null>(null);
  const [fiscalYear, setFiscalYear] = useState<number | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });

  useEffect(() => {
    void (async () => {
      try {
        const [i, p] = await Promise.all([api['app.info']({}), api['plan.summary']({})]);
        setInfo(i);
        setPlan(p);
        setFiscalYear(p.startYear);
      } catch (e) {
        setStatus({ text: errorMessage(e), error: true });
      }
    })();
  }, []);

  return (
    <div className="app">
      <header className="titlebar">
        <h1>計画ワークベンチ</h1>
        {plan && <span>{plan.title}（{plan.periodLabel}）</span>}
        {info && <span className="file">{info.dbFileName}</span>}
      </header>
      <div className="toolbar">
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
      </div>
      <main className="main">
        {plan && fiscalYear !== null && (
          <ActionPlanScreen plan={plan} fiscalYear={fiscalYear} onStatus={(text, error = false) => setStatus({ text, error })} />
        )}
      </main>
      <footer className={`statusbar${status.error ? ' error' : ''}`} role="status">
        {status.text}
      </footer>
    </div>
  );
}
