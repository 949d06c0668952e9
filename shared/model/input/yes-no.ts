import { excerpt } from '../../text/excerpt';
import { accept, isBlank, refuse, type InputResult } from './result';

/**
 * A yes/no cell (the overview's 新): the mark the documents print, a tick, はい/いいえ, 1/0,
 * true/false, yes/no (NFKC, any case); blank is no.
 */
const yes = new Set(['1', 'true', 'yes', 'y', 'はい', '新', '○', '〇', '◯', '✓', '✔']);
const no = new Set(['0', 'false', 'no', 'n', 'いいえ', '-', '×', '✕']);

export function parseYesNo(raw: string | null): InputResult<boolean> {
  if (raw === null || isBlank(raw)) return accept(false);
  const v = raw.normalize('NFKC').trim().toLowerCase();
  if (yes.has(v)) return accept(true);
  if (no.has(v)) return accept(false);
  return refuse(`「${excerpt(raw)}」は「新」か空欄で入力してください。`, `not a boolean: ${JSON.stringify(excerpt(raw, 80))}`);
}
