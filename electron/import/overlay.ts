import { randomUUID } from 'node:crypto';
import type { UnitKind } from '../../shared/domain/units';
import { planSchema, UNITS_COLUMN } from '../../shared/import/plan-schema';
import type { PlanState, StateRow } from '../../shared/import/state';
import { removeRow } from '../../shared/import/state-edit';
import { focusGroupOf } from '../services/editing/apply-edits';
import { cellKey, type Place, rowKey } from './incoming';

/** Writing a file's cells over the base plan (the file's version of the plan), remembering where each came from. */

export class Overlay {
  readonly places = new Map<string, Place>();
  constructor(readonly theirs: PlanState) {}

  /** Sets one column of a row the file has; false when the row is not there (removed with its parent). */
  set(table: string, id: string, column: string, value: StateRow[string], place: Place): boolean {
    const row = this.theirs[table]?.[id];
    if (!row) return false;
    row[column] = value;
    this.places.set(cellKey(table, id, column), place);
    return true;
  }

  placeRow(table: string, id: string, place: Place): void {
    this.places.set(rowKey(table, id), place);
  }

  remove(table: string, id: string, place?: Place): void {
    if (place) this.placeRow(table, id, place);
    removeRow(this.theirs, planSchema, table, id);
  }

  /**
   * A unit's focus text for a period, written as the grid's focus cell writes it
   * (services/editing/apply-edits.ts): a text shared by several units stays shared, an emptied
   * cell takes the unit off the text (and removes the text when no unit is left), a new text is
   * a new focus row of the unit.
   */
  setFocus(unitId: string, kind: UnitKind, period: string, text: string | null, place: Place): void {
    const focus = Object.values(this.theirs.unit_focus ?? {})
      .filter((f) => f.period === period && Array.isArray(f.units) && (f.units as string[]).includes(unitId))
      .sort((a, b) => Number(a.position) - Number(b.position))[0];
    if (text === null || text.trim() === '') {
      if (!focus) return;
      this.places.set(cellKey('unit_focus', focus.id, UNITS_COLUMN), place);
      const rest = (focus.units as string[]).filter((u) => u !== unitId);
      if (rest.length === 0) this.remove('unit_focus', focus.id, place);
      else focus.units = rest;
      return;
    }
    if (focus) {
      this.set('unit_focus', focus.id, 'text', text, place);
      return;
    }
    const plan = Object.values(this.theirs.plan ?? {})[0];
    const last = Math.max(-1, ...Object.values(this.theirs.unit_focus ?? {}).filter((f) => f.period === period).map((f) => Number(f.position)));
    const id = randomUUID();
    (this.theirs.unit_focus ??= {})[id] = {
      id,
      plan_id: plan?.id ?? null,
      period,
      group_heading: kind === 'branch' ? null : (focusGroupOf[kind] ?? null),
      position: last + 1,
      text,
      [UNITS_COLUMN]: [unitId],
    };
    this.placeRow('unit_focus', id, place);
  }
}
