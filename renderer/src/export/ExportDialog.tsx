import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MethodResult } from '../../../shared/contract/methods';
import type { ExportFormat, ExportLayout } from '../../../shared/contract/methods/export';
import type { UnitWithCounts } from '../../../shared/domain/units';
import { UnitSelect } from '../components/UnitSelect';
import { onShellCommand } from '../api/shell-commands';
import { api } from '../api/transport';
import { errorMessage } from '../errors';
import { useModalDialog } from '../components/use-modal-dialog';
import { isCancelled, jobPhaseText, useJob } from '../components/use-job';
import type { StatusReporter } from '../components/status';
import { PrintPreview } from './PrintPreview';
import './export.css';

type Layouts = MethodResult<'export.layouts'>;
type Saved = MethodResult<'export.save'>;
type EmptyYears = NonNullable<MethodResult<'export.printHtml'>['emptyYears']>;

/** The warning of a year some printed rows have no plan for (they print 「（未記入）」), or null. */
export function emptyYearsWarning(e: EmptyYears | null): string | null {
  if (!e || e.rows + e.branches === 0) return null;
  const where = [e.rows > 0 ? `表の ${e.rows} 行` : '', e.branches > 0 ? `支部 ${e.branches} 件` : ''].filter(Boolean).join('、');
  return `${e.fiscalYear}年度の計画が空欄です（${where}）。空欄は「（未記入）」と印刷されます。`;
}

export interface ExportButtonProps {
  /** The fiscal year and unit the screens show: the dialog starts from them. */
  fiscalYear: number | null;
  unitId: string | null;
  units: UnitWithCounts[];
  status: StatusReporter;
}

interface Choice {
  layout: ExportLayout;
  fiscalYear: number | null;
  unitId: string | null;
  formats: ExportFormat[];
}

const mime: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

function downloadUrl(base64: string, format: ExportFormat): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: mime[format] }));
}

const kb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/**
 * 出力・印刷: the toolbar button and its dialog. Choose the layout, fiscal year, unit and formats;
 * the preview shows the print page itself; print it (OS dialog) or save it as Excel and/or PDF.
 * Also opened by ファイル › エクスポート… / 印刷… and Ctrl+E / Ctrl+P.
 */
export function ExportButton({ fiscalYear, unitId, units, status }: ExportButtonProps) {
  const [open, setOpen] = useState(false);
  const [layouts, setLayouts] = useState<Layouts | null>(null);
  const [choice, setChoice] = useState<Choice>({ layout: 'action-plan', fiscalYear, unitId: null, formats: ['xlsx', 'pdf'] });
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<(Saved & { urls: string[] }) | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  // What the preview's answer says of empty year cells; saving such a year asks once more.
  const [emptyYears, setEmptyYears] = useState<EmptyYears | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { job, run, cancel } = useJob();

  const show = useCallback(() => {
    setSaved(null);
    setProblem(null);
    setChoice((c) => ({ ...c, layout: unitId ? 'unit' : c.layout === 'unit' ? 'action-plan' : c.layout, fiscalYear, unitId: unitId ?? c.unitId }));
    setOpen(true);
    api['export.layouts']({}).then(setLayouts, (e: unknown) => setProblem(errorMessage(e)));
  }, [fiscalYear, unitId]);

  useEffect(() => {
    // ファイル › エクスポート… / 印刷… of the Electron menu.
    const stopCommands = onShellCommand((command) => {
      if (command === 'export' || command === 'print') show();
    });
    // In a browser there is no menu: Ctrl+P and Ctrl+E open the same dialog instead of printing the app's screen.
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && (e.key === 'p' || e.key === 'e')) {
        e.preventDefault();
        show();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      stopCommands();
      window.removeEventListener('keydown', onKey);
    };
  }, [show]);

  const ref = useModalDialog(open);

  const layout = layouts?.layouts.find((l) => l.id === choice.layout);
  const years = layout?.fiscalYears ?? [];
  const year = choice.fiscalYear !== null && years.includes(choice.fiscalYear) ? choice.fiscalYear : (years[0] ?? null);
  const needsUnit = layout?.needsUnit ?? false;
  const unitChoice = needsUnit || choice.layout === 'rollup' ? choice.unitId : null;
  const ready = layout !== undefined && year !== null && (!needsUnit || unitChoice !== null);
  const request = useMemo(
    () => (ready ? { layout: choice.layout, fiscalYear: year, ...(unitChoice ? { unitId: unitChoice } : {}) } : null),
    [ready, choice.layout, year, unitChoice],
  );

  // A notice belongs to the choice it was made for; downloads' object URLs are freed with it.
  const requestKey = request ? JSON.stringify(request) : '';
  useEffect(() => {
    setSaved(null);
    setConfirming(false);
  }, [requestKey]);
  const warning = request ? emptyYearsWarning(emptyYears) : null;
  useEffect(() => () => saved?.urls.forEach((u) => u && URL.revokeObjectURL(u)), [saved]);

  const save = async () => {
    if (!request) return;
    setConfirming(false);
    setBusy(true);
    setSaved(null);
    setProblem(null);
    setNote(null);
    try {
      const result = await run((jobKey) => api['export.save']({ ...request, formats: choice.formats, jobKey }));
      const urls = result.files.map((f) => (f.base64 ? downloadUrl(f.base64, f.format) : ''));
      setSaved({ ...result, urls });
      if (result.status === 'download')
        // Browser mode: start the downloads; the links stay in the notice.
        result.files.forEach((f, i) => {
          const a = document.createElement('a');
          a.href = urls[i]!;
          a.download = f.fileName;
          a.click();
        });
      if (result.status === 'saved') status.info(`保存しました: ${result.files.map((f) => f.fileName).join('、')}`);
    } catch (e) {
      if (isCancelled(e)) setNote('出力を取り消しました。');
      else setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const openSaved = async (index: number) => {
    try {
      const r = await api['export.openSaved']({ index });
      if (!r.opened) setProblem('ファイルを開けませんでした。');
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };

  const toggleFormat = (f: ExportFormat, on: boolean) =>
    setChoice((c) => ({ ...c, formats: on ? (['xlsx', 'pdf'] as const).filter((x) => x === f || c.formats.includes(x)) : c.formats.filter((x) => x !== f) }));

  return (
    <>
      <button type="button" className="toolbar-button export-open" onClick={show} title="出力・印刷（Ctrl+P）">
        出力・印刷…
      </button>
      <dialog ref={ref} className="export-dialog" aria-label="出力・印刷" onClose={() => setOpen(false)}>
        {open && (
          <div className="export-layout">
            <div className="export-options">
              <h2>出力・印刷</h2>
              <fieldset>
                <legend>様式</legend>
                {layouts?.layouts.map((l) => (
                  <label key={l.id} className={`layout-choice${l.fiscalYears.length === 0 ? ' unavailable' : ''}`}>
                    <input
                      type="radio"
                      name="export-layout"
                      value={l.id}
                      checked={choice.layout === l.id}
                      disabled={l.fiscalYears.length === 0 || busy}
                      onChange={() => setChoice((c) => ({ ...c, layout: l.id }))}
                    />
                    <span>
                      <span className="name">{l.label}</span>
                      <span className="description">{l.description}</span>
                    </span>
                  </label>
                ))}
              </fieldset>
              <label className="field">
                年度
                <select aria-label="出力する年度" value={year ?? ''} disabled={busy || years.length === 0} onChange={(e) => setChoice((c) => ({ ...c, fiscalYear: Number(e.target.value) }))}>
                  {years.map((y) => (
                    <option key={y} value={y}>
                      {y}年度
                    </option>
                  ))}
                </select>
              </label>
              {(needsUnit || choice.layout === 'rollup') && (
                <label className="field">
                  組織
                  <UnitSelect units={units} ariaLabel="出力する組織" value={choice.unitId ?? ''} disabled={busy} emptyLabel={needsUnit ? '（組織を選んでください）' : 'すべての組織'} onChange={(id) => setChoice((c) => ({ ...c, unitId: id || null }))} />
                </label>
              )}
              <fieldset className="formats">
                <legend>保存する形式</legend>
                {(layouts?.formats ?? []).map((f) => (
                  <label key={f.id}>
                    <input type="checkbox" checked={choice.formats.includes(f.id)} disabled={busy} onChange={(e) => toggleFormat(f.id, e.target.checked)} />
                    {f.label}
                  </label>
                ))}
              </fieldset>
              <div className="export-actions">
                <button
                  type="button"
                  className="primary"
                  disabled={!request || busy || confirming || choice.formats.length === 0}
                  onClick={() => (warning ? setConfirming(true) : void save())}
                >
                  保存…
                </button>
                <button type="button" onClick={() => setOpen(false)} disabled={busy}>
                  閉じる
                </button>
              </div>
              {warning && !confirming && (
                <p className="export-warning" role="note" aria-label="空欄の年度">
                  {warning}
                </p>
              )}
              {warning && confirming && (
                <div className="export-confirm" role="group" aria-label="空欄のまま出力するかの確認">
                  <p>{warning}</p>
                  <p>このまま出力しますか？</p>
                  <div className="export-actions">
                    <button type="button" className="primary" onClick={() => void save()}>
                      このまま保存
                    </button>
                    <button type="button" onClick={() => setConfirming(false)}>
                      やめる
                    </button>
                  </div>
                </div>
              )}
              {busy && (
                <div className="export-progress">
                  <div role="progressbar" aria-label="出力しています">
                    <progress {...(job?.fraction != null ? { value: job.fraction, max: 1 } : {})} />
                    <span>
                      {job?.phase ? jobPhaseText[job.phase] : '作成しています…'}
                      {choice.formats.includes('pdf') ? '（PDF は数秒かかります）' : ''}
                    </span>
                  </div>
                  {/* Outside the progressbar: its children are presentational to assistive technology. */}
                  <button type="button" onClick={() => cancel()}>
                    取り消し
                  </button>
                </div>
              )}
              {note && !busy && (
                <p className="export-note" role="status" aria-label="出力の取り消し">
                  {note}
                </p>
              )}
              {problem && (
                <p className="export-problem" role="alert">
                  {problem}
                </p>
              )}
              {saved && saved.status !== 'cancelled' && (
                <div className="export-done" role="status" aria-label="出力の結果">
                  <p>{saved.status === 'saved' ? '保存しました。' : 'ダウンロードしました。'}</p>
                  <ul>
                    {saved.files.map((f, i) => (
                      <li key={f.fileName}>
                        {saved.status === 'download' ? (
                          <a href={saved.urls[i]} download={f.fileName}>
                            {f.fileName}
                          </a>
                        ) : (
                          <span>{f.fileName}</span>
                        )}{' '}
                        <span className="size">{kb(f.byteLength)}</span>
                        {saved.status === 'saved' && (
                          <button type="button" onClick={() => void openSaved(i)}>
                            開く
                          </button>
                        )}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {!needsUnit || unitChoice ? null : <p className="hint">組織別アクションプランは、組織を選ぶとプレビューが表示されます。</p>}
            </div>
            <PrintPreview request={request} onError={setProblem} onPage={(p) => setEmptyYears(p?.emptyYears ?? null)} />
          </div>
        )}
      </dialog>
    </>
  );
}
