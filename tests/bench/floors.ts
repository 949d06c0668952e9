/**
 * The floors of `npm run bench`: the same work as the app's, on the same engine, without the app's
 * overhead (no Kysely, no handler, no rules): raw SQL on the engine's own driver (better-sqlite3 or
 * one pg client), and exceljs writing the same styled cells as the app's workbook. Each app figure
 * is printed beside its floor measured in the same run, so the ratio is what the app adds.
 */
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { EXCEL_FONT } from '../../electron/export/xlsx-writer';
import { excelColumnWidth } from '../../electron/export/excel-metrics';
import type { LayoutCell, LayoutDocument } from '../../shared/layout/model';

/** A connection to the plan on its engine's own driver; SQL is written with `?` placeholders. */
export interface RawDb {
  all(text: string, params?: unknown[]): Promise<unknown[]>;
  /** Runs `fn` in one transaction: 'write' as the app's (SQLite begin immediate, PostgreSQL serializable), 'read' as its snapshots. */
  transaction<T>(kind: 'read' | 'write', fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function rawSqlite(path: string): RawDb {
  const db = new Database(path, { timeout: 2000 });
  // As the app's connection (electron/db/open.ts): an acknowledged edit is on the disk.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const cache = new Map<string, Database.Statement>();
  const statement = (text: string) => cache.get(text) ?? cache.set(text, db.prepare(text)).get(text)!;
  return {
    all: async (text, params = []) => {
      const s = statement(text);
      return s.reader ? s.all(...params) : [s.run(...params)];
    },
    async transaction(kind, fn) {
      db.exec(kind === 'read' ? 'begin' : 'begin immediate');
      try {
        const value = await fn();
        db.exec('commit');
        return value;
      } catch (e) {
        db.exec('rollback');
        throw e;
      }
    },
    close: async () => void db.close(),
  };
}

export async function rawPostgres(url: string): Promise<RawDb> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const numbered = new Map<string, string>();
  const toPg = (text: string) => numbered.get(text) ?? numbered.set(text, text.split('?').reduce((a, part, i) => (i === 0 ? part : `${a}$${i}${part}`))).get(text)!;
  return {
    all: async (text, params = []) => (await client.query(toPg(text), params)).rows,
    async transaction(kind, fn) {
      await client.query(kind === 'read' ? 'begin isolation level repeatable read read only' : 'begin isolation level serializable');
      try {
        const value = await fn();
        await client.query('commit');
        return value;
      } catch (e) {
        await client.query('rollback');
        throw e;
      }
    },
    close: () => client.end(),
  };
}

/**
 * The rollup's reads as the app makes them (electron/model/queries/rollup-queries.ts): the same
 * seven queries, joins and orders, in one read transaction. Returns the row count of each, so the
 * bench can check it read what the app reads.
 */
export const rollupFloorQueries = [
  'select "id", "start_year", "end_year" from "plan"',
  `select t."id", t."key", t."label", t."unit", t."kind", t."direction", t."baseline_value", t."baseline_year", t."term_goal_value", t."note",
      t."theme_id", t."row_id", t."unit_id", th."text" as "theme_text",
      coalesce(th."pillar_id",
        (select case when count(distinct x."pillar_id") = 1 and count(*) = count(x."pillar_id") then max(x."pillar_id") end from "theme" x where x."row_id" = t."row_id"),
        r."band_pillar_id") as "pillar_id"
    from "target" as t
    left join "theme" as th on th."id" = t."theme_id"
    left join "action_row" as r on r."id" = t."row_id"
    left join "unit" as bu on bu."id" = t."unit_id"
    order by t."row_id" is null, r."page", r."position", bu."position" asc nulls first, t."position"`,
  'select "target_id", "fiscal_year", "plan_value", "actual_value" from "target_value" order by "fiscal_year"',
  'select "row_id", "unit_id" from "assignment" order by "position", "id"',
  'select "id", "pillar_id", "row_id" from "theme" order by "id"',
  'select "id", "name", "kind", "position" from "unit" order by "position"',
  'select "id", "kind", "no", "name", "position" from "pillar" where "plan_id" = ? order by "position"',
];

export function rollupFloor(raw: RawDb): Promise<number[]> {
  return raw.transaction('read', async () => {
    const plan = (await raw.all(rollupFloorQueries[0]!)) as { id: string }[];
    const counts = [plan.length];
    for (const q of rollupFloorQueries.slice(1, -1)) counts.push((await raw.all(q)).length);
    counts.push((await raw.all(rollupFloorQueries.at(-1)!, [plan[0]!.id])).length);
    return counts;
  });
}

/**
 * A typed cell's write as the change log records it (electron/db/change-writer.ts): the change set,
 * the old value read, the UPDATE, and the change row, in one write transaction.
 */
export function editFloor(raw: RawDb, rowId: string, value: string): Promise<void> {
  return raw.transaction('write', async () => {
    const [set] = (await raw.all('insert into "change_set" ("at", "user", "label", "source", "reverts_id") values (?, ?, ?, null, null) returning "id"', [
      new Date().toISOString(),
      'bench',
      'セルの編集',
    ])) as { id: number }[];
    const [old] = (await raw.all('select * from "action_row" where "id" = ?', [rowId])) as { term_plan: string | null }[];
    await raw.all('update "action_row" set "term_plan" = ? where "id" = ?', [value, rowId]);
    await raw.all('insert into "change" ("set_id", "table_name", "row_id", "op", "column_name", "old_value", "new_value") values (?, ?, ?, ?, ?, ?, ?)', [
      set!.id,
      'action_row',
      rowId,
      'update',
      'term_plan',
      JSON.stringify(old!.term_plan),
      JSON.stringify(value),
    ]);
  });
}

const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF333333' } };

/**
 * The Excel floor: exceljs writing the laid-out document's cells with the styles the app's workbook
 * gives them (electron/export/xlsx-writer.ts: the font, wrapped alignment, borders and fill of every
 * cell of a merged range, the merges, column widths, row heights, frozen header), without the
 * app's reading, layout, re-measuring of rows and page breaks.
 */
export async function styledExcelFloor(doc: LayoutDocument): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const sheet of doc.sheets) {
    const ws = wb.addWorksheet(sheet.name.slice(0, 31) || 'Sheet', { views: [{ state: 'frozen', ySplit: sheet.header.length, xSplit: 0 }] });
    ws.columns = sheet.columnsMm.map((mm) => ({ width: excelColumnWidth(mm) }));
    let r = 1;
    for (const row of [...sheet.header, ...sheet.body.flatMap((g) => g.rows), ...sheet.footer]) {
      ws.getRow(r).height = Math.max(1, Math.min(409, row.heightPt));
      for (const c of row.cells) {
        const [top, left, bottom, right] = [r, c.col + 1, r + c.rowSpan - 1, c.col + c.colSpan];
        if (bottom > top || right > left) ws.mergeCells(top, left, bottom, right);
        ws.getCell(top, left).value = c.excelNumber ? c.excelNumber.value : textOf(c);
        for (let y = top; y <= bottom; y++) for (let x = left; x <= right; x++) style(ws.getCell(y, x), c, sheet.fontSizePt);
      }
      r++;
    }
  }
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

const textOf = (c: LayoutCell) => c.paragraphs.map((p) => p.map((run) => run.text).join('')).join('\n');

function style(target: ExcelJS.Cell, c: LayoutCell, base: number): void {
  target.font = { name: EXCEL_FONT, size: Math.round(base * c.scale * 2) / 2, bold: c.bold, charset: 128 };
  target.alignment = { wrapText: true, horizontal: c.align, vertical: c.valign === 'middle' ? 'middle' : c.valign };
  if (c.border) target.border = { top: thin, left: thin, bottom: thin, right: thin };
  if (c.fill) target.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${c.fill.slice(1).toUpperCase()}` } };
}
