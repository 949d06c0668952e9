import fc from 'fast-check';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import type { GridEdit } from '../../shared/domain/editing';
import { editableFields } from '../../shared/domain/editable-fields';
import { unwantedCharacter } from '../../shared/model/field-rules';
import { parseChoice, targetKindChoices } from '../../shared/model/input/choice';
import { fiscalYearMessage, fiscalYearOfHeading, parseFiscalYear } from '../../shared/model/input/fiscal-year';
import { parseNumberInput } from '../../shared/model/input/number';
import { inputKindOf, parseCellInput, parseInput } from '../../shared/model/input/parse-field';
import { parseRequiredText, parseText, requiredMessage } from '../../shared/model/input/text';
import { resolveUnitList, resolveUnitName, splitUnitList, type UnitName } from '../../shared/model/input/unit-names';
import { parseYesNo } from '../../shared/model/input/yes-no';
import { parseNumberFor } from '../../shared/numbers/parse';
import { choiceOf, fiscalYearInput, numberIn, requiredText, unitListIn, yesNoInput } from '../../renderer/src/grid/parsers';
import type { ParseOutcome } from '../../renderer/src/grid/types';
import { optionMatches } from '../../renderer/src/grid/ListCellEditor';
import { unitOptions } from '../../renderer/src/grid/unit-options';
import { applyGridEdits, unitNamesOf } from '../../electron/model/editing/apply-edits';
import type { PlanDb } from '../../electron/db/plan-db';
import { firstOf, rowsOf } from '../helpers/plan-sql';
import { seededDatabase } from '../helpers/seeded-db';

const ok = <T>(value: T) => ({ ok: true, value });
const refusedWith = (message: string | RegExp) => (r: { ok: boolean; message?: string }) => {
  expect(r.ok).toBe(false);
  if (typeof message === 'string') expect(r.message).toBe(message);
  else expect(r.message).toMatch(message);
};

describe('fiscal year: one reading', () => {
  it.each([
    ['2021', 2021],
    ['２０２１', 2021],
    ['2021年度', 2021],
    [' 2021 年度 ', 2021],
    ['2021年', 2021],
    ['FY2021', 2021],
    ['fy２０２１', 2021],
    ['令和3年度', 2021],
    ['令和元年度', 2019],
    ['令和３年', 2021],
    ['㋿3年度', 2021],
    ['R3', 2021],
    ['r3年度', 2021],
    ['平成31年度', 2019],
    ['H30', 2018],
    ['昭和64年', 1989],
    ['1900', 1900],
    ['2200年度', 2200],
  ])('reads %j as %i', (raw, year) => {
    expect(parseFiscalYear(raw)).toEqual(ok(year));
  });

  it.each(['', '  ', 'abc', '2,021', '2千21', '2021名', '2021.0', '20211', '21', '1899', '2201', '令和0年度', '平成40年度', 'H32', '昭和65年', '大正3年', '2021年度末', '年度'])('refuses %j with the one message', (raw) => {
    const r = parseFiscalYear(raw);
    refusedWith(fiscalYearMessage(raw))(r);
    expect(r.ok || r.message).toMatch(/は年度として読めません（1900〜2200年度。例: 2021、2021年度、令和3年度）。$/);
  });

  it('finds the year a sheet heading opens with', () => {
    expect(fiscalYearOfHeading('2021年度（中期事業計画２年目）事業活動計画')).toBe(2021);
    expect(fiscalYearOfHeading('２０２２年度 (中期事業計画3年目)')).toBe(2022);
    expect(fiscalYearOfHeading('令和3年度（中期事業計画２年目）')).toBe(2021);
    expect(fiscalYearOfHeading('2021年度の事業')).toBeNull();
    expect(fiscalYearOfHeading('主な担当')).toBeNull();
  });
});

/** Units as a plan names them, with the cases the rule decides: a shared short name, a name that is another's short name. */
const units: UnitName[] = [
  { id: 'chiyoda', name: '千代田支部', shortName: '千代田' },
  { id: 'chuo-branch', name: '中央支部', shortName: '中央' },
  { id: 'chuo', name: '中央', shortName: null },
  { id: 'kita-1', name: '北支部', shortName: '北' },
  { id: 'kita-2', name: '北部会', shortName: '北' },
  { id: 'jigyo', name: '事業・会員サービス向上委員会', shortName: '事業・会員サービス向上' },
  { id: 'jigyo-suishin', name: '事業推進部' },
  { id: 'somu', name: '総務統括部' },
  { id: 'kokusai', name: '国際部' },
  { id: 'koho', name: '広報部' },
  { id: 'it', name: 'IT/DX推進委員会' },
];

describe('unit names: one resolver', () => {
  it.each([
    ['千代田支部', 'chiyoda'],
    ['千代田', 'chiyoda'],
    [' 千代田 支部 ', 'chiyoda'],
    ['事業・会員サービス向上委員会', 'jigyo'],
    ['事業･会員サービス向上', 'jigyo'],
    ['ＩＴ／ＤＸ推進委員会', 'it'],
    ['it/dx推進委員会', 'it'],
    // A full name wins over another unit's short name.
    ['中央', 'chuo'],
    ['中央支部', 'chuo-branch'],
  ])('finds %j', (raw, id) => {
    const r = resolveUnitName(units, raw);
    expect(r.ok && r.unit.id).toBe(id);
  });

  it('refuses an unknown name, an empty one and an ambiguous short name (naming the candidates)', () => {
    refusedWith('「南支部」という組織はありません。')(resolveUnitName(units, '南支部'));
    refusedWith('組織名が空です。')(resolveUnitName(units, ' '));
    refusedWith('「北」に当てはまる組織が2つあります（「北支部」「北部会」）。どれか分かる名前で入力してください。')(resolveUnitName(units, '北'));
    refusedWith('「南」という支部はありません。')(resolveUnitName(units, '南', { noun: '支部' }));
  });

  it('splits a list at line breaks, 、 , ; and tabs, full-width too, and nowhere else', () => {
    expect(splitUnitList('総務統括部\n国際部、 広報部,事業・会員サービス向上委員会')).toEqual(['総務統括部', '国際部', '広報部', '事業・会員サービス向上委員会']);
    expect(splitUnitList('総務統括部；国際部，広報部\r\n\t千代田\u2028')).toEqual(['総務統括部', '国際部', '広報部', '千代田']);
    expect(splitUnitList(null)).toEqual([]);
  });

  it.each([
    ['総務統括部\n国際部、 広報部,事業・会員サービス向上委員会', ['somu', 'kokusai', 'koho', 'jigyo']],
    ['総務統括部・国際部', ['somu', 'kokusai']],
    ['総務統括部 国際部／広報部', ['somu', 'kokusai', 'koho']],
    ['事業・会員サービス向上委員会・国際部', ['jigyo', 'kokusai']],
    ['・総務統括部\n・国際部\n', ['somu', 'kokusai']],
    ['国際部、国際部\n千代田', ['kokusai', 'chiyoda']],
    ['IT/DX推進委員会', ['it']],
    ['', []],
    [' \n 、', []],
  ])('reads the list %j', (raw, ids) => {
    expect(resolveUnitList(units, raw)).toEqual({ ok: true, ids });
  });

  it('refuses the whole list for one unknown or ambiguous entry, quoting it', () => {
    refusedWith('「存在しない部」という組織はありません。組織名を1行に1つずつ入力してください。')(resolveUnitList(units, '総務統括部、存在しない部'));
    refusedWith('「総務統括部・新しい部」という組織はありません。組織名を1行に1つずつ入力してください。')(resolveUnitList(units, '総務統括部・新しい部'));
    refusedWith(/^「北」に当てはまる組織が2つあります/)(resolveUnitList(units, '国際部・北'));
  });

  it('reads a long list in linear time (no search over every split)', () => {
    const raw = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? '国際部' : '事業')).join('・');
    refusedWith(/という組織はありません/)(resolveUnitList(units, raw));
    expect(resolveUnitList(units, Array.from({ length: 20_000 }, () => '国際部').join('・'))).toEqual({ ok: true, ids: ['kokusai'] });
  });

  it('the 主な担当 list finds a unit by its short name and compares names the same way', () => {
    const options = unitOptions([
      { id: 'b', kind: 'branch', name: '千代田支部', shortName: '千代田', position: 0 },
      { id: 'd', kind: 'department', name: '総務統括部', shortName: null, position: 1 },
    ]);
    expect(options.map((o) => o.label)).toEqual(['総務統括部', '千代田支部']);
    const branch = options.find((o) => o.value === 'b')!;
    expect(optionMatches(branch, 'ちよだ')).toBe(false);
    expect(optionMatches(branch, '千代田')).toBe(true);
    expect(optionMatches(branch, '代田 支')).toBe(true);
    expect(optionMatches(branch, '')).toBe(true);
    expect(optionMatches(options[0]!, '千代')).toBe(false);
  });
});

describe('the other kinds', () => {
  it('text keeps what was typed with line breaks as newlines; blank is cleared, or refused when required', () => {
    expect(parseText(' 一行目\r\n二行目 ')).toEqual(ok(' 一行目\n二行目 '));
    expect(parseText('  ')).toEqual(ok(null));
    expect(parseText(null)).toEqual(ok(null));
    expect(parseRequiredText('テーマ\u2028続き')).toEqual(ok('テーマ\n続き'));
    refusedWith(requiredMessage)(parseRequiredText('\u3000'));
    refusedWith('この欄は空にできません。')(parseRequiredText(null));
  });

  it('a number wraps the one number parser, in the column unit', () => {
    expect(parseNumberInput('1万', '社')).toEqual(ok(10000));
    expect(parseNumberInput('２５，０００', '')).toEqual(ok(25000));
    expect(parseNumberInput('2.5億円', '億円')).toEqual(ok(2.5));
    expect(parseNumberInput(' ', '社')).toEqual(ok(null));
    const wrong = parseNumberFor('3,300社', '回');
    refusedWith(wrong.ok ? '' : wrong.message)(parseNumberInput('3,300社', '回'));
    refusedWith(/「たくさん」は数値として読めません/)(parseNumberInput('たくさん'));
  });

  it('a choice by label or code, in any width and case', () => {
    for (const raw of ['率', ' 率 ', 'rate', 'RATE', 'ｒａｔｅ']) expect(parseChoice(raw, targetKindChoices, true)).toEqual(ok('rate'));
    expect(parseChoice('累計（延）', targetKindChoices, true)).toEqual(ok('cumulative'));
    expect(parseChoice('', targetKindChoices)).toEqual(ok(null));
    refusedWith(requiredMessage)(parseChoice('', targetKindChoices, true));
    refusedWith('「割合」は選択肢（累計（延）・年度末の水準・最終年度の量・率・水準の維持・金額）にありません。')(parseChoice('割合', targetKindChoices, true));
  });

  it.each([
    ['新', true],
    ['○', true],
    ['✓', true],
    ['はい', true],
    ['ＹＥＳ', true],
    ['1', true],
    ['', false],
    ['×', false],
    ['いいえ', false],
    ['0', false],
    ['False', false],
  ])('yes/no reads %j as %s', (raw, value) => {
    expect(parseYesNo(raw)).toEqual(ok(value));
  });

  it('yes/no refuses anything else', () => {
    refusedWith('「たぶん」は「新」か空欄で入力してください。')(parseYesNo('たぶん'));
  });

  it('every editable field has its kind, and parseInput dispatches to it', () => {
    const kinds = Object.fromEntries(
      Object.entries(editableFields).flatMap(([entity, fields]) => Object.entries(fields).map(([field, spec]) => [`${entity}.${field}`, inputKindOf(spec)])),
    );
    expect(kinds).toMatchObject({
      'theme.text': 'requiredText',
      'actionRow.termPlan': 'text',
      'target.baselineYear': 'fiscalYear',
      'target.planValue': 'number',
      'target.kind': 'choice',
      'overviewItem.isNew': 'yesNo',
    });
    expect(parseInput('fiscalYear', '令和3年度', {})).toEqual(ok(2021));
    expect(parseInput('fiscalYear', '', {})).toEqual(ok(null));
    expect(parseInput('unitList', '千代田\n国際部', { units })).toEqual(ok(['chiyoda', 'kokusai']));
    expect(parseCellInput('target', 'direction', '以上')).toEqual(ok('at_least'));
    expect(parseCellInput('overviewItem', 'isNew', '新')).toEqual(ok(true));
    refusedWith('この欄（nope）は編集できません。')(parseCellInput('target', 'nope', 'x'));
  });
});

/**
 * The grid's parser (renderer/src/grid/parsers.ts) and the service (applyGridEdits over a real
 * seeded database) take and refuse the same texts with the same message; and what the grid sends
 * for a text it takes is stored as the text itself would be.
 */
describe('the grid and the service read alike', () => {
  let env: Awaited<ReturnType<typeof seededDatabase>>;
  let db: PlanDb;
  beforeAll(async () => {
    env = await seededDatabase();
    db = env.db.db;
  });
  afterAll(async () => {
    await env.cleanup();
  });

  const one = async <T>(query: RawBuilder<T>) => (await firstOf(db, query))!;

  /** The service's answer to one edit: what it stored, or its message. */
  async function serviceReads(edit: GridEdit, read: () => Promise<unknown>): Promise<{ ok: true; stored: unknown } | { ok: false; message: string }> {
    try {
      await applyGridEdits(db, 'fuzz', [edit]);
      return { ok: true, stored: await read() };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return { ok: false, message: e.messageJa };
    }
  }

  interface Field {
    name: string;
    grid: (raw: string) => ParseOutcome;
    edit: (value: string | null) => GridEdit;
    read: () => Promise<unknown>;
  }

  async function fields(): Promise<Field[]> {
    const target = await one(sql<{ id: string; unit: string }>`select id, unit from target where unit = '社' order by id limit 1`);
    const theme = (await one(sql<{ id: string }>`select id from theme order by id limit 1`)).id;
    const item = (await one(sql<{ id: string }>`select id from overview_item order by id limit 1`)).id;
    const row = (await one(sql<{ id: string }>`select id from action_row order by page, position limit 1`)).id;
    const targetCol = (c: string) => async () => (await one(sql<Record<string, unknown>>`select ${sql.ref(c)} from target where id = ${target.id}`))[c];
    const cell = (entity: 'target' | 'theme' | 'overviewItem', id: string, field: string) => (value: string | null) => ({ entity, id, field, value }) as GridEdit;
    return [
      { name: 'fiscal year', grid: fiscalYearInput, edit: cell('target', target.id, 'baselineYear'), read: targetCol('baseline_year') },
      { name: 'number with unit', grid: numberIn(target.unit), edit: cell('target', target.id, 'termGoalValue'), read: targetCol('term_goal_value') },
      { name: 'choice', grid: choiceOf(targetKindChoices), edit: cell('target', target.id, 'kind'), read: targetCol('kind') },
      { name: 'required text', grid: requiredText(), edit: cell('theme', theme, 'text'), read: async () => (await one(sql<{ text: string }>`select text from theme where id = ${theme}`)).text },
      {
        name: 'yes/no',
        grid: yesNoInput,
        edit: cell('overviewItem', item, 'isNew'),
        read: async () => (await one(sql<{ is_new: number }>`select is_new from overview_item where id = ${item}`)).is_new,
      },
      {
        name: 'unit list',
        grid: unitListIn(await unitNamesOf(db)),
        edit: (value) => ({ entity: 'assignments', id: row, value }),
        read: async () => (await rowsOf(db, sql<{ unit_id: string }>`select unit_id from assignment where row_id = ${row} order by position`)).map((a) => a.unit_id),
      },
    ];
  }

  /** Words of every kind, joined at random, and random text the storage rules allow. */
  const words = [
    ...['2021', '２０２１', '1899', '年度', '年', '令和', '元', '3', 'R', 'FY', '平成'],
    ...['1', '0', '25,000', '２５，０００', '.', '-', '▲', '万', '億', '%', '％', '社', '名', '円'],
    ...['率', 'rate', 'RATE', '累計（延）', '以上', '新', 'はい', '×', 'いいえ', 'true'],
    ...['総務統括部', '国際部', '千代田', '千代田支部', '事業・会員サービス向上委員会', '事業', '存在しない部', '北'],
    ...[' ', '\u3000', '、', ',', '，', '・', '/', '\n', '\r\n', '\t', 'a', '漢'],
  ];
  const raw = fc.oneof(
    fc.array(fc.constantFrom(...words), { maxLength: 5 }).map((w) => w.join('')),
    fc.string({ maxLength: 30 }).filter((s) => unwantedCharacter(s) === null),
  );

  it('for every kind of field, on random input', async () => {
    for (const f of await fields()) {
      await fc.assert(
        fc.asyncProperty(raw, async (input) => {
          const grid = f.grid(input);
          const service = await serviceReads(f.edit(input), f.read);
          expect(service.ok, `${f.name}: ${JSON.stringify(input)}`).toBe(grid.ok);
          if (!grid.ok) {
            expect(service.ok || service.message, `${f.name}: ${JSON.stringify(input)}`).toBe(grid.message);
            return;
          }
          // What the grid sends is read back to what the typed text gives.
          const sent = await serviceReads(f.edit(grid.value), f.read);
          expect(sent, `${f.name}: ${JSON.stringify(input)} sent as ${JSON.stringify(grid.value)}`).toEqual(service);
        }),
        { numRuns: 150 },
      );
    }
  });

  it('for the cases a person types most', async () => {
    const [year, number, choice, text, yesNo, list] = await fields();
    expect(await serviceReads(year!.edit('令和3年度'), year!.read)).toEqual({ ok: true, stored: 2021 });
    expect(fiscalYearInput('令和3年度')).toEqual({ ok: true, value: '2021' });
    expect(await serviceReads(number!.edit('1万社'), number!.read)).toEqual({ ok: true, stored: 10000 });
    expect(await serviceReads(choice!.edit('率'), choice!.read)).toEqual({ ok: true, stored: 'rate' });
    expect(await serviceReads(text!.edit(''), text!.read)).toEqual({ ok: false, message: requiredMessage });
    expect(requiredText()('')).toMatchObject({ ok: false, message: requiredMessage });
    expect(await serviceReads(yesNo!.edit('○'), yesNo!.read)).toEqual({ ok: true, stored: 1 });
    const ids = await unitNamesOf(db);
    const idOf = (name: string) => ids.find((u) => u.name === name)!.id;
    expect(await serviceReads(list!.edit('総務統括部・国際部\n千代田'), list!.read)).toEqual({ ok: true, stored: [idOf('総務統括部'), idOf('国際部'), idOf('千代田支部')] });
  });

  it('a unit cannot be renamed to a name the resolver would not tell from another', async () => {
    const kokusai = (await unitNamesOf(db)).find((u) => u.name === '国際部')!.id;
    await expect(applyGridEdits(db, 't', [{ entity: 'unitName', id: kokusai, value: '総務 統括部' }])).rejects.toThrow(/duplicate unit name/);
    await expect(applyGridEdits(db, 't', [{ entity: 'unitName', id: kokusai, value: '広報部' }])).rejects.toThrow(/duplicate unit name/);
  });
});
