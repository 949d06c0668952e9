import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo, BackupPreview } from '../../../shared/contract/methods/backup';
import { onShellCommand } from '../api/shell-commands';
import { api } from '../api/transport';
import { errorMessage } from '../errors';
import { useModalDialog } from '../components/use-modal-dialog';
import type { StatusReporter } from '../components/status';

const reasonLabels: Record<BackupInfo['reason'], string> = {
  daily: '毎日の自動',
  migration: '形式の更新前',
  import: '取り込み前',
  restore: '復元前',
  manual: '手動',
  replace: '置き換え前',
};

const dateTime = new Intl.DateTimeFormat('ja-JP', { dateStyle: 'medium', timeStyle: 'medium' });
const when = (iso: string) => dateTime.format(new Date(iso));
const size = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** バックアップ: the backups of the open database with a preview of each; restore one. */
export function RestoreDialog({ status }: { status: StatusReporter }) {
  const [open, setOpen] = useState(false);
  const [backups, setBackups] = useState<BackupInfo[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [preview, setPreview] = useState<BackupPreview | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const list = await api['backups.list']({});
      setBackups(list);
      setSelected((s) => s ?? list[0]?.id ?? null);
    } catch (e) {
      status.error(errorMessage(e));
    }
  }, [status]);

  const show = useCallback(() => {
    setOpen(true);
    setConfirming(false);
    void load();
  }, [load]);

  // ファイル › バックアップから復元… of the Electron menu.
  useEffect(
    () =>
      onShellCommand((command) => {
        if (command === 'restore') show();
      }),
    [show],
  );

  const ref = useModalDialog(open);

  useEffect(() => {
    setPreview(null);
    setConfirming(false);
    if (!selected || !open) return;
    let current = true;
    api['backups.preview']({ id: selected }).then(
      (p) => current && setPreview(p),
      (e: unknown) => current && status.error(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [selected, open, status]);

  const backupNow = async () => {
    setBusy(true);
    try {
      const b = await api['backups.create']({});
      status.info(`バックアップを作成しました（${when(b.takenAt)}）。`);
      setSelected(b.id);
      await load();
    } catch (e) {
      status.error(errorMessage(e));
    }
    setBusy(false);
  };

  const restore = async () => {
    if (!selected) return;
    setBusy(true);
    try {
      await api['backups.restore']({ id: selected });
      // Everything on screen came from the old content: start again from the database.
      location.reload();
    } catch (e) {
      status.error(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="titlebar-button" onClick={show}>
        バックアップ…
      </button>
      <dialog ref={ref} className="restore-dialog" aria-labelledby="restore-title" onClose={() => setOpen(false)}>
        <h2 id="restore-title">バックアップと復元</h2>
        <div className="restore-body">
          <ul className="backup-list" role="listbox" aria-label="バックアップ">
            {backups.length === 0 && <li className="empty">バックアップはまだありません。</li>}
            {backups.map((b) => (
              <li key={b.id} role="option" aria-selected={b.id === selected} className={b.id === selected ? 'selected' : ''} onClick={() => setSelected(b.id)}>
                <span className="when">{when(b.takenAt)}</span>
                <span className="reason">{reasonLabels[b.reason]}</span>
                <span className="size">{size(b.bytes)}</span>
              </li>
            ))}
          </ul>
          <section className="backup-preview" aria-label="内容">
            {preview ? (
              <dl>
                <dt>日時</dt>
                <dd>{when(preview.takenAt)}</dd>
                <dt>計画</dt>
                <dd>
                  {preview.planTitle}（{preview.periodLabel}）
                </dd>
                <dt>行・テーマ</dt>
                <dd>
                  {preview.rows}行・{preview.themes}テーマ
                </dd>
                <dt>目標</dt>
                <dd>
                  {preview.targets}件（実績入力 {preview.actuals}件）
                </dd>
                <dt>最後の変更</dt>
                <dd>{preview.lastChange ? `${when(preview.lastChange.at)} ${preview.lastChange.user}「${preview.lastChange.label}」` : '—'}</dd>
              </dl>
            ) : (
              <p className="muted">{selected ? '読み込み中…' : 'バックアップを選んでください。'}</p>
            )}
          </section>
        </div>
        {confirming && preview && (
          <p className="warning" role="alert">
            いまの内容を「{when(preview.takenAt)}」の時点に戻します。いまの内容は「復元前」のバックアップとして残ります。よろしいですか？
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={() => void backupNow()} disabled={busy}>
            今すぐバックアップ
          </button>
          {confirming ? (
            <button type="button" className="danger" onClick={() => void restore()} disabled={busy} autoFocus>
              戻す
            </button>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} disabled={busy || !preview}>
              この時点に戻す…
            </button>
          )}
          <button type="button" onClick={() => setOpen(false)}>
            閉じる
          </button>
        </div>
      </dialog>
    </>
  );
}
