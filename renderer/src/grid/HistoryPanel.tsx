import type { HistoryEntry } from '../../../shared/domain/editing';

export interface HistoryPanelProps {
  /** What cell the history is of (its column and row, in words), or null when none is focused. */
  cellLabel: string | null;
  entries: HistoryEntry[] | null;
  onClose(): void;
}

const time = (iso: string) => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

/** For the focused cell: who changed it when, from what to what (newest first). */
export function HistoryPanel({ cellLabel, entries, onClose }: HistoryPanelProps) {
  return (
    <aside className="history-panel" aria-label="変更履歴">
      <header>
        <h2>変更履歴</h2>
        <button type="button" onClick={onClose} aria-label="履歴を閉じる" title="閉じる">
          ×
        </button>
      </header>
      <p className="history-cell">{cellLabel ?? 'セルを選ぶと、その変更履歴が表示されます。'}</p>
      {cellLabel && entries && entries.length === 0 && <p className="history-none">このセルの変更記録はありません。</p>}
      {entries && entries.length > 0 && (
        <ol className="history-list">
          {entries.map((e, i) => (
            <li key={`${e.changeSetId}-${i}`}>
              <div className="history-meta">
                <time dateTime={e.at}>{time(e.at)}</time> <span className="history-user">{e.user}</span> <span className="history-label">{e.label}</span>
              </div>
              <div className="history-values">
                <span className="from">{e.from ?? '（空欄）'}</span>
                <span className="arrow" aria-label="から">
                  →
                </span>
                <span className="to">{e.to ?? '（空欄）'}</span>
              </div>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
