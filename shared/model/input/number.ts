import { excerpt } from '../../text/excerpt';
import { parseNumberFor } from '../../numbers/parse';
import { accept, isBlank, refuse, type InputResult } from './result';

/**
 * A number with the unit of its column (a target's 社, 名, %, 円 …): read by the one number parser,
 * shared/numbers/parse.ts (25,000 / 1万 / ２５，０００ / 80％ / 7.5億円 / ▲2億円), which also converts
 * 1万社 or 2.5億円 to the column's unit and refuses another unit. Blank is null (cleared).
 */
export function parseNumberInput(raw: string | null, unit = ''): InputResult<number | null> {
  if (raw === null || isBlank(raw)) return accept(null);
  const n = parseNumberFor(raw, unit);
  return n.ok ? accept(n.value) : refuse(n.message, `not a number: ${JSON.stringify(excerpt(raw, 80))}`);
}
