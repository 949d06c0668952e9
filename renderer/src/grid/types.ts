import type { ReactNode } from 'react';
import type { CellAddress, GridEdit, RowKind } from '../../../shared/domain/editing';

/** What a typed or pasted text turns into before it is sent: the text the service parses, or a refusal. */
export type ParseOutcome = { ok: true; value: string | null } | { ok: false; message: string };

/** An editable cell: where it lives (for history and to tell shared cells apart) and how to write it. */
export interface EditCell {
  address: CellAddress;
  edit(value: string | null): GridEdit;
}

export type CellKind = 'text' | 'number' | 'enum' | 'bool' | 'units';

export interface ColumnOption {
  value: string;
  label: string;
}

/** A column of a plan grid, described by what a planner sees and does, not by AG Grid options. */
export interface PlanColumn<Row> {
  id: string;
  header: string;
  /** Columns with the same group are shown under one header (e.g. 2021年度 › 計画・実績). */
  group?: string;
  width?: number;
  minWidth?: number;
  flex?: number;
  kind?: CellKind;
  /** The text shown in the cell (also what is copied and found). */
  text(row: Row): string;
  /** The text the editor starts with (defaults to `text`): e.g. a number without separators. */
  editText?(row: Row): string;
  /** The cell's address and writer, or null when this row's cell cannot be edited. No `cell`: read-only column. */
  cell?(row: Row): EditCell | null;
  /** Checks and translates input before it is sent (e.g. a number, a label of a choice). */
  parse?(input: string, row: Row): ParseOutcome;
  options?: ColumnOption[];
  /** Right-aligned (numbers). */
  numeric?: boolean;
  /** Long text: wraps, and rows grow to fit it. */
  wrap?: boolean;
  /** Adjacent rows whose keys are equal share one cell (row spanning), as in the printed document. */
  spanKey?(row: Row): string | null;
  /** Custom look of the cell (e.g. the 新 badge); copy and find still use `text`. */
  render?(row: Row): ReactNode;
  headerTooltip?: string;
  pinned?: boolean;
}

export interface RowInsert<Row> {
  label: string;
  kind: RowKind;
  afterId(row: Row): string;
  /** Shown in the button's tooltip. */
  shortcut?: string;
}

/** Row operations a screen offers on the focused row. */
export interface RowOps<Row> {
  /** What a delete or move acts on. */
  subject(row: Row): { kind: RowKind; id: string };
  inserts: RowInsert<Row>[];
  /** A word for the rows in buttons: テーマ, 目標, 組織, 項目. */
  noun: string;
  /** The column a new row is focused in, ready to type. */
  focusColumn: string;
}
