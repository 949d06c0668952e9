import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type {
  CellClassParams,
  CellEditRequestEvent,
  CellFocusedEvent,
  ColDef,
  ColGroupDef,
  GridApi,
  GridReadyEvent,
  IRowNode,
  SuppressKeyboardEventParams,
} from 'ag-grid-community';
import type { ChangeFollowUp, GridEdit, HistoryEntry, MoveDirection, ScreenRef } from '../../../shared/domain/editing';
import { api } from '../api/transport';
import { ConfirmDialog, type ConfirmRequest } from '../components/ConfirmDialog';
import { errorMessage } from '../errors';
import type { StatusReporter } from '../components/status';
import { isTextField } from './editable-target';
import { FindBar } from './FindBar';
import { gridTheme } from './grid-theme';
import { HistoryPanel } from './HistoryPanel';
import { ListCellEditor, type ListEditorParams } from './ListCellEditor';
import { isComposing, TextCellEditor, type Direction, type PlanEditorParams } from './TextCellEditor';
import { parseTsv, toTsv } from './tsv';
import type { PlanColumn, RowOps } from './types';
import { enqueueWrite } from './write-queue';

export interface PlanGridProps<Row> {
  testId: string;
  /** null while loading. */
  rows: Row[] | null;
  columns: PlanColumn<Row>[];
  rowId(row: Row): string;
  status: StatusReporter;
  /** The screen the rows are from: each write names it and answers with the rows of it that changed. */
  screen: ScreenRef;
  /** Takes a write's answer (null when it failed) and shows what the database now holds (use-rows.ts). */
  changed(outcome: ChangeFollowUp | null, sent: ScreenRef): Promise<void>;
  rowOps?: RowOps<Row>;
  emptyText?: string;
  /** Screen-specific controls shown at the left of the grid's toolbar. */
  toolbar?: ReactNode;
}

interface Match {
  rowIndex: number;
  colId: string;
}

const normalise = (s: string) => s.normalize('NFKC').toLowerCase();

/**
 * An editable grid of plan rows that behaves like a spreadsheet: type to replace, F2/Enter/
 * double-click to edit, Enter/Tab/arrows to move, Esc to cancel, Delete to clear, Alt+Enter for a
 * line break, paste of a block from Excel, copy as TSV, find, the history of a cell, and row
 * operations. Every change goes to the database at once as one change set (one undo step), and
 * the grid then shows what the database holds.
 */
export function PlanGrid<Row>(props: PlanGridProps<Row>) {
  const { testId, rows, columns, rowId, rowOps, emptyText, toolbar } = props;
  const apiRef = useRef<GridApi<Row> | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const byId = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);
  const byIdRef = useRef(byId);
  byIdRef.current = byId;
  const pendingFocus = useRef<{ id?: string; index?: number; colId?: string; done?: string } | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);

  // ── find ──
  const [findOpen, setFindOpen] = useState(false);
  const [findToken, setFindToken] = useState(0);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(-1);
  const matchKeys = useRef(new Set<string>());
  const currentKey = useRef<string | null>(null);

  // ── history ──
  const [historyOpen, setHistoryOpen] = useState(false);
  const [historyCell, setHistoryCell] = useState<string | null>(null);
  const [historyEntries, setHistoryEntries] = useState<HistoryEntry[] | null>(null);
  const historyOpenRef = useRef(historyOpen);
  historyOpenRef.current = historyOpen;

  const focusedRow = useCallback((): { node: IRowNode<Row>; colId: string } | null => {
    const a = apiRef.current;
    const f = a?.getFocusedCell();
    if (!a || !f) return null;
    const node = a.getDisplayedRowAtIndex(f.rowIndex);
    return node?.data ? { node, colId: f.column.getColId() } : null;
  }, []);

  /** Whether the row at `index` continues the shared cell of the row above in this column. */
  const continuesSpan = useCallback((col: PlanColumn<Row>, index: number): boolean => {
    const a = apiRef.current;
    if (!a || !col.spanKey || index === 0) return false;
    const prev = a.getDisplayedRowAtIndex(index - 1)?.data;
    const here = a.getDisplayedRowAtIndex(index)?.data;
    if (!prev || !here) return false;
    const k = col.spanKey(here);
    return k !== null && k === col.spanKey(prev);
  }, []);

  const focusCell = useCallback((rowIndex: number, colId: string) => {
    const a = apiRef.current;
    if (!a) return;
    a.ensureIndexVisible(rowIndex);
    a.ensureColumnVisible(colId);
    a.setFocusedCell(rowIndex, colId);
  }, []);

  const move = useCallback(
    (direction: Direction) => {
      const a = apiRef.current;
      const f = a?.getFocusedCell();
      if (!a || !f) return;
      const cols = a.getAllDisplayedColumns();
      const ci = cols.findIndex((c) => c.getColId() === f.column.getColId());
      let rowIndex = f.rowIndex;
      let col = cols[ci]!;
      if (direction === 'left') col = cols[Math.max(0, ci - 1)]!;
      if (direction === 'right') col = cols[Math.min(cols.length - 1, ci + 1)]!;
      const planCol = byIdRef.current.get(col.getColId());
      const last = a.getDisplayedRowCount() - 1;
      if (direction === 'down') {
        // Skip the rest of a shared cell, as the grid's own navigation does.
        do rowIndex++;
        while (planCol && rowIndex <= last && continuesSpan(planCol, rowIndex));
        rowIndex = Math.min(rowIndex, last);
      }
      if (direction === 'up') {
        rowIndex = Math.max(0, rowIndex - 1);
        while (planCol && rowIndex > 0 && continuesSpan(planCol, rowIndex)) rowIndex--;
      }
      focusCell(rowIndex, col.getColId());
    },
    [continuesSpan, focusCell],
  );

  // ── writing ──

  /** One write with its answer: the rows it changed go into the grid, or (when it failed) the screen is read again. */
  const write = useCallback(async (request: (screen: ScreenRef) => Promise<ChangeFollowUp>, done?: () => void) => {
    const screen = latest.current.screen;
    let outcome: ChangeFollowUp | null = null;
    try {
      outcome = await request(screen);
      done?.();
    } catch (e) {
      latest.current.status.error(errorMessage(e));
    }
    await latest.current.changed(outcome, screen);
  }, []);

  const applyEdits = useCallback(
    (edits: GridEdit[], label: string, done: string) =>
      enqueueWrite(() => write((screen) => api['edits.apply']({ label, edits, screen }), () => latest.current.status.info(done))),
    [write],
  );

  const cellEdit = useCallback(
    (row: Row, col: PlanColumn<Row>, raw: string | null): { edit: GridEdit } | { problem: string } | null => {
      const cell = col.cell?.(row);
      if (!cell) return null;
      if (raw !== null && col.parse) {
        const parsed = col.parse(raw, row);
        if (!parsed.ok) return { problem: parsed.message };
        return { edit: cell.edit(parsed.value) };
      }
      return { edit: cell.edit(raw === null || raw === '' ? null : raw) };
    },
    [],
  );

  const onCellEditRequest = useCallback(
    (e: CellEditRequestEvent<Row>) => {
      const col = byIdRef.current.get(e.column.getColId());
      if (!col || !e.data) return;
      const r = cellEdit(e.data, col, e.newValue == null ? null : String(e.newValue));
      if (!r) return;
      if ('problem' in r) {
        latest.current.status.error(`${col.header}: ${r.problem} 入力は保存していません。`);
        return;
      }
      void applyEdits([r.edit], 'セルの編集', '保存しました。');
    },
    [applyEdits, cellEdit],
  );

  const clearFocused = useCallback(() => {
    const f = focusedRow();
    if (!f) return;
    const col = byIdRef.current.get(f.colId);
    if (!col?.cell?.(f.node.data!)) {
      latest.current.status.error('このセルは編集できません。');
      return;
    }
    if (col.text(f.node.data!) === '') return;
    const r = cellEdit(f.node.data!, col, null);
    if (r && 'edit' in r) void applyEdits([r.edit], 'セルの消去', '消去しました。');
  }, [applyEdits, cellEdit, focusedRow]);

  const toggleBool = useCallback(
    (row: Row, col: PlanColumn<Row>) => {
      const r = cellEdit(row, col, col.text(row) === '' ? '新' : null);
      if (r && 'edit' in r) void applyEdits([r.edit], `「${col.header}」の切り替え`, '保存しました。');
    },
    [applyEdits, cellEdit],
  );

  // ── row operations ──

  const insertRow = useCallback(
    async (index: number) => {
      const ops = latest.current.rowOps;
      const f = focusedRow();
      const insert = ops?.inserts[index];
      if (!ops || !insert) return;
      if (!f) {
        latest.current.status.error('追加する位置の行を選んでください。');
        return;
      }
      await enqueueWrite(() =>
        write(async (screen) => {
          const r = await api['rows.insert']({ kind: insert.kind, afterId: insert.afterId(f.node.data!), screen });
          pendingFocus.current = { id: r.id ?? undefined, colId: ops.focusColumn, done: `${insert.label}しました。` };
          return r;
        }),
      );
    },
    [write, focusedRow],
  );

  const deleteRow = useCallback(async () => {
    const ops = latest.current.rowOps;
    const f = focusedRow();
    if (!ops || !f) return;
    const subject = ops.subject(f.node.data!);
    const index = f.node.rowIndex ?? 0;
    let impact;
    try {
      impact = await api['rows.deleteImpact'](subject);
    } catch (e) {
      latest.current.status.error(errorMessage(e));
      return;
    }
    const close = () => {
      setConfirm(null);
      focusCell(index, f.colId);
    };
    setConfirm({
      title: `${ops.noun}の削除`,
      message: impact.what,
      details: impact.details,
      confirmLabel: '削除する',
      onCancel: close,
      onConfirm: () => {
        setConfirm(null);
        const want: { index: number; colId: string; done?: string } = { index, colId: f.colId };
        void enqueueWrite(() => {
          pendingFocus.current = want;
          return write((screen) => api['rows.delete']({ ...subject, screen }), () => (want.done = '削除しました。'));
        });
      },
    });
  }, [write, focusCell, focusedRow]);

  const moveRow = useCallback(
    async (direction: MoveDirection) => {
      const ops = latest.current.rowOps;
      const f = focusedRow();
      if (!ops || !f) return;
      const want: { id: string; colId: string; done?: string } = { id: latest.current.rowId(f.node.data!), colId: f.colId };
      await enqueueWrite(() => {
        pendingFocus.current = want;
        const done = () => (want.done = direction === 'up' ? '上へ移動しました。' : '下へ移動しました。');
        return write((screen) => api['rows.move']({ ...ops.subject(f.node.data!), direction, screen }), done);
      });
    },
    [write, focusedRow],
  );

  // ── keyboard ──

  const startEditing = useCallback((rowIndex: number, colId: string, key?: string) => {
    const a = apiRef.current;
    if (!a) return;
    a.startEditingCell({ rowIndex, colKey: colId, ...(key ? { key } : {}) });
    // Put the caret in the editor while the IME's keystroke is still being handled, so the
    // composition goes there and not to the grid (the grid would drop it).
    for (const ed of a.getCellEditorInstances()) (ed as Partial<{ focusNow(): void }>).focusNow?.();
  }, []);

  const suppressKeyboardEvent = useCallback(
    (p: SuppressKeyboardEventParams<Row>): boolean => {
      const e = p.event;
      if (p.editing) return isComposing(e);
      if (e.type !== 'keydown') return false;
      const row = p.node.data;
      const col = byIdRef.current.get(p.column.getColId());
      const ctrl = e.ctrlKey || e.metaKey;
      if (isComposing(e)) {
        if (row && col?.cell?.(row) && p.node.rowIndex !== null) startEditing(p.node.rowIndex, p.column.getColId(), 'Process');
        return true;
      }
      if (ctrl && !e.altKey) {
        const k = e.key.toLowerCase();
        if (k === 'a') {
          e.preventDefault();
          p.api.selectAll();
          return true;
        }
        if (k === '+' || k === ';' || k === '=') {
          e.preventDefault();
          void insertRow(e.shiftKey && (latest.current.rowOps?.inserts.length ?? 0) > 1 ? 1 : 0);
          return true;
        }
        if (k === '-') {
          e.preventDefault();
          void deleteRow();
          return true;
        }
        // Copy, cut, paste, undo, find: the browser's clipboard events and the frame handle them.
        return ['c', 'x', 'v', 'z', 'y', 'f', 'h', 'pagedown', 'pageup'].includes(k);
      }
      if (e.altKey && e.shiftKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        e.preventDefault();
        void moveRow(e.key === 'ArrowUp' ? 'up' : 'down');
        return true;
      }
      if (e.key === ' ' && e.shiftKey) {
        e.preventDefault();
        p.node.setSelected(!p.node.isSelected());
        return true;
      }
      if (e.key === 'Escape') {
        p.api.deselectAll();
        return false;
      }
      if (!row || !col) return false;
      if (e.key === 'Delete' && !e.shiftKey && !e.altKey) {
        e.preventDefault();
        clearFocused();
        return true;
      }
      if (col.kind === 'bool' && (e.key === ' ' || e.key === 'Enter' || e.key === 'F2') && col.cell?.(row)) {
        e.preventDefault();
        toggleBool(row, col);
        return true;
      }
      return false;
    },
    [clearFocused, deleteRow, insertRow, moveRow, startEditing, toggleBool],
  );

  // ── clipboard ──

  const cellText = useCallback(
    (col: PlanColumn<Row>, node: IRowNode<Row>): string => (node.rowIndex !== null && continuesSpan(col, node.rowIndex) ? '' : col.text(node.data!)),
    [continuesSpan],
  );

  const onCopy = useCallback(
    (e: React.ClipboardEvent, cut: boolean) => {
      const a = apiRef.current;
      if (!a || isTextField(e.target) || a.getEditingCells().length > 0) return;
      const selected = a.getSelectedNodes().filter((n) => n.data && n.displayed).sort((x, y) => (x.rowIndex ?? 0) - (y.rowIndex ?? 0));
      const cols = a.getAllDisplayedColumns().map((c) => byIdRef.current.get(c.getColId())).filter((c): c is PlanColumn<Row> => !!c);
      let tsv: string;
      let what: string;
      if (selected.length > 0 && !cut) {
        tsv = toTsv(selected.map((n) => cols.map((c) => cellText(c, n))));
        what = `${selected.length}行`;
      } else {
        const f = focusedRow();
        const col = f && byIdRef.current.get(f.colId);
        if (!f || !col) return;
        tsv = toTsv([[col.text(f.node.data!)]]);
        what = 'セル';
      }
      e.preventDefault();
      e.clipboardData.setData('text/plain', tsv);
      if (cut) clearFocused();
      else latest.current.status.info(`${what}をコピーしました。`);
    },
    [cellText, clearFocused, focusedRow],
  );

  const onPaste = useCallback(
    (e: React.ClipboardEvent) => {
      const a = apiRef.current;
      if (!a || isTextField(e.target) || a.getEditingCells().length > 0) return;
      const text = e.clipboardData.getData('text/plain');
      const f = a.getFocusedCell();
      e.preventDefault();
      if (!f) {
        latest.current.status.error('貼り付け先のセルを選んでから貼り付けてください。');
        return;
      }
      if (text === '') return;
      const block = parseTsv(text);
      const cols = a.getAllDisplayedColumns();
      const startCol = cols.findIndex((c) => c.getColId() === f.column.getColId());
      // One value into several selected rows fills the focused column of each (as Excel does).
      const selected = a.getSelectedNodes().filter((n) => n.displayed && n.rowIndex !== null);
      const targets: { rowIndex: number; values: string[] }[] =
        block.length === 1 && block[0]!.length === 1 && selected.length > 1
          ? selected.map((n) => ({ rowIndex: n.rowIndex!, values: block[0]! }))
          : block.map((values, i) => ({ rowIndex: f.rowIndex + i, values }));
      const edits: GridEdit[] = [];
      const seen = new Set<string>();
      const problems: string[] = [];
      let readOnly = 0;
      let outside = 0;
      let shared = 0;
      for (const t of targets) {
        const node = a.getDisplayedRowAtIndex(t.rowIndex);
        t.values.forEach((value, j) => {
          const col = cols[startCol + j];
          const planCol = col && byIdRef.current.get(col.getColId());
          if (!node?.data || !planCol) {
            outside++;
            return;
          }
          const cell = planCol.cell?.(node.data);
          if (!cell) {
            readOnly++;
            return;
          }
          const key = JSON.stringify(cell.address);
          if (seen.has(key)) {
            shared++;
            return;
          }
          seen.add(key);
          const r = cellEdit(node.data, planCol, value);
          if (!r) return;
          if ('problem' in r) problems.push(`${t.rowIndex + 1}行目「${planCol.header}」: ${r.problem}`);
          else edits.push(r.edit);
        });
      }
      if (problems.length > 0) {
        latest.current.status.error(`貼り付けられません。${problems[0]}${problems.length > 1 ? `（ほか${problems.length - 1}件）` : ''} 何も保存していません。`);
        return;
      }
      const skipped = [
        readOnly ? `編集できないセル ${readOnly}件` : '',
        outside ? `表の外 ${outside}件` : '',
        shared ? `共有セルへの重複 ${shared}件` : '',
      ].filter(Boolean);
      const note = skipped.length ? ` ${skipped.join('・')}は飛ばしました。` : '';
      if (edits.length === 0) {
        latest.current.status.error(`貼り付けるセルがありません。${note}`);
        return;
      }
      void applyEdits(edits, `貼り付け（${edits.length}セル）`, `${edits.length}セルを貼り付けました。${note}`);
    },
    [applyEdits, cellEdit],
  );

  // ── find ──

  // Over the rows as the database gave them (the grid neither sorts nor filters), in the order the
  // columns are shown (pinned first); a shared cell counts once.
  const matches = useMemo((): Match[] => {
    const q = normalise(query.trim());
    if (!rows || q === '') return [];
    const shown = [...columns.filter((c) => c.pinned), ...columns.filter((c) => !c.pinned)];
    const out: Match[] = [];
    rows.forEach((row, rowIndex) => {
      for (const col of shown) {
        const key = col.spanKey?.(row) ?? null;
        if (key !== null && rowIndex > 0 && col.spanKey!(rows[rowIndex - 1]!) === key) continue;
        if (normalise(col.text(row)).includes(q)) out.push({ rowIndex, colId: col.id });
      }
    });
    return out;
  }, [query, rows, columns]);

  useEffect(() => {
    const hadMatches = matchKeys.current.size > 0;
    matchKeys.current = new Set(matches.map((m) => `${m.rowIndex}:${m.colId}`));
    const m = matches[current];
    currentKey.current = m ? `${m.rowIndex}:${m.colId}` : null;
    // Repaint the highlights only when there are (or were) some.
    if (hadMatches || matches.length > 0) apiRef.current?.refreshCells({ force: true });
  }, [matches, current]);

  const goToMatch = useCallback(
    (step: 1 | -1) => {
      if (matches.length === 0) return;
      // From the focused cell onwards, like a spreadsheet's find.
      const f = apiRef.current?.getFocusedCell();
      let next: number;
      if (current >= 0) next = (current + step + matches.length) % matches.length;
      else if (f) {
        const after = matches.findIndex((m) => m.rowIndex > f.rowIndex || (m.rowIndex === f.rowIndex && m.colId !== f.column.getColId()));
        next = step === 1 ? Math.max(0, after) : (after <= 0 ? matches.length : after) - 1;
      } else next = step === 1 ? 0 : matches.length - 1;
      setCurrent(next);
      const m = matches[next]!;
      const a = apiRef.current;
      if (a) {
        a.ensureIndexVisible(m.rowIndex, 'middle');
        a.ensureColumnVisible(m.colId);
      }
    },
    [current, matches],
  );

  const closeFind = useCallback(() => {
    setFindOpen(false);
    const m = matches[current];
    setQuery('');
    setCurrent(-1);
    if (m) focusCell(m.rowIndex, m.colId);
    else {
      const f = apiRef.current?.getFocusedCell();
      if (f) focusCell(f.rowIndex, f.column.getColId());
    }
  }, [current, focusCell, matches]);

  // ── history ──

  const loadHistory = useCallback(async () => {
    const f = focusedRow();
    const col = f && byIdRef.current.get(f.colId);
    const cell = f && col?.cell?.(f.node.data!);
    if (!f || !col || !cell) {
      setHistoryCell(f && col ? `${col.header}（履歴のない欄です）` : null);
      setHistoryEntries(null);
      return;
    }
    setHistoryCell(`${col.header}：${(col.text(f.node.data!) || '（空欄）').slice(0, 60)}`);
    try {
      setHistoryEntries(await api['history.cell']({ cell: cell.address }));
    } catch (e) {
      setHistoryEntries(null);
      latest.current.status.error(errorMessage(e));
    }
  }, [focusedRow]);

  const onCellFocused = useCallback(
    (_e: CellFocusedEvent<Row>) => {
      if (historyOpenRef.current) void loadHistory();
    },
    [loadHistory],
  );

  useEffect(() => {
    if (historyOpen) void loadHistory();
  }, [historyOpen, rows, loadHistory]);

  // Ctrl+F and Ctrl+Shift+H anywhere on the screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ctrl = e.ctrlKey || e.metaKey;
      if (ctrl && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        setFindOpen(true);
        setFindToken((t) => t + 1);
      } else if (ctrl && e.shiftKey && e.key.toLowerCase() === 'h') {
        e.preventDefault();
        setHistoryOpen((o) => !o);
      } else if (e.key === 'F3' && !isTextField(e.target)) {
        e.preventDefault();
        goToMatch(e.shiftKey ? -1 : 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [goToMatch]);

  // ── columns ──

  const columnDefs = useMemo((): (ColDef<Row> | ColGroupDef<Row>)[] => {
    const editorParams = (col: PlanColumn<Row>) => (p: { data: Row }) => {
      const base: PlanEditorParams = {
        planColumn: col as PlanColumn<unknown>,
        move,
        refused: (message) => latest.current.status.error(message),
      };
      if (col.kind !== 'enum' && col.kind !== 'units') return base;
      const list: ListEditorParams = {
        ...base,
        listOptions: col.options ?? [],
        multiple: col.kind === 'units',
        chosen: col.kind === 'units' ? col.text(p.data).split('\n').filter(Boolean).map((l) => col.options?.find((o) => o.label === l)?.value ?? l) : [col.editText?.(p.data) ?? ''],
      };
      return list;
    };
    const findClass = (col: PlanColumn<Row>) => ({
      'cell-find-match': (p: CellClassParams<Row>) => p.node.rowIndex !== null && matchKeys.current.has(`${p.node.rowIndex}:${col.id}`),
      'cell-find-current': (p: CellClassParams<Row>) => p.node.rowIndex !== null && currentKey.current === `${p.node.rowIndex}:${col.id}`,
    });
    const defs = columns.map((col): ColDef<Row> => {
      const editable = !!col.cell;
      return {
        colId: col.id,
        headerName: col.header,
        headerTooltip: col.headerTooltip ?? col.header,
        width: col.width,
        minWidth: col.minWidth ?? 60,
        flex: col.flex,
        pinned: col.pinned ? 'left' : undefined,
        valueGetter: (p) => (p.data ? col.text(p.data) : ''),
        editable: editable ? (p) => !!(p.data && col.cell?.(p.data)) : false,
        cellEditor: col.kind === 'enum' || col.kind === 'units' ? ListCellEditor : TextCellEditor,
        cellEditorPopup: true,
        cellEditorParams: editorParams(col),
        wrapText: !!col.wrap,
        autoHeight: !!col.wrap,
        spanRows: col.spanKey
          ? (p) => {
              if (!p.nodeA?.data || !p.nodeB?.data) return false;
              const a = col.spanKey!(p.nodeA.data);
              return a !== null && a === col.spanKey!(p.nodeB.data);
            }
          : undefined,
        cellRenderer: col.render ? (p: { data: Row }) => (p.data ? col.render!(p.data) : null) : undefined,
        cellClass: [col.wrap ? 'cell-multiline' : 'cell-single', col.numeric ? 'cell-number' : '', editable ? 'cell-editable' : 'cell-readonly', col.kind === 'bool' ? 'cell-bool' : ''].filter(Boolean),
        cellClassRules: findClass(col),
        headerClass: col.numeric ? 'header-number' : undefined,
        sortable: false,
        suppressMovable: true,
      };
    });
    // Adjacent columns of one group share a header above theirs.
    const out: (ColDef<Row> | ColGroupDef<Row>)[] = [];
    columns.forEach((col, i) => {
      const def = defs[i]!;
      const last = out.at(-1);
      if (col.group && last && 'children' in last && last.headerName === col.group) last.children.push(def);
      else if (col.group) out.push({ headerName: col.group, children: [def], headerClass: 'header-group' });
      else out.push(def);
    });
    return out;
  }, [columns, move]);

  const defaultColDef = useMemo<ColDef<Row>>(() => ({ suppressKeyboardEvent, wrapHeaderText: true, autoHeaderHeight: true, resizable: true }), [suppressKeyboardEvent]);

  const onGridReady = useCallback((e: GridReadyEvent<Row>) => {
    apiRef.current = e.api;
    // The web font arrives after the first layout: measure the rows again with it. Rows with
    // wrapping text (autoHeight) are measured by the grid itself whenever their content resizes.
    if (!latest.current.columns.some((c) => c.wrap))
      void document.fonts.ready.then(() => {
        if (!e.api.isDestroyed()) e.api.resetRowHeights();
      });
  }, []);

  // A row just added, moved or deleted gets the focus once the grid holds the new rows, after the
  // grid has restored the focus it had before (so a timeout after the data arrived). Then the
  // status says it is done, so nobody types into the old cell meanwhile.
  const applyPendingFocus = useCallback(() => {
    const a = apiRef.current;
    const want = pendingFocus.current;
    if (!a || !want) return;
    const node = want.id ? a.getRowNode(want.id) : undefined;
    if (want.id && (node?.rowIndex === null || node?.rowIndex === undefined)) return; // not in the grid yet
    pendingFocus.current = null;
    setTimeout(() => {
      if (a.isDestroyed()) return;
      const index = node ? node.rowIndex : Math.min(want.index ?? 0, a.getDisplayedRowCount() - 1);
      const colId = want.colId ?? a.getAllDisplayedColumns()[0]?.getColId();
      if (a.getEditingCells().length === 0 && index !== null && index >= 0 && colId) focusCell(index, colId);
      if (want.done) latest.current.status.info(want.done);
    }, 0);
  }, [focusCell]);
  useEffect(applyPendingFocus, [rows, applyPendingFocus]);

  // A screen opened from the keyboard (Ctrl+PageDown) takes the focus, so typing goes on at once.
  const onFirstDataRendered = useCallback(() => {
    const a = apiRef.current;
    const colId = latest.current.rowOps?.focusColumn ?? latest.current.columns.find((c) => c.cell)?.id;
    if (a && colId && a.getDisplayedRowCount() > 0 && (document.activeElement === document.body || document.activeElement === null)) focusCell(0, colId);
  }, [focusCell]);

  const hasOps = !!rowOps;
  return (
    <div className="plan-grid">
      <div className="grid-toolbar" role="toolbar" aria-label="表の操作">
        {toolbar}
        {hasOps && (
          <>
            {rowOps.inserts.map((ins, i) => (
              <button key={ins.kind} type="button" onClick={() => void insertRow(i)} title={`選んだ行の下に${ins.label}（${ins.shortcut ?? (i === 0 ? 'Ctrl++' : 'Ctrl+Shift++')}）`}>
                ＋ {ins.label}
              </button>
            ))}
            <button type="button" onClick={() => void deleteRow()} title={`選んだ${rowOps.noun}を削除（Ctrl+-）`}>
              − {rowOps.noun}を削除
            </button>
            <button type="button" onClick={() => void moveRow('up')} title="上へ移動（Alt+Shift+↑）" aria-label="上へ移動">
              ↑
            </button>
            <button type="button" onClick={() => void moveRow('down')} title="下へ移動（Alt+Shift+↓）" aria-label="下へ移動">
              ↓
            </button>
          </>
        )}
        <span className="spacer" />
        <button
          type="button"
          onClick={() => {
            setFindOpen(true);
            setFindToken((t) => t + 1);
          }}
          title="検索（Ctrl+F）"
        >
          検索
        </button>
        <button type="button" aria-pressed={historyOpen} onClick={() => setHistoryOpen((o) => !o)} title="選んだセルの変更履歴（Ctrl+Shift+H）">
          履歴
        </button>
      </div>
      {findOpen && (
        <FindBar
          query={query}
          onQuery={(q) => {
            setQuery(q);
            setCurrent(-1);
          }}
          count={matches.length}
          current={current}
          onNext={() => goToMatch(1)}
          onPrevious={() => goToMatch(-1)}
          onClose={closeFind}
          focusToken={findToken}
        />
      )}
      <div className={`grid-and-panel${historyOpen ? ' with-panel' : ''}`}>
        <div className="grid-host" data-testid={testId} onPaste={onPaste} onCopy={(e) => onCopy(e, false)} onCut={(e) => onCopy(e, true)}>
          {rows && (
            <AgGridReact<Row>
              theme={gridTheme}
              rowData={rows}
              columnDefs={columnDefs}
              defaultColDef={defaultColDef}
              getRowId={(p) => rowId(p.data)}
              readOnlyEdit
              onCellEditRequest={onCellEditRequest}
              onCellFocused={onCellFocused}
              onRowDataUpdated={applyPendingFocus}
              onFirstDataRendered={onFirstDataRendered}
              onGridReady={onGridReady}
              enableCellSpan
              rowSelection={{ mode: 'multiRow', checkboxes: false, headerCheckbox: false, enableClickSelection: false }}
              stopEditingWhenCellsLoseFocus
              enterNavigatesVerticallyAfterEdit
              suppressStartEditOnTab
              overlayNoRowsTemplate={`<span class="grid-empty">${emptyText ?? '行がありません。'}</span>`}
            />
          )}
        </div>
        {historyOpen && <HistoryPanel cellLabel={historyCell} entries={historyEntries} onClose={() => setHistoryOpen(false)} />}
      </div>
      <ConfirmDialog request={confirm} />
    </div>
  );
}
