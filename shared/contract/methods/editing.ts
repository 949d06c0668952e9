import { z } from 'zod';
import {
  CellAddress,
  DeleteImpact,
  EditOutcome,
  GridEdit,
  HistoryEntry,
  MoveDirection,
  OverviewItemView,
  RowKind,
  RowOpOutcome,
  ScreenRef,
  TargetRowView,
  UndoRedoOutcome,
  UndoState,
  UnitFocusRowView,
} from '../../domain/editing';
import { FiscalYear, Uuid } from '../../domain/ids';

/**
 * Editing in the grids: batches of edits, row operations, undo/redo over the change log, cell history, the screens' rows.
 * A write may name the screen it is made from (`screen`): it then answers with the rows of that screen it changed,
 * besides the new undo state and the units when they changed, so one request is one edit (ChangeFollowUp).
 */
const screen = ScreenRef.optional();

export const editingMethods = {
  'edits.apply': {
    description: 'Apply grid edits (cells, focus slots, 主な担当, unit names) as one change and one undo step',
    args: z.object({ label: z.string().max(200), edits: z.array(GridEdit).min(1).max(100_000), screen }),
    result: EditOutcome,
  },
  'rows.insert': {
    description: 'Add a row below another (theme, table row, target, unit, overview item); returns the new row id',
    args: z.object({ kind: RowKind, afterId: Uuid, screen }),
    result: RowOpOutcome,
  },
  'rows.deleteImpact': {
    description: 'What deleting a row would take with it, for the confirmation',
    args: z.object({ kind: RowKind, id: Uuid }),
    result: DeleteImpact,
  },
  'rows.delete': {
    description: 'Delete a row and what belongs to it, as one undo step',
    args: z.object({ kind: RowKind, id: Uuid, screen }),
    result: RowOpOutcome,
  },
  'rows.move': {
    description: 'Move a row up or down among its siblings',
    args: z.object({ kind: RowKind, id: Uuid, direction: MoveDirection, screen }),
    result: RowOpOutcome,
  },
  'history.state': {
    description: 'What undo and redo would do now (labels), read from the change log',
    args: z.object({}),
    result: UndoState,
  },
  'history.undo': {
    description: 'Undo the latest change not yet undone, as a new change set reversing it',
    args: z.object({ screen }),
    result: UndoRedoOutcome,
  },
  'history.redo': {
    description: 'Redo the latest undo, as a new change set reversing the undo',
    args: z.object({ screen }),
    result: UndoRedoOutcome,
  },
  'history.cell': {
    description: 'Who changed a cell when, from what to what (newest first)',
    args: z.object({ cell: CellAddress }),
    result: z.array(HistoryEntry),
  },
  'targets.list': {
    description: 'Targets (KPIs) in document order with plan and actual per fiscal year',
    args: z.object({ unitId: Uuid.optional() }),
    result: z.array(TargetRowView),
  },
  'unitFocus.list': {
    description: 'Units with their focus texts by period: the branches, or the sections, committees and groups',
    args: z.object({ which: z.enum(['branches', 'committees']), unitId: Uuid.optional() }),
    result: z.array(UnitFocusRowView),
  },
  'overview.list': {
    description: 'The annual overview items of a fiscal year by section and group',
    args: z.object({ fiscalYear: FiscalYear, unitId: Uuid.optional() }),
    result: z.array(OverviewItemView),
  },
} as const;
