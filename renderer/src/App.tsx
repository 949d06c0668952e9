import { useCallback, useEffect, useMemo, useRef, useState, Suspense } from 'react';
import type { MethodResult } from '../../shared/contract/methods';
import type { ChangeFollowUp } from '../../shared/domain/editing';
import { api } from './api/transport';
import { RestoreDialog } from './backup/RestoreDialog';
import type { StatusReporter } from './components/status';
import { UndoButtons } from './components/UndoButtons';
import { UnitSidebar } from './components/UnitSidebar';
import { ExportButton } from './export/ExportDialog';
import { ImportButton } from './import/ImportDialog';
import type { ScreenLink } from './grid/apply-changes';
import { useUndoCommands } from './grid/undo-commands';
import { errorMessage } from './errors';
import { screens } from './screens/registry';

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

  // The units as a write answered them (only when they changed), or read again after a failed one.
  const takeUnits = useCallback(
    (outcome: ChangeFollowUp | null) => {
      if (outcome?.units) setUnits(outcome.units);
      else if (!outcome) void loadUnits();
    },
    [loadUnits],
  );

  // The screen on show, for undo and redo: their answer updates its rows in place.
  const screenLink = useRef<ScreenLink | null>(null);
  const linkScreen = useCallback((link: ScreenLink) => {
    screenLink.current = link;
    return () => {
      if (screenLink.current === link) screenLink.current = null;
    };
  }, []);
  const linkedScreen = useCallback(() => screenLink.current, []);

  // A change the screen on show did not take in (an import, an undo on a screen without a grid): screens read again when dataVersion goes up.
  const [dataVersion, setDataVersion] = useState(0);
  const afterUndo = useCallback(
    (outcome: ChangeFollowUp | null) => {
      setDataVersion((v) => v + 1);
      takeUnits(outcome);
    },
    [takeUnits],
  );
  const undo = useUndoCommands(reporter, linkedScreen, afterUndo);
  const { refresh: refreshUndo, show: showUndo } = undo;
  const onDataChanged = useCallback(
    (outcome: ChangeFollowUp | null) => {
      takeUnits(outcome);
      if (outcome) showUndo(outcome.undo);
      else refreshUndo();
    },
    [takeUnits, showUndo, refreshUndo],
  );
  // An import changes the database behind the screens, as an undo does, and is itself an undo step.
  const afterImport = useCallback(() => {
    afterUndo(null);
    refreshUndo();
  }, [afterUndo, refreshUndo]);

  useEffect(() => {
    void (async () => {
      try {
        const [i, p] = await Promise.all([api['app.info']({}), api['plan.summary']({})]);
        setInfo(i);
        if (i.backupProblem) reporter.error(i.backupProblem);
        setPlan(p);
        setFiscalYear(p.startYear);
        await loadUnits();
      } catch (e) {
        reporter.error(errorMessage(e));
      }
    })();
  }, [loadUnits, reporter]);

  // Ctrl+PageDown / Ctrl+PageUp switch screens, as they switch sheets in Excel.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || (e.key !== 'PageDown' && e.key !== 'PageUp')) return;
      e.preventDefault();
      setScreenId((id) => {
        const i = screens.findIndex((s) => s.id === id);
        return screens[(i + (e.key === 'PageDown' ? 1 : -1) + screens.length) % screens.length]!.id;
      });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

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
        {info && <span className="file">{info.dbFileName}{info.readOnly ? '（読み取り専用）' : ''}</span>}
        <span className="spacer" />
        <RestoreDialog status={reporter} />
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
        <UndoButtons state={undo.state} run={undo.run} />
        <ExportButton fiscalYear={fiscalYear} unitId={unitId} units={units} status={reporter} />
        <ImportButton fiscalYears={plan?.fiscalYears.map((y) => y.fiscalYear) ?? []} fiscalYear={fiscalYear} unitId={unitId} units={units} status={reporter} onImported={afterImport} />
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
            <Suspense fallback={<div className="loading">読み込み中…</div>}>
              <Screen
                key={screen.id}
                plan={plan}
                fiscalYear={fiscalYear}
                unitId={unitId}
                units={units}
                status={reporter}
                onDataChanged={onDataChanged}
                linkScreen={linkScreen}
                dataVersion={dataVersion}
              />
            </Suspense>
          )}
        </main>
      </div>
      <footer className={`statusbar${status.error ? ' error' : ''}`} role="status">
        {status.text}
      </footer>
    </div>
  );
}
