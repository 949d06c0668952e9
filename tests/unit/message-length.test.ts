import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { excerpt, MESSAGE_MAX_CHARS } from '../../shared/text/excerpt';
import { parseNumberFor, parseQuantity } from '../../shared/numbers/parse';
import { createHandler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { seededDatabase } from '../helpers/seeded-db';
import { countRows } from '../helpers/plan-sql';
import { patchXlsx } from '../helpers/xlsx-patch';

/**
 * Messages a user sees are short: over-long input once made messages of 2 MB and 12 MB (an alert of
 * six million characters). Whatever the input, a message is at most 500 characters and quotes user
 * data only as a short excerpt.
 */

/** Odd and huge text: long digit runs, number-like words, control and bidi characters, emoji, lone surrogates. */
const oddText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.tuple(fc.constantFrom('1', '９', '万', ',', '.', '▲', '%', '\u202e', '\u0000', '\n', '😀', '\ud800', '億円', 'x'), fc.integer({ min: 1, max: 300_000 })).map(([s, n]) => s.repeat(n)),
  fc.tuple(fc.string({ maxLength: 20 }), fc.integer({ min: 1_000, max: 200_000 }), fc.string({ maxLength: 20 })).map(([a, n, b]) => `${a}${'8'.repeat(n)}${b}`),
);
/** The inputs of the incident reports: a 2 MB and a 12 MB number. */
const hugeNumbers = ['1'.repeat(2_000_000), `${'9'.repeat(6_000_000)}.${'9'.repeat(6_000_000)}`, `延${'1,000'.repeat(400_000)}名以上`];

const short = (m: string) => m.length <= MESSAGE_MAX_CHARS;

describe('excerpt() and the message cap', () => {
  it('quotes a short value as it is and a long one as its start with an ellipsis, on one line, without splitting a character', () => {
    expect(excerpt('二万くらい')).toBe('二万くらい');
    expect(excerpt('a'.repeat(41))).toBe(`${'a'.repeat(39)}…`);
    expect(excerpt('a'.repeat(40))).toBe('a'.repeat(40));
    expect(excerpt('一行目\n二行目\t\u0007')).toBe('一行目 二行目  ');
    expect(excerpt('\u202eevil\u202c')).toBe('evil');
    expect(excerpt('😀'.repeat(50), 10)).toBe(`${'😀'.repeat(9)}…`);
    expect(excerpt(12345)).toBe('12345');
    expect(excerpt(null)).toBe('null');
    expect(excerpt(Object.create(null))).toBe('?');
    for (const huge of hugeNumbers) expect(excerpt(huge).length).toBeLessThanOrEqual(40);
    fc.assert(
      fc.property(oddText, fc.integer({ min: 1, max: 200 }), (s, max) => {
        const e = excerpt(s, max);
        expect(Array.from(e).length).toBeLessThanOrEqual(max);
        // eslint-disable-next-line no-control-regex -- the characters an excerpt must not carry
        expect(e).not.toMatch(/[\n\r\u0000-\u001f]/);
        // Never half of a surrogate pair that was whole in the input.
        if (!/[\ud800-\udfff]/.test(s)) expect(e).not.toMatch(/[\ud800-\udfff]/);
      }),
      { numRuns: 300 },
    );
  });

  it('AppError keeps every message at most 500 characters (and the English log and where bounded too)', () => {
    const e = new AppError('invalid_value', `「${'x'.repeat(6_000_000)}」は数値として読めません。`, 'y'.repeat(12_000_000), 'z'.repeat(1_000_000));
    expect(e.messageJa.length).toBeLessThanOrEqual(MESSAGE_MAX_CHARS);
    expect(e.messageJa.endsWith('…')).toBe(true);
    expect(e.message.length).toBeLessThanOrEqual(2000);
    expect(e.where!.length).toBeLessThanOrEqual(200);
    expect(JSON.stringify(e.toShape()).length).toBeLessThan(3000);
    expect(new AppError('bad_file', '短いメッセージ。', 'short').messageJa).toBe('短いメッセージ。');
  });
});

describe('messages from huge and odd input stay short', () => {
  it('the number parser', () => {
    for (const s of hugeNumbers) {
      const r = parseQuantity(s);
      if (!r.ok) expect(r.message.length).toBeLessThanOrEqual(MESSAGE_MAX_CHARS);
      const n = parseNumberFor(s, '件');
      if (!n.ok) expect(short(n.message)).toBe(true);
    }
    fc.assert(
      fc.property(oddText, fc.constantFrom('', '件', '円', '%', '億円'), (s, unit) => {
        const r = parseQuantity(s);
        if (!r.ok) expect(r.message.length).toBeLessThanOrEqual(MESSAGE_MAX_CHARS);
        const n = parseNumberFor(s, unit);
        if (!n.ok) expect(n.message.length).toBeLessThanOrEqual(MESSAGE_MAX_CHARS);
      }),
      { numRuns: 300 },
    );
  });

  describe('through the contract handler, on a real plan database', () => {
    let env: Awaited<ReturnType<typeof seededDatabase>>;
    let ws: Workspace;
    let handle: ReturnType<typeof createHandler>;
    const ids: Record<string, string> = {};
    const changes = () => countRows(ws.current.db, 'change');

    beforeAll(async () => {
      env = await seededDatabase();
      ws = new Workspace('test', join(env.dir, 'userdata'));
      await ws.use(env.db);
      handle = createHandler(ws, 'http', () => {});
      const q = ws.current.db.q;
      ids.target = (await q.selectFrom('target').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
      ids.actionRow = (await q.selectFrom('action_row').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
      ids.theme = (await q.selectFrom('theme').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
      ids.unit = (await q.selectFrom('unit').select('id').where('name', '=', '国際部').executeTakeFirstOrThrow()).id;
    });
    afterAll(async () => {
      await ws.close();
      await env.cleanup();
    });

    /** A refused edit: a short message, a short wire detail, and not a byte changed. */
    async function expectShortOrSaved(edit: Record<string, unknown>): Promise<void> {
      const before = await changes();
      const outcome = await handle('edits.apply', { label: 'プロパティ', edits: [edit] });
      if (outcome.ok) return;
      expect(outcome.error.message.length, JSON.stringify(edit).slice(0, 200)).toBeLessThanOrEqual(MESSAGE_MAX_CHARS);
      expect(outcome.error.logMessage.length).toBeLessThanOrEqual(200);
      expect(await changes()).toBe(before);
    }

    const cellEdit = fc.oneof(
      fc.record({ entity: fc.constant('target'), field: fc.constantFrom('termGoalValue', 'baselineValue', 'planValue', 'actualValue', 'baselineYear', 'kind', 'direction', 'label', 'unit') }),
      fc.record({ entity: fc.constant('actionRow'), field: fc.constantFrom('yearPlan', 'heading', 'termPlan', 'noSuchField') }),
      fc.record({ entity: fc.constant('theme'), field: fc.constant('text') }),
    );

    it('the cell edit service (numbers, years, choices, texts, unit lists and names)', async () => {
      for (const value of hugeNumbers.map((s) => s.slice(0, 1_000_000))) await expectShortOrSaved({ entity: 'target', id: ids.target, field: 'termGoalValue', value });
      await fc.assert(
        fc.asyncProperty(cellEdit, oddText, async (c, raw) => {
          const value = raw.slice(0, 1_000_000);
          const perYear = c.field === 'planValue' || c.field === 'actualValue' || c.field === 'yearPlan';
          await expectShortOrSaved({ ...c, id: ids[c.entity], value, ...(perYear ? { fiscalYear: 2021 } : {}) });
        }),
        { numRuns: 120 },
      );
      await fc.assert(
        fc.asyncProperty(oddText, async (raw) => {
          await expectShortOrSaved({ entity: 'assignments', id: ids.actionRow, value: raw.slice(0, 100_000) });
          await expectShortOrSaved({ entity: 'unitName', id: ids.unit, value: raw.slice(0, 200) });
        }),
        { numRuns: 60 },
      );
    }, 240_000);

    it('the import readers (a returned fill-in workbook with huge and odd cells, sheet names, and random bytes)', async () => {
      const unitId = ids.unit;
      const made = await handle('import.handoutWorkbook', { unitId, fiscalYear: 2021 });
      expect(made.ok).toBe(true);
      const bytes = Buffer.from((made as { ok: true; value: { base64: string } }).value.base64, 'base64');
      const analyze = async (fileName: string, file: Buffer) => {
        const outcome = await handle('import.analyze', { source: { kind: 'upload', fileName, base64: file.toString('base64') } });
        if (!outcome.ok) {
          expect(outcome.error.message.length, outcome.error.message.slice(0, 100)).toBeLessThanOrEqual(MESSAGE_MAX_CHARS);
          expect(outcome.error.logMessage.length).toBeLessThanOrEqual(200);
          expect(outcome.error.logMessage).not.toMatch(/\n\s+at /);
        } else await handle('import.discard', { reviewId: (outcome.value as { review: { reviewId: string } }).review.reviewId });
      };
      await analyze('記入用.xlsx', patchXlsx(bytes, [{ sheet: '目標・実績', cells: { H5: hugeNumbers[0]!, I5: hugeNumbers[2]!.slice(0, 1_000_000), C5: 'x'.repeat(2_000_000) } }]));
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('目標・実績', 'アクションプラン', '_meta'),
          fc.constantFrom('A5', 'B5', 'C5', 'D5', 'E5', 'H5', 'I5', 'A1', 'B2', 'C2'),
          oddText,
          async (sheet, cell, raw) => {
            await analyze('記入用.xlsx', patchXlsx(bytes, [{ sheet, cells: { [cell]: raw.slice(0, 500_000) } }]));
          },
        ),
        { numRuns: 30 },
      );
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.constantFrom('x.xlsx', 'x.plandb', `${'長'.repeat(80)}.xlsx`), async (garbage, name) => {
          await analyze(name, Buffer.from(garbage));
        }),
        { numRuns: 30 },
      );
    }, 300_000);
  });
});
