import type { Random } from './random';
import { hostileText } from './values';

/**
 * Spoils a plan dump (the JSON `plan init --from` reads): values of another type, too long, out of
 * range or full of control characters; keys removed or added; array entries duplicated (same
 * ids) or dropped; and at the text level a byte order mark, another encoding, a cut file, 1e999.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Slot = { parent: Json[] | { [k: string]: Json }; key: string | number; value: Json; path: string };

function slots(value: Json, path = '', out: Slot[] = []): Slot[] {
  if (Array.isArray(value))
    value.forEach((v, i) => {
      out.push({ parent: value, key: i, value: v, path: `${path}[${i}]` });
      slots(v, `${path}[${i}]`, out);
    });
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value, key: k, value: v, path: path ? `${path}.${k}` : k });
      slots(v, path ? `${path}.${k}` : k, out);
    }
  return out;
}

function otherValue(rnd: Random, old: Json): Json {
  return rnd.weighted<() => Json>([
    [3, () => hostileText(rnd)],
    [2, () => rnd.pick([-1, 0, 1.5, 1e308, 2 ** 53 + 2, 2020, 1900, 99999])],
    [1, () => null],
    [1, () => rnd.chance(0.5)],
    [1, () => [old]],
    [1, () => ({ value: old })],
    [1, () => (typeof old === 'string' ? old.toUpperCase() + ' ' : String(old))],
    [1, () => rnd.pick(['unknown_kind', 'sideways', 'branch', 'rate', 'at_most'])],
  ])();
}

export function mutateDump(rnd: Random, original: string): { text: string | Buffer; steps: string[] } {
  const data = JSON.parse(original) as Json;
  const steps: string[] = [];
  const count = rnd.weighted<number>([
    [5, 1],
    [3, 2],
    [1, 5],
  ]);
  for (let i = 0; i < count; i++) {
    const all = slots(data);
    const slot = rnd.pick(all);
    const what = rnd.weighted<string>([
      [6, 'value'],
      [2, 'remove'],
      [1, 'add-key'],
      [2, 'duplicate'],
      [1, 'swap-ids'],
    ]);
    const { parent, key } = slot;
    if (what === 'value') {
      const v = otherValue(rnd, slot.value);
      (parent as Record<string | number, Json>)[key] = v;
      steps.push(`${slot.path} := ${JSON.stringify(v)?.slice(0, 80)}`);
    } else if (what === 'remove') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      steps.push(`${slot.path} removed`);
    } else if (what === 'add-key') {
      if (slot.value !== null && typeof slot.value === 'object' && !Array.isArray(slot.value)) {
        const k = rnd.pick(['extra', '__proto__', 'constructor', 'id']);
        Object.defineProperty(slot.value, k, { value: hostileText(rnd).slice(0, 100), enumerable: true, configurable: true, writable: true });
        steps.push(`${slot.path}.${k} added`);
      }
    } else if (what === 'duplicate') {
      if (Array.isArray(slot.value) && slot.value.length > 0) {
        slot.value.push(structuredClone(rnd.pick(slot.value)));
        steps.push(`${slot.path}: an entry twice`);
      }
    } else {
      const ids = all.filter((s) => s.key === 'id' && typeof s.value === 'string');
      if (ids.length > 1) {
        const [a, b] = [rnd.pick(ids), rnd.pick(ids)];
        (a.parent as Record<string, Json>).id = b.value;
        steps.push(`${a.path} := id of ${b.path}`);
      }
    }
  }
  let text = JSON.stringify(data, null, 2);
  const encoding = rnd.weighted<string>([
    [8, 'plain'],
    [2, 'bom'],
    [1, 'utf16'],
    [1, 'cut'],
    [1, 'huge-number'],
    [1, 'nul'],
  ]);
  if (encoding === 'plain') return { text, steps };
  steps.push(`text: ${encoding}`);
  if (encoding === 'bom') return { text: `\ufeff${text}`, steps };
  if (encoding === 'utf16') return { text: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), steps };
  if (encoding === 'cut') return { text: text.slice(0, rnd.int(text.length)), steps };
  if (encoding === 'huge-number') {
    text = text.replace(/(": )(\d+(?:\.\d+)?)/, '$11e999');
    return { text, steps };
  }
  const at = rnd.int(text.length);
  return { text: text.slice(0, at) + '\u0000' + text.slice(at), steps };
}
