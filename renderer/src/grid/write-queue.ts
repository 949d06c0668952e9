/**
 * Writes run one after another, in the order the user made them: a fast typist's next cell, an
 * undo pressed while a paste is still saving. Reads may overlap; writes never do.
 */
let tail: Promise<unknown> = Promise.resolve();

export function enqueueWrite<T>(write: () => Promise<T>): Promise<T> {
  const next = tail.then(write, write);
  tail = next.catch(() => undefined);
  return next;
}

/** Resolves when every write queued so far has finished (tests and the frame wait on it). */
export function writesSettled(): Promise<void> {
  return tail.then(() => undefined);
}
