import { createHash } from 'node:crypto';

/** Namespace of Plan Workbench's name-based UUIDs (a fixed random UUID). */
const NAMESPACE = Buffer.from('7d0f6f1e4b6a4c1f9a3e2d5b8c7a6f10', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5). Seed entries without an explicit id, and cells that are
 * identified by their parent and a fiscal year (year plans, target values), get the same id on
 * every build, so `init` → `dump` → `init` keeps every id.
 */
export function derivedId(...parts: (string | number)[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u001f'), 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const yearPlanId = (rowId: string, fiscalYear: number) => derivedId('year_plan', rowId, fiscalYear);
export const targetValueId = (targetId: string, fiscalYear: number) => derivedId('target_value', targetId, fiscalYear);
export const assignmentId = (rowId: string, unitId: string) => derivedId('assignment', rowId, unitId);
