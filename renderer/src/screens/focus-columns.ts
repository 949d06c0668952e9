import type { FocusPeriod, UnitFocusRowView } from '../../../shared/domain/editing';
import { createElement } from 'react';
import { carriesEmphasis } from '../../../shared/model/registry';
import { EmphasisText } from '../grid/EmphasisText';
import type { EditCell, PlanColumn } from '../grid/types';

/** Focus texts carry emphasised phrases (the branches' bold phrases): shown bold, edited with their marks. */
const FOCUS_EMPHASIS = carriesEmphasis('unit_focus', 'text');

/** A unit's focus for one period: an empty cell creates it, clearing the cell removes it. */
export function focusColumn(period: FocusPeriod, header: string, options: { width?: number; flex?: number; group?: string } = {}): PlanColumn<UnitFocusRowView> {
  return {
    id: `focus-${period}`,
    header,
    ...options,
    minWidth: 200,
    wrap: true,
    text: (r) => r.focus[period]?.text ?? '',
    ...(FOCUS_EMPHASIS ? { render: (r: UnitFocusRowView) => createElement(EmphasisText, { text: r.focus[period]?.text ?? '' }) } : {}),
    // Units that share one text (商業・商業卸売) show it once, across their rows.
    spanKey: (r) => {
      const f = r.focus[period];
      return f && f.sharedWith.length > 1 ? f.focusId : null;
    },
    cell: (r): EditCell => ({
      address: { entity: 'focusSlot', unitId: r.unitId, period },
      edit: (value) => ({ entity: 'focusSlot', unitId: r.unitId, period, value }),
    }),
  };
}

export function unitNameColumn(header: string, width: number): PlanColumn<UnitFocusRowView> {
  return {
    id: 'name',
    header,
    width,
    wrap: true,
    text: (r) => r.name,
    parse: (input) => (input.trim() === '' ? { ok: false, message: '組織名は空にできません。' } : { ok: true, value: input }),
    cell: (r) => ({ address: { entity: 'unitName', id: r.unitId }, edit: (value) => ({ entity: 'unitName', id: r.unitId, value }) }),
  };
}
