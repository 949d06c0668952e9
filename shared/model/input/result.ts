/**
 * What every parser of the input layer answers: the value, or a refusal with the Japanese message
 * the user sees (the same whoever asked: a grid editor, the service, an import reader, the command
 * line) and a short English reason for the log.
 */
export type InputResult<T> = { ok: true; value: T } | InputRefusal;

export interface InputRefusal {
  ok: false;
  /** Japanese, for the user; quotes user data only through `excerpt()`. */
  message: string;
  /** English, for the log (at most a couple of hundred characters). */
  log: string;
}

export const accept = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refuse = (message: string, log: string): InputRefusal => ({ ok: false, message, log });

/** Nothing written: null, '' or only spaces (full-width ones too) and line breaks. */
export const isBlank = (raw: string | null | undefined): boolean => raw === null || raw === undefined || raw.trim() === '';
