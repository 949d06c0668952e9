import { parseNumberFor } from '../../../shared/numbers/parse';
import type { ColumnOption, ParseOutcome } from './types';

/**
 * The grid's checks before anything is sent; the service parses again with the same shared rules.
 * A number may be typed or pasted in any form the documents use (25,000 / 1万 / 2.5万 / ２５，０００ / 80％).
 */
export function numberIn(unit: string) {
  return (input: string): ParseOutcome => {
    if (input.trim() === '') return { ok: true, value: null };
    const r = parseNumberFor(input, unit);
    return r.ok ? { ok: true, value: input } : { ok: false, message: r.message };
  };
}

export function fiscalYearInput(input: string): ParseOutcome {
  if (input.trim() === '') return { ok: true, value: null };
  const r = parseNumberFor(input.replace(/年度?\s*$/, ''));
  if (!r.ok || !Number.isInteger(r.value) || r.value < 1900 || r.value > 2200) return { ok: false, message: `「${input}」は年度として読めません（例: 2019）。` };
  return { ok: true, value: String(r.value) };
}

/** A choice typed or pasted by its label (率) or its code (rate). */
export function choiceOf(options: ColumnOption[], what: string) {
  return (input: string): ParseOutcome => {
    const v = input.normalize('NFKC').trim();
    const o = options.find((x) => x.label.normalize('NFKC') === v || x.value === v);
    return o ? { ok: true, value: o.value } : { ok: false, message: `「${input}」は${what}の選択肢にありません（${options.map((x) => x.label).join('・')}）。` };
  };
}

export function requiredText(what: string) {
  return (input: string): ParseOutcome =>
    input.trim() === '' ? { ok: false, message: `${what}は空にできません。行ごと消すときは「削除」（Ctrl+-）を使ってください。` } : { ok: true, value: input };
}
