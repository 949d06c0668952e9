import { randomUUID } from 'node:crypto';
import type { UnitKind } from '../../shared/domain/units';
import { planSchema, UNITS_COLUMN } from '../../shared/import/plan-schema';
import type { PlanState, StateRow } from '../../shared/import/state';
import { pointsWith, RowRemover } from '../../shared/import/state-edit';
import { focusGroupOf } from '../model/editing/apply-edits';
import { FocusIndex } from './focus-index';
import { cellKey, type Place, rowKey } from './incoming';

/** Writing a file's cells over the base plan (the file's version of the plan), remembering where each came from. */

export class Overlay {
  readonly places = new Map<string, Place>();
  /** Built on the first focus cell; dropped when a focus row's period, position or units are set directly. */
  private focusIndex: FocusIndex | null = null;
  /** Removes rows by the app's delete rules, through an index of references (a scan of the whole plan per removed row was quadratic). */
  private readonly remover: RowRemover;
  constructor(readonly theirs: PlanState) {
    this.remover = new RowRemover(theirs, planSchema);
  }

  /** Adds a row the file has and the plan does not (readers add rows only through here or `added`). */
  addRow(table: string, row: StateRow): void {
    (this.theirs[table] ??= {})[row.id] = row;
    this.remover.added(table, row);
  }

  /** A row a reader put into the state itself (SiblingPlacer). */
  added(table: string, row: StateRow): void {
    this.remover.added(table, row);
  }

  /** Sets one column of a row the file has; false when the row is not there (removed with its parent). */
  set(table: string, id: string, column: string, value: StateRow[string], place: Place): boolean {
    const row = this.theirs[table]?.[id];
    if (!row) return false;
    row[column] = value;
    if (table === 'unit_focus' && column !== 'text') this.focusIndex = null;
    if (pointsWith(table, column)) this.remover.changed(table, row);
    this.places.set(cellKey(table, id, column), place);
    return true;
  }

  placeRow(table: string, id: string, place: Place): void {
    this.places.set(rowKey(table, id), place);
  }

  async remove(table: string, id: string, place?: Place): Promise<void> {
    if (place) this.placeRow(table, id, place);
    await this.remover.remove(table, id);
  }

  /**
   * A unit's focus text for a period, written as the grid's focus cell writes it
   * (electron/model/editing/apply-edits.ts): a text shared by several units stays shared, an emptied
   * cell takes the unit off the text (and removes the text when no unit is left), a new text is
   * a new focus row of the unit.
   */
  async setFocus(unitId: string, kind: UnitKind, period: string, text: string | null, place: Place): Promise<void> {
    const index = (this.focusIndex ??= new FocusIndex(this.theirs));
    const focus = index.focusOf(unitId, period);
    if (text === null || text.trim() === '') {
      if (!focus) return;
      this.places.set(cellKey('unit_focus', focus.id, UNITS_COLUMN), place);
      const rest = (focus.units as string[]).filter((u) => u !== unitId);
      if (rest.length === 0) await this.remove('unit_focus', focus.id, place);
      else focus.units = rest;
      return;
    }
    if (focus) {
      this.set('unit_focus', focus.id, 'text', text, place);
      return;
    }
    const plan = Object.values(this.theirs.plan ?? {})[0];
    const last = index.lastPosition(period);
    const id = randomUUID();
    const row: StateRow = {
      id,
      plan_id: plan?.id ?? null,
      period,
      group_heading: kind === 'branch' ? null : (focusGroupOf[kind] ?? null),
      position: last + 1,
      text,
      [UNITS_COLUMN]: [unitId],
    };
    this.addRow('unit_focus', row);
    index.add(row);
    this.placeRow('unit_focus', id, place);
  }
}
