import { useMemo, useState } from 'react';
import type { Review, ReviewCell, ReviewItem } from '../../../shared/import/review';
import { type Decisions, decide, decideConflicts, unresolved } from '../../../shared/import/choices';

/**
 * 取り込みの確認: every change the file would make, grouped by the file's sheets, with the cell,
 * the row, the column and old → new; conflicts stand out and need a choice (取り込む / 現在の値を残す).
 */

const kindLabels: Record<ReviewItem['kind'], string> = { change: '変更', order: '並び順', added: '追加', removed: '削除', restored: '復元' };
const howLabels: Record<NonNullable<Review['base']>['how'], string> = {
  recorded: 'ファイルに記録された時点',
  common: '2つのデータベースに共通する最後の時点',
  estimated: 'ブックの作成日時から推定した時点',
  current: 'いまの計画',
};
const dateTime = new Intl.DateTimeFormat('ja-JP', { dateStyle: 'medium', timeStyle: 'short' });

function Value({ value, strike }: { value: string | null; strike?: boolean }) {
  if (value === null) return <span className="empty">（空欄）</span>;
  return <div className={strike ? 'value old' : 'value'}>{value}</div>;
}

function Cells({ item }: { item: ReviewItem }) {
  const conflict = item.conflict && item.kind === 'change';
  const side = (c: ReviewCell) => (item.kind === 'removed' ? c.mine : c.theirs);
  if (item.kind === 'added' || item.kind === 'removed' || item.kind === 'restored')
    return (
      <dl className="row-cells">
        {item.cells.map((c) => (
          <div key={`${c.column}${c.cell ?? ''}`}>
            <dt>
              {c.cell && <span className="cell-ref">{c.cell}</span>}
              {c.column}
            </dt>
            <dd>
              <Value value={side(c)} strike={item.kind === 'removed'} />
            </dd>
          </div>
        ))}
      </dl>
    );
  return (
    <table className="cell-changes">
      <tbody>
        {item.cells.map((c) => (
          <tr key={`${c.column}${c.cell ?? ''}`}>
            <th scope="row">
              {c.cell && <span className="cell-ref">{c.cell}</span>}
              {c.column}
            </th>
            {conflict && (
              <td className="base">
                <span className="side">作成時</span>
                <Value value={c.base} />
              </td>
            )}
            <td className="mine">
              <span className="side">現在</span>
              <Value value={c.mine} strike={!conflict} />
            </td>
            <td className="arrow" aria-hidden>
              →
            </td>
            <td className="theirs">
              <span className="side">ファイル</span>
              <Value value={c.theirs} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ItemRow({ item, decision, onDecide }: { item: ReviewItem; decision: Decisions[string]; onDecide(take: boolean): void }) {
  const where = item.cells[0]?.cell ?? (item.row ? `${item.row}行目` : '');
  return (
    <li className={`review-item${item.conflict ? ' conflict' : ''}${decision === 'skip' || decision === 'keep' ? ' left' : ''}`} data-item-id={item.id} aria-label={`${item.sheet} ${where} ${item.what}`}>
      <div className="choice">
        {item.conflict ? (
          <fieldset>
            <legend>競合</legend>
            <label>
              <input type="radio" name={`c-${item.id}`} checked={decision === 'take'} onChange={() => onDecide(true)} />
              取り込む
            </label>
            <label>
              <input type="radio" name={`c-${item.id}`} checked={decision === 'keep'} onChange={() => onDecide(false)} />
              現在の値を残す
            </label>
          </fieldset>
        ) : (
          <label>
            <input type="checkbox" checked={decision === 'take'} onChange={(e) => onDecide(e.target.checked)} aria-label={`${where} ${item.what}を取り込む`} />
          </label>
        )}
      </div>
      <div className="item-body">
        <div className="head">
          <span className={`kind kind-${item.kind}`}>{kindLabels[item.kind]}</span>
          {item.row !== null && <span className="where">{item.row}行目</span>}
          <span className="label">{item.rowLabel}</span>
          {item.what !== 'セルの変更' && <span className="what">{item.what}</span>}
        </div>
        {item.conflictText && <p className="conflict-text">{item.conflictText}</p>}
        <Cells item={item} />
        {item.details.length > 0 && (
          <ul className="details">
            {item.details.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}

export interface ReviewPanelProps {
  review: Review;
  decisions: Decisions;
  onChange(next: Decisions): void;
}

export function ReviewPanel({ review, decisions, onChange }: ReviewPanelProps) {
  const [conflictsOnly, setConflictsOnly] = useState(false);
  const items = review.items;
  const shown = conflictsOnly ? items.filter((i) => i.conflict) : items;
  const groups = useMemo(() => {
    const out: { sheet: string; items: ReviewItem[] }[] = [];
    for (const i of shown) {
      const last = out.at(-1);
      if (last && last.sheet === i.sheet) last.items.push(i);
      else out.push({ sheet: i.sheet, items: [i] });
    }
    return out;
  }, [shown]);
  const open = unresolved(items, decisions);
  const c = review.counts;
  return (
    <section className="review" aria-label="取り込みの確認">
      <div className="review-summary">
        <p className="counts">
          <span>変更 {c.changes}件</span>
          <span>追加 {c.added}件</span>
          <span>削除 {c.removed}件</span>
          <span className={c.conflicts ? 'has-conflicts' : ''}>競合 {c.conflicts}件</span>
          {c.same > 0 && <span className="muted">（両方で同じに変更済み {c.same}セル）</span>}
        </p>
        <p className="base">
          {review.base
            ? `比べた時点: ${howLabels[review.base.how]}（${dateTime.format(new Date(review.base.at))}「${review.base.label}」）`
            : '比べた時点: なし（共通の履歴がありません）'}
        </p>
        {review.notes.map((n) => (
          <p key={n} className="note">
            {n}
          </p>
        ))}
        {c.conflicts > 0 && (
          <div className="conflict-bar" role="group" aria-label="競合">
            <span>{open > 0 ? `競合 ${open}件がまだ選ばれていません。それぞれ「取り込む」か「現在の値を残す」を選んでください。` : '競合はすべて選び終わりました。'}</span>
            <button type="button" onClick={() => onChange(decideConflicts(items, decisions, true))}>
              競合をすべて取り込む
            </button>
            <button type="button" onClick={() => onChange(decideConflicts(items, decisions, false))}>
              競合はすべて現在の値を残す
            </button>
            <label>
              <input type="checkbox" checked={conflictsOnly} onChange={(e) => setConflictsOnly(e.target.checked)} />
              競合だけ表示
            </label>
          </div>
        )}
      </div>
      {items.length === 0 ? (
        <p className="review-empty">変更はありません。ファイルの内容はいまの計画と同じです。</p>
      ) : (
        <div className="review-list">
          {groups.map((g) => (
            <section key={g.sheet} className="review-sheet" aria-label={`シート「${g.sheet}」`}>
              <h3>
                {review.source === 'database' ? g.sheet : `シート「${g.sheet}」`}
                <span className="muted">{g.items.length}件</span>
              </h3>
              <ul>
                {g.items.map((i) => (
                  <ItemRow key={i.id} item={i} decision={decisions[i.id] ?? null} onDecide={(take) => onChange(decide(items, decisions, i.id, take))} />
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </section>
  );
}
