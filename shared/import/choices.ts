import { dependentClosure, requiredClosure } from './closure';
import type { ReviewItem } from './review';

/**
 * What the user decided for each item of a review: a change is taken or left; a conflict is
 * undecided until the user takes the file's value or keeps the current one. Taking an item takes
 * what it needs; leaving one leaves what needs it.
 */
export type Decision = 'take' | 'skip' | 'keep' | null;
export type Decisions = Record<string, Decision>;

/**
 * Every change is taken and every conflict undecided, except what deletes data (a removed row, a
 * cell emptied): that, and what needs it, is left out until the user ticks it.
 */
export function initialDecisions(items: ReviewItem[]): Decisions {
  const decisions: Decisions = Object.fromEntries(items.map((i) => [i.id, i.conflict ? null : 'take']));
  const deleting = items.filter((i) => i.deletes && !i.conflict).map((i) => i.id);
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const id of dependentClosure(items, deleting)) if (!byId.get(id)?.conflict) decisions[id] = 'skip';
  return decisions;
}

export function decide(items: ReviewItem[], decisions: Decisions, id: string, take: boolean): Decisions {
  const next = { ...decisions };
  const byId = new Map(items.map((i) => [i.id, i]));
  if (take) for (const r of requiredClosure(items, [id])) next[r] = 'take';
  else
    for (const d of dependentClosure(items, [id])) {
      const item = byId.get(d);
      if (item) next[d] = item.conflict ? 'keep' : 'skip';
    }
  return next;
}

/**
 * Decides every conflict at once (taking one still takes what it needs): the same as deciding them
 * one by one, in one pass over the closure of all of them.
 */
export function decideConflicts(items: ReviewItem[], decisions: Decisions, take: boolean): Decisions {
  const next = { ...decisions };
  const conflicts = items.filter((i) => i.conflict).map((i) => i.id);
  if (take) for (const r of requiredClosure(items, conflicts)) next[r] = 'take';
  else {
    const byId = new Map(items.map((i) => [i.id, i]));
    for (const d of dependentClosure(items, conflicts)) {
      const item = byId.get(d);
      if (item) next[d] = item.conflict ? 'keep' : 'skip';
    }
  }
  return next;
}

export function unresolved(items: ReviewItem[], decisions: Decisions): number {
  return items.filter((i) => i.conflict && (decisions[i.id] ?? null) === null).length;
}

/** The apply call's arguments. */
export function toApply(items: ReviewItem[], decisions: Decisions): { take: string[]; keep: string[] } {
  return {
    take: items.filter((i) => decisions[i.id] === 'take').map((i) => i.id),
    keep: items.filter((i) => i.conflict && decisions[i.id] === 'keep').map((i) => i.id),
  };
}

/**
 * 全て取り込む: every change that is no conflict, with the conflicts as the user decided them; a
 * change that needs a conflict the user kept stays out. Deletions count as decided too: only the
 * ones the user ticked are taken (a click on 「全て」 never deletes what was left unticked).
 */
export function takeAll(items: ReviewItem[], decisions: Decisions): Decisions {
  const byId = new Map(items.map((i) => [i.id, i]));
  const next: Decisions = { ...decisions };
  const decided = (n: string) => (byId.get(n)?.conflict || byId.get(n)?.deletes ? decisions[n] === 'take' : true);
  for (const i of items) {
    if (i.conflict) continue;
    const needs = [...requiredClosure(items, [i.id])];
    next[i.id] = needs.every(decided) ? 'take' : 'skip';
  }
  return next;
}
