/**
 * Emphasised phrases in plan text. The source documents set some phrases in bold (the branches'
 * focus for FY2021 and their joint projects); the plan keeps them inside the text as `**…**`
 * marks, as the documents' extraction and Markdown write them. A value so stays one string
 * through the database, the dump, the change log, undo and the three-way merge, and a planner
 * sees the marks while editing and can add or remove them by typing.
 *
 * A field that may carry marks says so in the registry (`text(size, { emphasis: true })`); the
 * printed layouts turn marks into bold runs, the grid shows them bold, and reading a workbook
 * turns bold runs of such a field back into marks, so an exported file reads back unchanged.
 *
 * A mark pairs with the next mark on the same line when something lies between them; a mark
 * left without a partner is text (「a ** b」 stays as written). Parsing and writing back are exact
 * inverses: `markedText(emphasisRuns(t)) === t` for every string.
 *
 * A workbook cannot tell two touching bold phrases from one (a program re-saving it may split
 * or join runs), so a value is stored in its canonical form (`canonicalEmphasis`: `**a****b**` as
 * `**ab**`): the form reading a workbook gives back, so a file the app wrote reads back as the
 * stored text, whatever was typed.
 */

export const EMPHASIS_MARK = '**';

export interface EmphasisRun {
  text: string;
  bold: boolean;
}

/** The text cut into plain and bold runs, in order (bold runs without their marks). */
export function emphasisRuns(text: string): EmphasisRun[] {
  const runs: EmphasisRun[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf(EMPHASIS_MARK, i);
    if (open < 0) break;
    const from = open + EMPHASIS_MARK.length;
    const close = text.indexOf(EMPHASIS_MARK, from);
    const lineEnd = text.indexOf('\n', from);
    if (close <= from || (lineEnd >= 0 && lineEnd < close)) {
      // No partner on this line (or nothing between): the mark is text.
      plain += text.slice(i, from);
      i = from;
      continue;
    }
    plain += text.slice(i, open);
    if (plain !== '') runs.push({ text: plain, bold: false });
    plain = '';
    runs.push({ text: text.slice(from, close), bold: true });
    i = close + EMPHASIS_MARK.length;
  }
  plain += text.slice(i);
  if (plain !== '') runs.push({ text: plain, bold: false });
  return runs;
}

/** The text as it reads on paper: marks of emphasis removed, unpaired marks kept. */
export function withoutEmphasis(text: string): string {
  return text.includes(EMPHASIS_MARK)
    ? emphasisRuns(text)
        .map((r) => r.text)
        .join('')
    : text;
}

/** Whether the text has any emphasised phrase. */
export const hasEmphasis = (text: string): boolean => text.includes(EMPHASIS_MARK) && emphasisRuns(text).some((r) => r.bold);

/** Runs written back as text with marks: each bold run marked line by line (marks never span a line break). */
export function markedText(runs: readonly EmphasisRun[]): string {
  return runs
    .map((r) =>
      r.bold
        ? r.text
            .split('\n')
            .map((line) => (line === '' ? '' : EMPHASIS_MARK + line + EMPHASIS_MARK))
            .join('\n')
        : r.text,
    )
    .join('');
}

/**
 * Runs as a workbook gives them (split wherever the program chose, bold or not per run) made
 * into the plan's text: neighbouring runs of one look joined, so that the same look always reads
 * as the same text. (A bold line break is no look: marks never span a line.)
 */
export function textOfRuns(runs: readonly EmphasisRun[]): string {
  const joined: EmphasisRun[] = [];
  for (const r of runs) {
    if (r.text === '') continue;
    const bold = r.bold;
    const last = joined[joined.length - 1];
    if (last && last.bold === bold) last.text += r.text;
    else joined.push({ text: r.text, bold });
  }
  return markedText(joined);
}

/**
 * The text as a workbook gives it back once printed: touching bold phrases joined, the same look. Stored values of fields that carry emphasis are in this form
 * (shared/model/field-rules.ts `storedForm`); it is its own canonical form.
 */
export function canonicalEmphasis(text: string): string {
  return text.includes(EMPHASIS_MARK) ? textOfRuns(emphasisRuns(text)) : text;
}
