import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodArgs } from '../../../shared/contract/methods';
import type { UnitWithCounts } from '../../../shared/domain/units';
import { UnitSelect } from '../components/UnitSelect';
import { importLimits } from '../../../shared/import/limits';
import type { Review } from '../../../shared/import/review';
import { onShellCommand } from '../api/shell-commands';
import { api } from '../api/transport';
import { errorMessage } from '../errors';
import { useModalDialog } from '../components/use-modal-dialog';
import { isCancelled, jobPhaseText, useJob } from '../components/use-job';
import type { StatusReporter } from '../components/status';
import { type Decisions, initialDecisions, takeAll, toApply, unresolved } from '../../../shared/import/choices';
import { ReviewPanel } from './ReviewPanel';
import './import.css';

type Stage =
  | { kind: 'start' }
  /** `key`: the analysis's job key (progress, cancel). */
  | { kind: 'reading'; key: string; fileName: string; bytes: number | null; phase: string; fraction: number | null }
  | { kind: 'review'; review: Review; decisions: Decisions; applying: boolean };

const phaseText: Record<string, string> = {
  ...jobPhaseText,
  local: 'ファイルを読んでいます…',
  send: 'ファイルを送っています…',
};

const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** The file's bytes as base64, read in slices so that a large file reports its progress. */
async function readBase64(file: File, onProgress: (fraction: number) => void): Promise<string> {
  const reader = file.stream().getReader();
  const parts: string[] = [];
  let carry = new Uint8Array(0);
  let done = 0;
  for (;;) {
    const { value, done: end } = await reader.read();
    if (value) {
      const joined = new Uint8Array(carry.length + value.length);
      joined.set(carry);
      joined.set(value, carry.length);
      // Whole groups of 3 bytes encode on their own; the rest waits for the next slice.
      const whole = joined.length - (joined.length % 3);
      for (let i = 0; i < whole; i += 0x7ffe) parts.push(btoa(String.fromCharCode(...joined.subarray(i, Math.min(whole, i + 0x7ffe)))));
      carry = joined.slice(whole);
      done += value.length;
      onProgress(file.size ? done / file.size : 1);
    }
    if (end) break;
  }
  if (carry.length) parts.push(btoa(String.fromCharCode(...carry)));
  return parts.join('');
}

function download(base64: string, fileName: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export interface ImportButtonProps {
  fiscalYears: number[];
  fiscalYear: number | null;
  unitId: string | null;
  units: UnitWithCounts[];
  status: StatusReporter;
  /** The plan changed: the screens reload. */
  onImported(): void;
}

/**
 * 取り込み: the toolbar button and its dialog. Hand a unit its fill-in workbook; take a file back
 * (choose it, or drop it anywhere on the window), watch it being read, review every change and
 * conflict, and apply all, some or none of them as one undo step.
 */
export function ImportButton({ fiscalYears, fiscalYear, unitId, units, status, onImported }: ImportButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [stage, setStage] = useState<Stage>({ kind: 'start' });
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [inApp, setInApp] = useState(false);
  const [handout, setHandout] = useState<{ unitId: string; fiscalYear: number | null; busy: boolean; done: string | null }>({ unitId: '', fiscalYear: null, busy: false, done: null });
  const reviewId = stage.kind === 'review' ? stage.review.reviewId : null;
  const { job, run, cancel } = useJob();
  /** The reading the user cancelled while the page itself was still reading the file. */
  const abandoned = useRef<string | null>(null);

  useEffect(() => {
    api['app.info']({}).then((i) => setInApp(i.transport === 'ipc'), () => undefined);
  }, []);

  const show = useCallback(() => {
    setProblem(null);
    setHandout((h) => ({ ...h, unitId: h.unitId || unitId || '', fiscalYear: h.fiscalYear ?? fiscalYear, done: null }));
    setOpen(true);
  }, [unitId, fiscalYear]);

  const readingKey = stage.kind === 'reading' ? stage.key : null;
  const close = useCallback(() => {
    if (readingKey) cancel(readingKey);
    if (reviewId) void api['import.discard']({ reviewId }).catch(() => undefined);
    setStage({ kind: 'start' });
    setOpen(false);
  }, [reviewId, readingKey, cancel]);

  const ref = useModalDialog(open);

  /** Runs an analysis, showing its progress until the review is there; 取り消し stops it. */
  const analyze = useCallback(
    async (source: MethodArgs<'import.analyze'>['source'], fileName: string, bytes: number | null, key: string = crypto.randomUUID()) => {
      setStage({ kind: 'reading', key, fileName, bytes, phase: source.kind === 'upload' ? 'send' : 'check', fraction: null });
      try {
        const r = await run((jobKey) => api['import.analyze']({ source, jobKey }), key);
        if (r.status === 'cancelled' || !r.review) setStage({ kind: 'start' });
        else setStage({ kind: 'review', review: r.review, decisions: initialDecisions(r.review.items), applying: false });
      } catch (e) {
        if (isCancelled(e)) status.info('取り込みを取り消しました。');
        else setProblem(errorMessage(e));
        setStage({ kind: 'start' });
      }
    },
    [run, status],
  );

  const cancelReading = () => {
    if (stage.kind !== 'reading') return;
    abandoned.current = stage.key;
    cancel(stage.key);
  };

  const takeFile = useCallback(
    async (file: File) => {
      setOpen(true);
      setProblem(null);
      if (file.size > importLimits.uploadBytes) {
        setProblem(`「${file.name}」は大きすぎます（${size(file.size)}、上限 ${size(importLimits.uploadBytes)}）。`);
        return;
      }
      const key = crypto.randomUUID();
      setStage({ kind: 'reading', key, fileName: file.name, bytes: file.size, phase: 'local', fraction: 0 });
      let base64: string;
      try {
        base64 = await readBase64(file, (fraction) => setStage((s) => (s.kind === 'reading' ? { ...s, fraction } : s)));
      } catch {
        setProblem(`「${file.name}」を読めませんでした。`);
        setStage({ kind: 'start' });
        return;
      }
      if (abandoned.current === key) {
        status.info('取り込みを取り消しました。');
        setStage({ kind: 'start' });
        return;
      }
      await analyze({ kind: 'upload', fileName: file.name, base64 }, file.name, file.size, key);
    },
    [analyze, status],
  );

  const chooseFile = () => {
    setProblem(null);
    if (inApp) void analyze({ kind: 'dialog' }, '', null);
    else input.current?.click();
  };

  useEffect(() => {
    // ファイル › 取り込み… / 記入用ブックの作成… of the Electron menu.
    const stopCommands = onShellCommand((command) => {
      if (command === 'import' || command === 'handout') show();
    });
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const onDragOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    };
    const onDragLeave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) void takeFile(file);
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      stopCommands();
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [show, takeFile]);

  const apply = async (all: boolean) => {
    if (stage.kind !== 'review') return;
    const { review } = stage;
    const decisions = all ? takeAll(review.items, stage.decisions) : stage.decisions;
    setStage({ ...stage, decisions, applying: true });
    setProblem(null);
    try {
      const r = await run((jobKey) => api['import.apply']({ reviewId: review.reviewId, ...toApply(review.items, decisions), jobKey }));
      status.info(r.changeSetId === null ? `取り込む変更はありませんでした（${review.fileName}）。` : `取り込みました: ${review.fileName}（${r.applied}項目）。元に戻す（Ctrl+Z）で取り消せます。`);
      onImported();
      setStage({ kind: 'start' });
      setOpen(false);
    } catch (e) {
      if (isCancelled(e)) status.info('取り込みを取り消しました（計画は変更していません）。');
      else setProblem(errorMessage(e));
      setStage({ ...stage, decisions, applying: false });
    }
  };

  const makeHandout = async () => {
    if (!handout.unitId || handout.fiscalYear === null) return;
    setHandout((h) => ({ ...h, busy: true, done: null }));
    setProblem(null);
    try {
      const r = await run((jobKey) => api['import.handoutWorkbook']({ unitId: handout.unitId, fiscalYear: handout.fiscalYear!, jobKey }));
      if (r.base64) download(r.base64, r.fileName);
      setHandout((h) => ({ ...h, busy: false, done: r.status === 'cancelled' ? null : r.status === 'download' ? `ダウンロードしました: ${r.fileName}` : `保存しました: ${r.fileName}` }));
    } catch (e) {
      if (!isCancelled(e)) setProblem(errorMessage(e));
      setHandout((h) => ({ ...h, busy: false }));
    }
  };

  const taking = stage.kind === 'review' ? stage.review.items.filter((i) => stage.decisions[i.id] === 'take').length : 0;
  const open_ = stage.kind === 'review' ? unresolved(stage.review.items, stage.decisions) : 0;

  return (
    <>
      <button type="button" className="toolbar-button" onClick={show} title="記入用ブックの作成と、返ってきたファイルの取り込み（ファイルをウィンドウにドロップしても取り込めます）">
        取り込み…
      </button>
      {dragging && (
        <div className="drop-overlay" aria-hidden>
          <div>ここにドロップして取り込む（.xlsx / .plandb）</div>
        </div>
      )}
      <dialog ref={ref} className="import-dialog" aria-label="取り込み" onClose={close}>
        {open && (
          <div className="import-layout">
            <header className="import-header">
              <h2>{stage.kind === 'review' ? `取り込みの確認 — ${stage.review.sourceLabel}` : '配布と取り込み'}</h2>
              {stage.kind === 'review' && <span className="file">{stage.review.fileName}</span>}
            </header>
            {problem && (
              <div className="import-problem" role="alert">
                {problem}
              </div>
            )}
            {stage.kind === 'start' && (
              <div className="import-start">
                <section className="import-drop" aria-label="ファイルを取り込む">
                  <h3>返ってきたファイルを取り込む</h3>
                  <p>記入用ブック（.xlsx）、出力したアクションプランのブック（.xlsx）、計画データベース（.plandb）を取り込めます。取り込む前に、変わるところをすべて確認できます。</p>
                  <div className="drop-zone">
                    <p>ファイルをこのウィンドウにドロップ</p>
                    <p className="muted">または</p>
                    <button type="button" className="primary" onClick={chooseFile}>
                      ファイルを選ぶ…
                    </button>
                  </div>
                  <input
                    ref={input}
                    type="file"
                    accept=".xlsx,.plandb"
                    hidden
                    aria-label="取り込むファイル"
                    onChange={(e) => {
                      const f = e.target.files?.[0];
                      e.target.value = '';
                      if (f) void takeFile(f);
                    }}
                  />
                </section>
                <section className="import-handout" aria-label="記入用ブックを作る">
                  <h3>記入用ブックを作る</h3>
                  <p>組織ごとに、担当する行・目標・重点取組内容を記入してもらう Excel ブックです。記入する欄だけが編集でき、返ってきたら「取り込む」で計画に反映します。</p>
                  <label className="field">
                    組織
                    <UnitSelect units={units} ariaLabel="記入用ブックの組織" value={handout.unitId} emptyLabel="（組織を選んでください）" onChange={(id) => setHandout((h) => ({ ...h, unitId: id, done: null }))} />
                  </label>
                  <label className="field">
                    年度
                    <select aria-label="記入用ブックの年度" value={handout.fiscalYear ?? ''} onChange={(e) => setHandout((h) => ({ ...h, fiscalYear: Number(e.target.value), done: null }))}>
                      {fiscalYears.map((y) => (
                        <option key={y} value={y}>
                          {y}年度
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="button" className="primary" disabled={!handout.unitId || handout.busy} onClick={() => void makeHandout()}>
                    記入用ブックを作成…
                  </button>
                  {handout.busy && (
                    <div className="job-progress">
                      <progress aria-label="記入用ブックを作成しています" />
                      <button type="button" onClick={() => cancel()}>
                        取り消し
                      </button>
                    </div>
                  )}
                  {handout.done && (
                    <p className="done" role="status">
                      {handout.done}
                    </p>
                  )}
                </section>
              </div>
            )}
            {stage.kind === 'reading' && (
              <div className="import-reading">
                <p className="file">
                  {stage.fileName}
                  {stage.bytes !== null && <span className="muted">（{size(stage.bytes)}）</span>}
                </p>
                {(() => {
                  // The page's own phases (reading, sending the file) until the services report theirs.
                  const served = job?.key === stage.key && job.phase !== null ? job : null;
                  const fraction = served ? served.fraction : stage.fraction;
                  return (
                    <>
                      <progress aria-label="読み込んでいます" {...(fraction !== null ? { value: fraction, max: 1 } : {})} />
                      <p className="phase">{phaseText[served?.phase ?? stage.phase] ?? '読み込んでいます…'}</p>
                    </>
                  );
                })()}
                <button type="button" onClick={cancelReading}>
                  取り消し
                </button>
              </div>
            )}
            {stage.kind === 'review' && (
              <ReviewPanel review={stage.review} decisions={stage.decisions} onChange={(decisions) => setStage({ ...stage, decisions })} />
            )}
            <footer className="import-actions">
              {stage.kind === 'review' ? (
                <>
                  {stage.applying && (
                    <span className="job-progress">
                      <progress aria-label="取り込んでいます" {...(job?.fraction != null ? { value: job.fraction, max: 1 } : {})} />
                      <span>{job?.phase ? jobPhaseText[job.phase] : '取り込んでいます…'}</span>
                      <button type="button" onClick={() => cancel()}>
                        取り消し
                      </button>
                    </span>
                  )}
                  {open_ > 0 && <span className="hint">競合 {open_}件を選ぶと取り込めます</span>}
                  <button type="button" className="primary" disabled={stage.applying || open_ > 0 || stage.review.items.length === 0} onClick={() => void apply(true)}>
                    全て取り込む
                  </button>
                  <button type="button" disabled={stage.applying || open_ > 0 || taking === 0} onClick={() => void apply(false)}>
                    選択したものを取り込む（{taking}件）
                  </button>
                  <button type="button" disabled={stage.applying} onClick={close}>
                    取り込まない
                  </button>
                </>
              ) : (
                <button type="button" onClick={close} disabled={stage.kind === 'reading'}>
                  閉じる
                </button>
              )}
            </footer>
          </div>
        )}
      </dialog>
    </>
  );
}
