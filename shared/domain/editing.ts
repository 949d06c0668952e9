import { z } from 'zod';
import { ActionRowView } from './action-plan';
import { CellEdit } from './editable-fields';
import { FiscalYear, Uuid } from './ids';
import { UnitKind, UnitWithCounts } from './units';

/**
 * Edits a grid sends besides plain cell edits: cells whose row may not exist yet (a unit's focus for
 * a period), the 主な担当 cell (a list of unit names) and a unit's name. One batch of them is one
 * change set and one undo step.
 */
export const FocusPeriod = z.string().regex(/^(term|\d{4})$/, 'term or a fiscal year');
export type FocusPeriod = z.infer<typeof FocusPeriod>;

export const FocusSlotEdit = z.object({
  entity: z.literal('focusSlot'),
  unitId: Uuid,
  /** 'term' (3 years) or a fiscal year ('2021'). */
  period: FocusPeriod,
  /** null or blank removes the unit's focus for that period. */
  value: z.string().max(1_000_000).nullable(),
});
export type FocusSlotEdit = z.infer<typeof FocusSlotEdit>;

export const AssignmentsEdit = z.object({
  entity: z.literal('assignments'),
  /** The action row whose 主な担当 cell this is. */
  id: Uuid,
  /** Unit names (or short names), one per line or separated by 、 , ・; null clears the cell. */
  value: z.string().max(100_000).nullable(),
});
export type AssignmentsEdit = z.infer<typeof AssignmentsEdit>;

export const UnitNameEdit = z.object({
  entity: z.literal('unitName'),
  id: Uuid,
  value: z.string().max(200).nullable(),
});
export type UnitNameEdit = z.infer<typeof UnitNameEdit>;

export const GridEdit = z.union([CellEdit, FocusSlotEdit, AssignmentsEdit, UnitNameEdit]);
export type GridEdit = z.infer<typeof GridEdit>;

/** The result of a write: the change set it made (null when nothing changed) and how many values changed. */
export const ChangeResult = z.object({ changeSetId: z.number().int().nullable(), changed: z.number().int() });
export type ChangeResult = z.infer<typeof ChangeResult>;

/** One row of the 目標・実績 grid: a target with its plan and actual per fiscal year. */
export const TargetRowView = z.object({
  id: Uuid,
  rowId: Uuid.nullable(),
  themeId: Uuid.nullable(),
  unitId: Uuid.nullable(),
  /** What the target belongs to: the theme's text, the row's first theme, or the branch's name. */
  owner: z.string(),
  label: z.string(),
  unit: z.string(),
  kind: z.string(),
  direction: z.string(),
  baselineValue: z.number().nullable(),
  baselineYear: z.number().int().nullable(),
  termGoalValue: z.number().nullable(),
  note: z.string().nullable(),
  /** Per fiscal year ('2020' → values); years without a value are absent. */
  values: z.record(z.string(), z.object({ plan: z.number().nullable(), actual: z.number().nullable() })),
});
export type TargetRowView = z.infer<typeof TargetRowView>;

/** One unit's focus texts by period; a text shared by several units names them all. */
export const FocusCellView = z.object({ focusId: Uuid, text: z.string(), sharedWith: z.array(Uuid) });
export type FocusCellView = z.infer<typeof FocusCellView>;

export const UnitFocusRowView = z.object({
  unitId: Uuid,
  kind: UnitKind,
  name: z.string(),
  /** The group of the FY2021 table (部会 / 委員会 / 女性会 / 青年部); null for branches. */
  group: z.string().nullable(),
  /** 'term' / '2020' … → the focus. */
  focus: z.record(z.string(), FocusCellView),
});
export type UnitFocusRowView = z.infer<typeof UnitFocusRowView>;

export const OverviewItemView = z.object({
  id: Uuid,
  sectionId: Uuid,
  sectionTitle: z.string(),
  groupId: Uuid,
  /** The group's heading or category (【経営支援】…). */
  groupLabel: z.string(),
  no: z.number().int().nullable(),
  text: z.string(),
  isNew: z.boolean(),
  rowId: Uuid.nullable(),
  /** The first theme of the linked action row, for orientation. */
  rowTheme: z.string().nullable(),
});
export type OverviewItemView = z.infer<typeof OverviewItemView>;

export const HistoryEntry = z.object({
  changeSetId: z.number().int(),
  at: z.string(),
  user: z.string(),
  label: z.string(),
  /** The value before and after, as text (null: the cell was empty or the row did not exist). */
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** A cell whose history is asked for: a cell edit's address, or a focus slot. */
export const CellAddress = z.union([
  z.object({ entity: CellEdit.shape.entity, id: Uuid, field: z.string().min(1).max(64), fiscalYear: FiscalYear.optional() }),
  z.object({ entity: z.literal('focusSlot'), unitId: Uuid, period: FocusPeriod }),
  z.object({ entity: z.literal('assignments'), id: Uuid }),
  z.object({ entity: z.literal('unitName'), id: Uuid }),
]);
export type CellAddress = z.infer<typeof CellAddress>;

export const UndoState = z.object({
  undoLabel: z.string().nullable(),
  redoLabel: z.string().nullable(),
});
export type UndoState = z.infer<typeof UndoState>;

export const MoveDirection = z.enum(['up', 'down']);
export type MoveDirection = z.infer<typeof MoveDirection>;

/** What a row operation touched, so the grid can focus the row afterwards. */
export const RowOpResult = ChangeResult.extend({ id: Uuid.nullable() });
export type RowOpResult = z.infer<typeof RowOpResult>;

/** What deleting a row takes with it, shown in the confirmation. */
export const DeleteImpact = z.object({ what: z.string(), details: z.array(z.string()) });
export type DeleteImpact = z.infer<typeof DeleteImpact>;

export const RowKind = z.enum(['theme', 'actionRow', 'target', 'unit', 'overviewItem']);
export type RowKind = z.infer<typeof RowKind>;

/**
 * The screen a write is made from, named as its list method takes it (actionRows.list,
 * targets.list, unitFocus.list, overview.list): the write answers with the rows of this screen it
 * changed, so the grid updates in place without reading the whole screen again.
 */
export const ScreenRef = z.discriminatedUnion('name', [
  z.object({ name: z.literal('actionRows'), fiscalYear: FiscalYear, unitId: Uuid.optional() }),
  z.object({ name: z.literal('targets'), unitId: Uuid.optional() }),
  z.object({ name: z.literal('unitFocus'), which: z.enum(['branches', 'committees']), unitId: Uuid.optional() }),
  z.object({ name: z.literal('overview'), fiscalYear: FiscalYear, unitId: Uuid.optional() }),
]);
export type ScreenRef = z.infer<typeof ScreenRef>;

const rowsPatch = <Row extends z.ZodType>(row: Row) => ({
  /** The rows the change touched that are on the screen, read from the database after the change. */
  rows: z.array(row),
  /** Rows the change took off the screen (by the id the screen keys them on). */
  removed: z.array(Uuid),
  /** Every row id of the screen in order, when the change added, removed or moved rows; null: the order is as it was. */
  order: z.array(Uuid).nullable(),
});

/** What a write changed on the screen it named; row ids are `id`, or `unitId` for unitFocus. */
export const ScreenChange = z.discriminatedUnion('name', [
  z.object({ name: z.literal('actionRows'), ...rowsPatch(ActionRowView) }),
  z.object({ name: z.literal('targets'), ...rowsPatch(TargetRowView) }),
  z.object({ name: z.literal('unitFocus'), ...rowsPatch(UnitFocusRowView) }),
  z.object({ name: z.literal('overview'), ...rowsPatch(OverviewItemView) }),
]);
export type ScreenChange = z.infer<typeof ScreenChange>;

/** What every write answers besides its change set, so the frame needs no further request. */
export const ChangeFollowUp = z.object({
  /** What undo and redo would do now. */
  undo: UndoState,
  /** The rows of the screen the request named (absent when it named none). */
  screen: ScreenChange.optional(),
  /** The units with their counts, when the change touched them (names, order, 主な担当, focus, targets). */
  units: z.array(UnitWithCounts).optional(),
});
export type ChangeFollowUp = z.infer<typeof ChangeFollowUp>;

export const EditOutcome = ChangeResult.extend(ChangeFollowUp.shape);
export type EditOutcome = z.infer<typeof EditOutcome>;
export const RowOpOutcome = RowOpResult.extend(ChangeFollowUp.shape);
export type RowOpOutcome = z.infer<typeof RowOpOutcome>;
export const UndoRedoOutcome = ChangeResult.extend({ label: z.string(), ...ChangeFollowUp.shape });
export type UndoRedoOutcome = z.infer<typeof UndoRedoOutcome>;
