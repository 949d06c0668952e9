/**
 * Which review items go together: taking an item takes what it needs, leaving one out leaves out
 * what needs it (a removed unit and the 主な担当 cells that drop it). Used by the merge, the
 * review's choices and the apply step alike.
 */

/** An item as far as the closures care: its id and the ids of the items it needs. */
type Linked = { id: string; requires: string[] };

/**
 * Who needs whom in a list of items, built once per list (the review screen asks for every item in
 * turn: building these per question made 100,000 items quadratic). Rebuilt when the list grew.
 */
const links = new WeakMap<readonly Linked[], { length: number; byId: Map<string, Linked>; neededBy: Map<string, string[]> }>();
function linksOf(items: readonly Linked[]) {
  const known = links.get(items);
  if (known && known.length === items.length) return known;
  const byId = new Map(items.map((i) => [i.id, i]));
  const neededBy = new Map<string, string[]>();
  for (const i of items)
    for (const r of i.requires) {
      const list = neededBy.get(r);
      if (list) list.push(i.id);
      else neededBy.set(r, [i.id]);
    }
  const made = { length: items.length, byId, neededBy };
  links.set(items, made);
  return made;
}

/** The items an item needs, and theirs, recursively (to take it, take these too). */
export function requiredClosure(items: Linked[], ids: Iterable<string>): Set<string> {
  const { byId } = linksOf(items);
  const out = new Set<string>();
  const stack = [...ids].reverse();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    const requires = byId.get(id)?.requires ?? [];
    for (let k = requires.length - 1; k >= 0; k--) stack.push(requires[k]!);
  }
  return out;
}

/** The items that need an item, recursively (leaving it out leaves these out too). */
export function dependentClosure(items: Linked[], ids: Iterable<string>): Set<string> {
  const { neededBy } = linksOf(items);
  const out = new Set<string>(ids);
  const queue = [...out];
  for (let k = 0; k < queue.length; k++)
    for (const d of neededBy.get(queue[k]!) ?? [])
      if (!out.has(d)) {
        out.add(d);
        queue.push(d);
      }
  return out;
}
