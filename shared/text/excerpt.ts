/**
 * Messages a user sees are short: a value of 2 MB quoted in full once made an alert of six million
 * characters. Every message that quotes user data quotes `excerpt(value)`, and AppError caps the
 * whole message at MESSAGE_MAX_CHARS whatever it holds.
 */

/** The longest Japanese message an AppError (and so the page, the alert, the command line) carries. */
export const MESSAGE_MAX_CHARS = 500;
/** How much of a user's value a message quotes by default. */
export const EXCERPT_CHARS = 40;
const ELLIPSIS = '…';

// Line breaks, tabs and other control characters would break the message's layout (or a terminal);
// bidirectional overrides could make the quoted text read differently from what it is.
// eslint-disable-next-line no-control-regex -- the very characters a quotation must not carry
const unprintable = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const bidiControls = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    // An object whose toString throws (or a null-prototype object) still gets a message.
    return '?';
  }
}

/** At most `max` code points of `s`, ending in … when anything was cut; never splits a surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  // Look only at the head: Array.from over a 12 MB string would cost more than the whole message.
  const points = Array.from(s.slice(0, max * 2 + 2));
  if (points.length <= max && s.length <= max * 2 + 2) return s;
  return points.slice(0, Math.max(0, max - 1)).join('') + ELLIPSIS;
}

/**
 * A short, single-line quotation of user data for a message: control characters become spaces,
 * bidi controls are dropped, and anything longer than `max` characters ends in an ellipsis.
 */
export function excerpt(value: unknown, max: number = EXCERPT_CHARS): string {
  const s = text(value);
  // Clean only what can be shown (plus room for what the cleaning removes).
  const cut = s.length > max * 4 + 8;
  const cleaned = (cut ? s.slice(0, max * 4 + 8) : s).replace(bidiControls, '').replace(unprintable, ' ');
  const points = Array.from(cleaned);
  if (points.length <= max && !cut) return cleaned;
  return points.slice(0, Math.max(0, max - 1)).join('') + ELLIPSIS;
}

/** The message cut to MESSAGE_MAX_CHARS (the rule every AppError follows). */
export function capMessage(message: string, max: number = MESSAGE_MAX_CHARS): string {
  return truncate(message, max);
}
