import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { checkStored, type FieldRule, tableRules } from '../../shared/model/field-rules';
import { valueCheck } from '../../electron/db/field-checks-sql';
import { exportDocument, renderExportFiles } from '../../electron/export/export-document';
import { analyzeImport, applyImport } from '../../electron/import/import-session';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { badValues } from '../helpers/crafted-databases';
import { firstOf, sqliteFileOf } from '../helpers/plan-sql';
import { seededDatabase } from '../helpers/seeded-db';
import { patchXlsx } from '../helpers/xlsx-patch';

/**
 * One input layer: the field rules (shared/model/field-rules.ts) decide for a typed cell, a focus
 * slot, an import and the schema's CHECK constraints alike.
 */

/** One example of each kind, with values the rule must accept. */
const goodValues: [FieldRule, unknown[]][] = [
  [tableRules.unit.id, ['6f1d1c1e-6b0a-4c1f-9a3e-2d5b8c7a6f10']],
  [tableRules.target.row_id, [null, '6f1d1c1e-6b0a-4c1f-9a3e-2d5b8c7a6f10']],
  [tableRules.theme.text, ['', '・テーマ\n二行目\tタブ', 'あ'.repeat(50_000)]],
  [tableRules.unit.short_name, [null, '国際']],
  [tableRules.action_row.key, [null, 'row-1', '6f1d1c1e-6b0a-4c1f-9a3e-2d5b8c7a6f10']],
  [tableRules.theme.position, [0, -3, 1_000_000]],
  [tableRules.target.baseline_value, [null, 0, -2.5, 1e300]],
  [tableRules.target.baseline_year, [null, 2019]],
  [tableRules.target.kind, ['rate', 'money']],
  [tableRules.overview_item.is_new, [0, 1]],
  [tableRules.unit_focus.period, ['term', '2021']],
];

describe('the rules and the schema agree', () => {
  it('every value the JavaScript check accepts, the CHECK constraint accepts, and every one it refuses, the constraint refuses', () => {
    const db = new Database(':memory:');
    try {
      let cases = 0;
      const kinds = new Set<string>();
      for (const [rule, good] of goodValues) {
        kinds.add(rule.kind);
        const type = rule.kind === 'number' ? 'real' : rule.kind === 'int' || rule.kind === 'year' || rule.kind === 'bool' ? 'integer' : 'text';
        const probes = [
          ...good.map((v) => [v, true] as const),
          ...badValues(rule)
            // A reference to a missing row is a valid value of its column: the foreign key (and the import's reference check) refuse it.
            .filter(([what]) => what !== 'a dangling reference')
            .map(([, v]) => [v, false] as const),
        ];
        for (const [value, allowed] of probes) {
          db.exec(`drop table if exists t; create table t ("v" ${type})`);
          db.prepare('insert into t values (?)').run(value as never);
          // The value as stored (after the column's affinity), as the schema sees it.
          const stored = (db.prepare('select v from t').get() as { v: unknown }).v;
          const js = checkStored(rule, stored) === null;
          const sql = stored === null || (db.prepare(`select (${valueCheck('v', rule)}) as ok from t`).get() as { ok: number }).ok === 1;
          expect(js, `${rule.kind} ${String(value).slice(0, 20)}`).toBe(allowed);
          expect(sql, `${rule.kind} ${String(value).slice(0, 20)}: the CHECK agrees`).toBe(js);
          cases++;
        }
      }
      expect(kinds.size).toBe(10);
      expect(cases).toBeGreaterThan(40);
    } finally {
      db.close();
    }
  });

  it('a refusal quotes at most a short excerpt of the value', () => {
    for (const [rule] of goodValues) for (const [, v] of badValues(rule)) expect((checkStored(rule, v) ?? '').length).toBeLessThan(120);
  });
});

describe('typed cells and other edits', () => {
  let env: Awaited<ReturnType<typeof seededDatabase>>;
  beforeEach(async () => {
    env = await seededDatabase();
  });
  afterEach(async () => {
    await env.cleanup();
  });
  const db = () => env.db.db;
  const themeId = async () => (await firstOf(db(), sql<{ id: string }>`select id from theme order by id limit 1`))!.id;
  const targetId = async () => (await firstOf(db(), sql<{ id: string }>`select id from target order by id limit 1`))!.id;
  const themeText = async () => firstOf(db(), sql`select text from theme where id = ${await themeId()}`);
  const refused = async (fn: () => Promise<unknown>): Promise<AppError> => {
    try {
      await fn();
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
    throw new Error('expected a refusal');
  };

  it('refuses control characters and over-long text with the rule’s message; decodes Windows line ends', async () => {
    const before = await themeText();
    expect((await refused(async () => applyGridEdits(db(), 't', [{ entity: 'theme', id: await themeId(), field: 'text', value: '部\u0007署' }]))).messageJa).toContain('制御文字');
    expect((await refused(async () => applyGridEdits(db(), 't', [{ entity: 'theme', id: await themeId(), field: 'text', value: 'あ'.repeat(60_000) }]))).messageJa).toContain(
      '文字数が多すぎます',
    );
    expect((await refused(async () => applyGridEdits(db(), 't', [{ entity: 'target', id: await targetId(), field: 'unit', value: '名'.repeat(300) }]))).messageJa).toContain('上限 200 文字');
    expect(await themeText()).toEqual(before);
    await applyGridEdits(db(), 't', [{ entity: 'theme', id: await themeId(), field: 'text', value: '一行目\r\n二行目' }]);
    expect(await themeText()).toEqual({ text: '一行目\n二行目' });
  });

  it('a focus slot and a unit name pass the same rules (no SQLite error reaches the user)', async () => {
    const unit = (await firstOf(db(), sql<{ id: string }>`select id from unit where kind = 'branch' order by id limit 1`))!.id;
    const e = await refused(() => applyGridEdits(db(), 't', [{ entity: 'focusSlot', unitId: unit, period: 'term', value: '重点\u0001' }]));
    expect(e.code).toBe('invalid_value');
    expect(e.messageJa).toContain('制御文字');
    expect((await refused(() => applyGridEdits(db(), 't', [{ entity: 'unitName', id: unit, value: '支部\u001b[31m' }]))).messageJa).toContain('列「name」');
  });

  it('an import of a value the rules refuse is refused when the file is read, and again before any backup; the plan stays byte-identical', async () => {
    const [file] = await renderExportFiles(await exportDocument(db(), { layout: 'action-plan', fiscalYear: 2020 }), ['xlsx'], null);
    const bytes = patchXlsx(Buffer.from(file!.bytes), [{ sheet: 'アクションプラン①', cells: { D4: 'あ'.repeat(60_000) } }]);
    sqliteFileOf(db()).pragma('wal_checkpoint(TRUNCATE)');
    const hash = () => [env.path, `${env.path}-wal`].map((p) => (existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : '-')).join();
    const before = hash();
    await expect(analyzeImport(db(), env.path, { name: '長すぎる.xlsx', bytes })).rejects.toMatchObject({ code: 'invalid_value', messageJa: expect.stringContaining('文字数が多すぎます') });
    // The same file with a value that passes, whose analysis is then given a bad value (as a stale or forged review would be).
    const fine = patchXlsx(Buffer.from(file!.bytes), [{ sheet: 'アクションプラン①', cells: { D4: '・直した計画' } }]);
    const analysis = await analyzeImport(db(), env.path, { name: '直した.xlsx', bytes: fine });
    expect(analysis.review.items.length).toBe(1);
    for (const op of analysis.items.flatMap((i) => i.ops)) if (op.op === 'update') op.value = '計画\u0000';
    let backups = 0;
    const e = await applyImport(db(), analysis, { take: analysis.review.items.map((i) => i.id), keep: [] }, async () => {
      backups++;
      return null;
    }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).messageJa).toContain('制御文字');
    expect(backups).toBe(0);
    expect(hash()).toBe(before);
  });
});
