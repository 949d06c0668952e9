import type { PlanState, StateRow } from '../../shared/import/state';
import { UNITS_COLUMN } from '../../shared/import/plan-schema';

/**
 * The focus texts (unit_focus) of a plan state by period and unit, for readers that set one unit's
 * focus cell after another: looking each one up by scanning every focus row made reading a
 * workbook with thousands of branches quadratic. Built once, kept up to date by the caller for the
 * rows it adds; rows removed or changed elsewhere are filtered out when looked up (every hit is
 * checked against the state), so the answers are always those of a scan of the state.
 */
export class FocusIndex {
  /** period → unit id → focus rows that listed the unit (possibly stale: checked on use). */
  private readonly byUnit = new Map<string, Map<string, StateRow[]>>();
  /** period → max-heap of the period's rows by position (possibly stale: checked on use). */
  private readonly byPeriod = new Map<string, StateRow[]>();
  /** A row's place in the state's iteration order: the scan's sort was stable, so ties went to the earlier row. */
  private readonly ordinal = new Map<StateRow, number>();

  constructor(private readonly state: PlanState) {
    for (const row of Object.values(state.unit_focus ?? {})) this.add(row);
  }

  /** Registers a row the caller added to the state (it comes last in the state's order). */
  add(row: StateRow): void {
    this.ordinal.set(row, this.ordinal.size);
    const period = String(row.period);
    let units = this.byUnit.get(period);
    if (!units) this.byUnit.set(period, (units = new Map()));
    for (const unitId of listOf(row)) {
      const rows = units.get(unitId);
      if (rows) rows.push(row);
      else units.set(unitId, [row]);
    }
    let heap = this.byPeriod.get(period);
    if (!heap) this.byPeriod.set(period, (heap = []));
    heapPush(heap, row);
  }

  private live(row: StateRow, period: string): boolean {
    return this.state.unit_focus?.[row.id] === row && row.period === period;
  }

  /** The unit's focus row for the period with the lowest position (the earlier one on a tie), as a scan would find it. */
  focusOf(unitId: string, period: string): StateRow | undefined {
    let best: StateRow | undefined;
    for (const row of this.byUnit.get(period)?.get(unitId) ?? []) {
      if (!this.live(row, period) || !listOf(row).includes(unitId)) continue;
      if (!best || Number(row.position) < Number(best.position) || (Number(row.position) === Number(best.position) && this.ordinal.get(row)! < this.ordinal.get(best)!))
        best = row;
    }
    return best;
  }

  /** The highest position among the period's focus rows (-1 when it has none). */
  lastPosition(period: string): number {
    const heap = this.byPeriod.get(period);
    if (!heap) return -1;
    while (heap.length > 0 && !this.live(heap[0]!, period)) heapPop(heap);
    return heap.length > 0 ? Math.max(-1, Number(heap[0]!.position)) : -1;
  }
}

const listOf = (row: StateRow): string[] => (Array.isArray(row[UNITS_COLUMN]) ? (row[UNITS_COLUMN] as string[]) : []);

// A binary max-heap by position (NaN positions sink: they never win Math.max either).
const key = (row: StateRow) => {
  const p = Number(row.position);
  return Number.isNaN(p) ? -Infinity : p;
};

function heapPush(heap: StateRow[], row: StateRow): void {
  heap.push(row);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (key(heap[parent]!) >= key(heap[i]!)) break;
    [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
    i = parent;
  }
}

function heapPop(heap: StateRow[]): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let top = i;
    if (l < heap.length && key(heap[l]!) > key(heap[top]!)) top = l;
    if (r < heap.length && key(heap[r]!) > key(heap[top]!)) top = r;
    if (top === i) return;
    [heap[top], heap[i]] = [heap[i]!, heap[top]!];
    i = top;
  }
}
