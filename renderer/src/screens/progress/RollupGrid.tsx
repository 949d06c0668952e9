import { useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import { themeQuartz, type ColDef, type ColGroupDef, type ICellRendererParams } from 'ag-grid-community';
import { formatCell, type RollupColumn, type RollupTable, type RollupTableRow } from '../../../../shared/rollup/table';

const gridTheme = themeQuartz.withParams({ fontFamily: 'var(--font-ja)', fontSize: 13, headerFontWeight: 700, wrapperBorderRadius: 0, headerHeight: 32, rowHeight: 32 });

function Badge(p: ICellRendererParams<RollupTableRow> & { column: RollupColumn }) {
  const row = p.data;
  if (!row) return null;
  const code = row.badges[p.colDef?.colId ?? ''];
  const text = formatCell(p.column, row);
  if (!code || !text) return null;
  return <span className={`badge badge-${code}`}>{text}</span>;
}

/** Column definitions from the table's own columns: the screen and the exports show the same headers. */
function columnDefsOf(table: RollupTable, pinnedKey: string, pinBadges: boolean): (ColDef<RollupTableRow> | ColGroupDef<RollupTableRow>)[] {
  const leafOf = (c: RollupColumn): ColDef<RollupTableRow> => {
    const numeric = c.type === 'number' || c.type === 'signed' || c.type === 'percent' || c.type === 'count';
    return {
      colId: c.key,
      headerName: c.header,
      width: widthOf(c),
      // The verdicts stay in view at the right edge while the years scroll between.
      pinned: c.key === pinnedKey ? 'left' : (c.type === 'badge' || c.type === 'signed') && pinBadges ? 'right' : undefined,
      valueGetter: (p) => p.data?.cells[c.key] ?? null,
      valueFormatter: (p) => (p.data ? formatCell(c, p.data) : ''),
      comparator: (a: unknown, b: unknown) => compareCells(a, b),
      sortable: true,
      wrapHeaderText: true,
      autoHeaderHeight: true,
      // The type's own cellClass would be replaced by ours: name the right-aligned class here too.
      ...(numeric ? { type: 'rightAligned', cellClass: ['ag-right-aligned-cell', 'num'] } : {}),
      ...(c.type === 'badge' ? { cellRenderer: Badge, cellRendererParams: { column: c } } : {}),
      tooltip: (p) => {
        const note = p.data?.notes(c.key);
        if (note) return note;
        return c.type === 'text' && typeof p.value === 'string' && p.value.length > c.width ? p.value : undefined;
      },
      cellClassRules: {
        // A gap is a miss only when the plans are complete and fall short; before that it is what is left to plan.
        miss: (p) => c.type === 'signed' && p.data?.badges.planState === 'misses',
        zero: (p) => c.type === 'count' && p.value === 0,
        missing: (p) => numeric && (p.value === null || p.value === undefined),
      },
    };
  };
  const defs: (ColDef<RollupTableRow> | ColGroupDef<RollupTableRow>)[] = [];
  for (const c of table.columns) {
    const last = defs.at(-1);
    if (c.group && last && 'children' in last && last.headerName === c.group) last.children.push(leafOf(c));
    else if (c.group) defs.push({ headerName: c.group, marryChildren: true, headerClass: 'group-header', children: [leafOf(c)] });
    else defs.push(leafOf(c));
  }
  return defs;
}

/** Pixels for a column: Japanese text is about 13 px a character, figures about 8; room for the header too. */
function widthOf(c: RollupColumn): number {
  const header = Math.min(150, c.header.length * 13 + 34);
  if (c.type === 'text') return Math.min(300, Math.max(56, c.width * 12, header));
  if (c.type === 'badge') return Math.max(96, c.width * 11, header);
  if (c.type === 'signed') return Math.max(108, Math.round(c.width * 10), header);
  return Math.max(72, Math.round(c.width * 8.5), header);
}

/** Missing values sort last, numbers by value, text by Japanese collation. */
function compareCells(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'ja');
}

export interface RollupGridProps {
  table: RollupTable;
  testId: string;
  selectedId?: string | null;
  onSelect?(id: string): void;
}

/** A rollup table (shared/rollup/table.ts) in AG Grid: read-only, sortable, missing values as —. */
export function RollupGrid({ table, testId, selectedId, onSelect }: RollupGridProps) {
  const pinnedKey = table.columns[0]?.key ?? '';
  const pinBadges = table.columns.some((c) => c.type === 'badge');
  const columnDefs = useMemo(() => columnDefsOf(table, pinnedKey, pinBadges), [table, pinnedKey, pinBadges]);
  return (
    <div className="grid-host" data-testid={testId}>
      <AgGridReact<RollupTableRow>
        theme={gridTheme}
        rowData={table.rows}
        columnDefs={columnDefs}
        getRowId={(p) => p.data.id}
        rowClassRules={{ 'row-selected': (p) => p.data?.id === selectedId }}
        onRowClicked={(e) => e.data && onSelect?.(e.data.id)}
        tooltipShowDelay={400}
        suppressCellFocus={false}
        enableCellTextSelection
        suppressColumnVirtualisation
        ensureDomOrder
      />
    </div>
  );
}
