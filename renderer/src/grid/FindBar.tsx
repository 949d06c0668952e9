import { useEffect, useRef } from 'react';

export interface FindBarProps {
  query: string;
  onQuery(q: string): void;
  count: number;
  /** 0-based index of the current match, or -1. */
  current: number;
  onNext(): void;
  onPrevious(): void;
  onClose(): void;
  focusToken: number;
}

/** Find (Ctrl+F) over the texts of the current screen: Enter/F3 next, Shift+Enter/Shift+F3 previous, Esc closes. */
export function FindBar({ query, onQuery, count, current, onNext, onPrevious, onClose, focusToken }: FindBarProps) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusToken]);
  return (
    <div className="find-bar" role="search" aria-label="検索">
      <input
        ref={input}
        type="search"
        aria-label="検索する文字"
        placeholder="この画面を検索"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.nativeEvent.isComposing || e.keyCode === 229) return;
          if (e.key === 'Enter' || e.key === 'F3') {
            e.preventDefault();
            if (e.shiftKey) onPrevious();
            else onNext();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
      />
      <span className="find-count" aria-live="polite">
        {query === '' ? '' : count === 0 ? '見つかりません' : `${current + 1} / ${count}件`}
      </span>
      <button type="button" onClick={onPrevious} disabled={count === 0} title="前へ（Shift+Enter）" aria-label="前を検索">
        ▲
      </button>
      <button type="button" onClick={onNext} disabled={count === 0} title="次へ（Enter）" aria-label="次を検索">
        ▼
      </button>
      <button type="button" onClick={onClose} title="閉じる（Esc）" aria-label="検索を閉じる">
        ×
      </button>
    </div>
  );
}
