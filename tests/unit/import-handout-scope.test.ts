import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandoutMeta, HandoutSheetKind } from '../../electron/import/handout-format';
import { sheetNames } from '../../electron/import/handout-format';
import { analyzeImport } from '../../electron/import/import-session';
import { engines, type PlanUnderTest, seededPlan, unchangedCheck } from '../helpers/engines';
import { handoutOf, loadBook, refusal, unitIdOf } from '../helpers/import-guard';
import { type CellContent, patchXlsx } from '../helpers/xlsx-patch';

/**
 * A returned fill-in workbook may only touch what was handed out: its unit's rows and their
 * children, the ids its `_meta` recorded. Real hand-outs of several units (a department, a
 * committee, a branch, a department with many rows) are tampered with systematically — every id
 * cell of column A swapped for ids of other units and of other tables, ids added to, removed from
 * and repeated in `_meta`, the file relabelled as another unit — and each must be refused with
 * the sheet and row, leaving the plan untouched (a plan file byte-identical).
 */

describe.each(engines)('%s', (engine) => {
  const UNITS = ['国際部', '組織委員会', '千代田支部', '中小企業部'];
  const KINDS: HandoutSheetKind[] = ['actionRows', 'targets', 'focus'];

  let env: PlanUnderTest;
  let unchanged: () => Promise<void>;
  /** A theme's id and the plan's id: ids of other tables, to put where a row's id belongs. */
  let anyTheme: string;
  let planId: string;
  const handouts = new Map<string, { bytes: Buffer; meta: HandoutMeta; metaRow: Map<string, number>; lastMetaRow: number }>();

  beforeAll(async () => {
    env = await seededPlan(engine);
    for (const unit of UNITS) {
      const { bytes, meta } = await handoutOf(env.db, unit);
      const ws = (await loadBook(bytes)).getWorksheet('_meta')!;
      const metaRow = new Map<string, number>();
      ws.eachRow((row, n) => {
        if (row.getCell(1).value !== 'id') metaRow.set(String(row.getCell(1).value), n);
      });
      handouts.set(unit, { bytes, meta, metaRow, lastMetaRow: ws.rowCount });
    }
    anyTheme = (await env.db.q.selectFrom('theme').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
    planId = (await env.db.q.selectFrom('plan').select('id').executeTakeFirstOrThrow()).id;
    unchanged = await unchangedCheck(env);
  });
  afterAll(async () => {
    await env.cleanup();
  });

  interface Case {
    label: string;
    bytes: Buffer;
    /** What the message must name. */
    names: string[];
  }

  /** Ids of other tables to put where a row's id belongs. */
  function otherTables(kind: HandoutSheetKind, own: HandoutMeta): string[] {
    const theme = anyTheme;
    const plan = planId;
    const unit = own.unitId;
    if (kind === 'actionRows') return [...own.ids.targets.slice(0, 2), theme, plan, unit];
    if (kind === 'targets') return [...own.ids.actionRows.slice(0, 2), theme, unit];
    return [...own.ids.actionRows.slice(0, 1), ...own.ids.targets.slice(0, 1), plan];
  }

  /** Every tampering of every hand-out. */
  function cases(): Case[] {
    const out: Case[] = [];
    for (const unit of UNITS) {
      const h = handouts.get(unit)!;
      const others = UNITS.filter((u) => u !== unit).map((u) => handouts.get(u)!.meta);
      for (const kind of KINDS) {
        const ids = h.meta.ids[kind];
        if (ids.length === 0) continue;
        const sheet = sheetNames[kind];
        // Another unit's rows of the same table (not handed out in this file), then rows of other tables.
        const mine = new Set(ids);
        const foreign = [...new Set(others.flatMap((m) => m.ids[kind]).filter((id) => !mine.has(id)))];
        const swaps = [...foreign.slice(0, 6), ...otherTables(kind, h.meta)];
        ids.forEach((_, i) => {
          const row = 5 + i;
          for (let j = 0; j < 2; j++) {
            const id = swaps[(i * 3 + j) % swaps.length]!;
            out.push({ label: `${unit} ${sheet}!A${row} := ${id}`, bytes: patchXlsx(h.bytes, [{ sheet, cells: { [`A${row}`]: id } }]), names: [sheet, `A${row}`] });
          }
        });
        // Two rows with the same id.
        if (ids.length > 1) out.push({ label: `${unit} ${sheet}: duplicate id`, bytes: patchXlsx(h.bytes, [{ sheet, cells: { A6: ids[0]! } }]), names: [sheet, 'A6'] });
        // _meta: an id added that this file did not hand out (another unit's, or of another table), one removed, one repeated.
        const add = (id: string, k: HandoutSheetKind = kind): Record<string, CellContent> => {
          const r = h.lastMetaRow + 1;
          return { [`A${r}`]: 'id', [`B${r}`]: k, [`C${r}`]: id };
        };
        for (const id of [foreign[0], ...otherTables(kind, h.meta).slice(0, 2)].filter((x): x is string => !!x))
          out.push({ label: `${unit} _meta + ${kind} ${id}`, bytes: patchXlsx(h.bytes, [{ sheet: '_meta', cells: add(id) }]), names: ['_meta', `C${h.lastMetaRow + 1}`] });
        out.push({ label: `${unit} _meta repeats ${kind}`, bytes: patchXlsx(h.bytes, [{ sheet: '_meta', cells: add(ids[0]!) }]), names: ['_meta', `C${h.lastMetaRow + 1}`] });
        const firstIdRow = h.lastMetaRow - (h.meta.ids.actionRows.length + h.meta.ids.targets.length + h.meta.ids.focus.length) + 1;
        const offset = KINDS.slice(0, KINDS.indexOf(kind)).reduce((n, k) => n + h.meta.ids[k].length, 0);
        out.push({ label: `${unit} _meta - ${kind}`, bytes: patchXlsx(h.bytes, [{ sheet: '_meta', removeRows: [firstIdRow + offset] }]), names: ['_meta'] });
      }
      // Relabelled as another unit: its id, its name, or both.
      for (const other of others.slice(0, 2)) {
        const idRow = h.metaRow.get('unitId')!;
        const nameRow = h.metaRow.get('unitName')!;
        out.push({ label: `${unit} as ${other.unitName} (id)`, bytes: patchXlsx(h.bytes, [{ sheet: '_meta', cells: { [`B${idRow}`]: other.unitId } }]), names: ['_meta'] });
        out.push({ label: `${unit} as ${other.unitName} (name)`, bytes: patchXlsx(h.bytes, [{ sheet: '_meta', cells: { [`B${nameRow}`]: other.unitName } }]), names: ['_meta'] });
        out.push({
          label: `${unit} as ${other.unitName} (id and name)`,
          bytes: patchXlsx(h.bytes, [{ sheet: '_meta', cells: { [`B${idRow}`]: other.unitId, [`B${nameRow}`]: other.unitName } }]),
          names: ['_meta'],
        });
      }
    }
    return out;
  }

  describe('a returned workbook touches only what was handed out', () => {
    it('comes back untouched from every unit without a change (the cases below start from these files)', async () => {
      for (const unit of UNITS) {
        const { review } = await analyzeImport(env.db, env.location, { name: `${unit}.xlsx`, bytes: handouts.get(unit)!.bytes });
        expect(review.items, unit).toEqual([]);
      }
    });

    it('refuses every swapped id, every tampered _meta and every relabelled file, naming the sheet and row; the plan is untouched (a file byte-identical)', async () => {
      const all = cases();
      expect(all.length).toBeGreaterThan(100);
      for (const c of all) {
        const e = await refusal(env.db, env.location, 'tampered.xlsx', c.bytes, c.label);
        expect(e.code, c.label).toBe('bad_file');
        for (const n of c.names) expect(e.messageJa, c.label).toContain(n);
        expect(e.messageJa.length, c.label).toBeLessThanOrEqual(500);
        await unchanged();
      }
    }, 600_000);

    it('says why: an id of another unit is not this file’s, an id of no row is unknown', async () => {
      const h = handouts.get('国際部')!;
      const other = handouts.get('中小企業部')!.meta.ids.targets[0]!;
      const swapped = await refusal(env.db, env.location, 'x.xlsx', patchXlsx(h.bytes, [{ sheet: '目標・実績', cells: { A5: other } }]), 'swap');
      expect(swapped.messageJa).toContain('シート「目標・実績」のセル A5（行の ID（非表示の A 列））: この行の ID は、このブックで「国際部」に配られた行のものではありません');
      const relabelAs = await unitIdOf(env.db, '中小企業部');
      const relabelled = await refusal(env.db, env.location, 'x.xlsx', patchXlsx(h.bytes, [{ sheet: '_meta', cells: { [`B${h.metaRow.get('unitId')!}`]: relabelAs } }]), 'relabel');
      expect(relabelled.messageJa).toMatch(/管理情報.*組織「国際部」が、記入用ブックを作った時点の計画と合いません/);
      await unchanged();
    });
  });
});
