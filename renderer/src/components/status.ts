/**
 * The status bar as the screens, grids and dialogs see it. Here, below grid/ and screens/, so that
 * both can use it without importing each other.
 */

/** Messages for the status bar: what was saved, or what went wrong (in Japanese). */
export interface StatusReporter {
  info(text: string): void;
  error(text: string): void;
}
