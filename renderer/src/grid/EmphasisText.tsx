import { Fragment, type ReactNode } from 'react';
import { emphasisRuns, hasEmphasis } from '../../../shared/text/emphasis';

/**
 * A text of a field that carries emphasis, shown as it prints: its `**…**` phrases in bold
 * (shared/text/emphasis.ts). The editor, copy and find keep the marks, so a planner can add or
 * remove one by typing.
 */
export function EmphasisText({ text }: { text: string }): ReactNode {
  if (!hasEmphasis(text)) return text;
  return emphasisRuns(text).map((r, i) => (r.bold ? <strong key={i}>{r.text}</strong> : <Fragment key={i}>{r.text}</Fragment>));
}
