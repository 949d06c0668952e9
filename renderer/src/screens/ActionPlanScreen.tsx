import { useMemo, useRef } from 'react';
import type { ActionRowView } from '../../../shared/domain/action-plan';
import { requiredText, unitListIn } from '../grid/parsers';
import { PlanGrid } from '../grid/PlanGrid';
import type { PlanColumn, RowOps } from '../grid/types';
import { unitOptions } from '../grid/unit-options';
import { useScreenRows } from '../grid/use-rows';
import type { ScreenProps } from './screen-props';

/** One grid row per theme; the cells a table row of the document shares are spanned across its themes. */
interface ThemeRow {
  id: string;
  rowId: string;
  page: number;
  pillarId: string | null;
  heading: string | null;
  text: string;
  termPlan: string;
  yearPlan: string | null;
  unitIds: string[];
}

const circled = (n: number) => '①②③④⑤⑥⑦⑧⑨⑩'[n - 1] ?? String(n);

/** The grid rows of one table row: its themes. */
function themeRows(r: ActionRowView): ThemeRow[] {
  return r.themes.map((t) => ({
    id: t.id,
    rowId: r.id,
    page: r.page,
    pillarId: t.pillarId,
    heading: r.heading,
    text: t.text,
    termPlan: r.termPlan,
    yearPlan: r.yearPlan,
    unitIds: r.unitIds,
  }));
}

/**
 * 中期計画: the action-plan table as printed — themes in document order, grouped by page and by
 * pillar/principle; a table row's goal, fiscal-year and 主な担当 cells span its themes. Each theme
 * is its own grid row, so it can be edited, found, added, deleted and moved on its own, while a
 * shared cell is one cell, edited once (the way the document reads).
 */
export function ActionPlanScreen(props: ScreenProps) {
  const { plan, fiscalYear, unitId, units, status } = props;
  const screen = useMemo(() => ({ name: 'actionRows' as const, fiscalYear, ...(unitId ? { unitId } : {}) }), [fiscalYear, unitId]);
  const { rows: tableRows, changed } = useScreenRows(screen, props);
  // A table row a write did not change keeps its grid rows (the same objects), so the grid redraws only the changed ones.
  const themeRowsOf = useRef(new WeakMap<ActionRowView, ThemeRow[]>());
  const rows = useMemo(
    () =>
      tableRows?.flatMap((r) => {
        let own = themeRowsOf.current.get(r);
        if (!own) themeRowsOf.current.set(r, (own = themeRows(r)));
        return own;
      }) ?? null,
    [tableRows],
  );

  const unitName = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const pillarName = useMemo(
    () => new Map(plan.pillars.map((p) => [p.id, `${p.kind === 'pillar' ? `柱${p.no}` : `指針${p.no}`} ${p.name}`])),
    [plan.pillars],
  );
  const ordinal = plan.fiscalYears.find((y) => y.fiscalYear === fiscalYear)?.ordinal ?? 0;
  const options = useMemo(() => unitOptions(units), [units]);

  const columns = useMemo(
    (): PlanColumn<ThemeRow>[] => [
      { id: 'page', header: '頁', width: 46, text: (r) => circled(r.page), spanKey: (r) => String(r.page) },
      {
        id: 'pillar',
        header: '活動の柱・指針',
        width: 112,
        wrap: true,
        text: (r) => (r.pillarId ? (pillarName.get(r.pillarId) ?? '') : ''),
        spanKey: (r) => `${r.page}/${r.pillarId ?? ''}`,
      },
      {
        id: 'heading',
        header: '見出し',
        width: 92,
        wrap: true,
        text: (r) => r.heading ?? '',
        spanKey: (r) => r.rowId,
        cell: (r) => ({ address: { entity: 'actionRow', id: r.rowId, field: 'heading' }, edit: (value) => ({ entity: 'actionRow', id: r.rowId, field: 'heading', value }) }),
      },
      {
        id: 'theme',
        header: '中期事業計画',
        width: 230,
        wrap: true,
        text: (r) => r.text,
        parse: requiredText(),
        cell: (r) => ({ address: { entity: 'theme', id: r.id, field: 'text' }, edit: (value) => ({ entity: 'theme', id: r.id, field: 'text', value }) }),
      },
      {
        id: 'termPlan',
        header: `${plan.endYear}年度末の到達目標・３年間のアクションプラン`,
        flex: 1,
        minWidth: 240,
        wrap: true,
        text: (r) => r.termPlan,
        spanKey: (r) => r.rowId,
        cell: (r) => ({ address: { entity: 'actionRow', id: r.rowId, field: 'termPlan' }, edit: (value) => ({ entity: 'actionRow', id: r.rowId, field: 'termPlan', value }) }),
      },
      {
        id: 'yearPlan',
        header: `${fiscalYear}年度（中期事業計画${ordinal}年目）事業活動計画`,
        flex: 1,
        minWidth: 240,
        wrap: true,
        text: (r) => r.yearPlan ?? '',
        spanKey: (r) => r.rowId,
        cell: (r) => ({
          address: { entity: 'actionRow', id: r.rowId, field: 'yearPlan', fiscalYear },
          edit: (value) => ({ entity: 'actionRow', id: r.rowId, field: 'yearPlan', fiscalYear, value }),
        }),
      },
      {
        id: 'units',
        header: '主な担当',
        width: 176,
        wrap: true,
        kind: 'units',
        options,
        parse: unitListIn(units),
        text: (r) => r.unitIds.map((id) => unitName.get(id) ?? '').join('\n'),
        spanKey: (r) => r.rowId,
        cell: (r) => ({ address: { entity: 'assignments', id: r.rowId }, edit: (value) => ({ entity: 'assignments', id: r.rowId, value }) }),
      },
    ],
    [plan.endYear, fiscalYear, ordinal, unitName, pillarName, options, units],
  );

  const rowOps = useMemo(
    (): RowOps<ThemeRow> => ({
      noun: 'テーマ',
      focusColumn: 'theme',
      subject: (r) => ({ kind: 'theme', id: r.id }),
      inserts: [
        { label: 'テーマを追加', kind: 'theme', afterId: (r) => r.id, shortcut: 'Ctrl++' },
        { label: '表の行を追加', kind: 'actionRow', afterId: (r) => r.id, shortcut: 'Ctrl+Shift++' },
      ],
    }),
    [],
  );

  return (
    <PlanGrid<ThemeRow>
      testId="action-plan-grid"
      rows={rows}
      columns={columns}
      rowId={(r) => r.id}
      status={status}
      screen={screen}
      changed={changed}
      rowOps={rowOps}
      emptyText={unitId ? 'この組織が担当するテーマはありません。' : 'テーマがありません。'}
    />
  );
}
