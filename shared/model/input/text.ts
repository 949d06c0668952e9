import { normalizeText } from '../field-rules';
import { accept, isBlank, refuse, type InputResult } from './result';

/**
 * Texts: what was typed is kept as written, with every kind of line break turned into a newline
 * (normalizeText: a paste from Word or PowerPoint). Blank means cleared: null for a text that may
 * be empty, refused for one that may not (a theme, a target's name). What a stored text may hold
 * (length, control characters) is the storage rule's to say (field-rules.ts `checkStored`), not
 * the input layer's: every import checks it too.
 */

/** The one message for a required field left empty, for the grid editor, the Delete key and the service alike. */
export const requiredMessage = 'この欄は空にできません。';

export function parseText(raw: string | null): InputResult<string | null> {
  return raw === null || isBlank(raw) ? accept(null) : accept(normalizeText(raw));
}

export function parseRequiredText(raw: string | null): InputResult<string> {
  return raw === null || isBlank(raw) ? refuse(requiredMessage, 'required field cleared') : accept(normalizeText(raw));
}
