import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Review } from '../../shared/import/review';
import { runCli } from '../../electron/cli/main';
import { backupFolder, listBackups } from '../../electron/db/backup';
import { parseDbLocation } from '../../electron/db/db-location';
import type { PlanDb } from '../../electron/db/plan-db';
import { readPlanState } from '../../electron/model/plan-state';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { locationState } from '../helpers/cli-capture';
import { engines, reopen, usePlan } from '../helpers/engines';
import { patchXlsx } from '../helpers/xlsx-patch';

/**
 * `npm run plan -- handout` and `npm run plan -- import`: dry run by default, --apply writes, conflicts
 * need a side; on a plan file and on PostgreSQL.
 */

describe.each(engines)('plan import (%s)', (engine) => {
  const plan = usePlan(engine);
  let dir: { dir: string };
  let db: string;
  let out: string[];
  let err: string[];
  beforeEach(async () => {
    // The commands open the plan themselves, as from a terminal.
    await plan.db.close();
    dir = { dir: plan.dir };
    db = plan.location;
    out = [];
    err = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    vi.stubEnv('PLAN_WORKBENCH_USER_DATA', dir.dir);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  /** Every byte of the file, every row of the PostgreSQL database. */
  const sha = () => locationState(db);
  /** Where the workspace keeps the plan's backups: by the file's path, by a PostgreSQL plan's display form. */
  const backupKey = () => {
    const where = parseDbLocation(db, {});
    return where.kind === 'file' ? where.path : where.display;
  };
  const withDb = async <T>(fn: (s: PlanDb) => Promise<T> | T): Promise<T> => {
    const o = await reopen(db);
    try {
      return await fn(o.db);
    } finally {
      await o.db.close();
    }
  };

  /** A returned fill-in workbook of 国際部 with a plan value written in and, when asked, a conflict. */
  async function returned(withConflict: boolean): Promise<string> {
    expect(await runCli(['handout', '--db', db, '--unit', '国際部', '--year', '2021', '--out', dir.dir])).toBe(0);
    const path = out.at(-1)!;
    expect(path).toBe(join(dir.dir, '記入用_国際部_2021年度.xlsx'));
    const edits: Record<string, string | number> = { H5: 120 };
    if (withConflict) {
      edits.C5 = '部署が直した目標名';
      await withDb(async (s) => {
        const { rows } = await sql<{ id: string }>`select t.id from target t join assignment a on a.row_id = t.row_id join unit u on u.id = a.unit_id where u.name = '国際部' order by t.position limit 1`.execute(s.q);
        await applyGridEdits(s, 'セルの編集', [{ entity: 'target', id: rows[0]!.id, field: 'label', value: '計画担当が直した目標名' }]);
      });
    }
    const file = join(dir.dir, '国際部_返送.xlsx');
    writeFileSync(file, patchXlsx(readFileSync(path), [{ sheet: '目標・実績', cells: edits }]));
    out = [];
    return file;
  }

  describe('handout and import', () => {
    it('prints every change without writing anything; --json gives the review', async () => {
      const file = await returned(false);
      const before = await sha();
      expect(await runCli(['import', '--db', db, '--file', file])).toBe(0);
      const text = out.join('\n');
      expect(text).toContain('取り込み: 記入用ブック（国際部・2021年度） ← 国際部_返送.xlsx');
      expect(text).toContain('変更 1 件・追加 0 件・削除 0 件・競合 0 件');
      expect(text).toMatch(/\[変更\] 目標・実績 5行目 .*\n {4}H5 2021年度 計画値: （空欄） → 「120回」/);
      out = [];
      expect(await runCli(['import', '--db', db, '--file', file, '--json'])).toBe(0);
      const review = JSON.parse(out.join('\n')) as Review;
      expect(review.items.map((i) => i.cells[0]!.cell)).toEqual(['H5']);
      expect(await sha()).toEqual(before);
    });

    it('--apply writes one change set after a backup', async () => {
      const file = await returned(false);
      expect(await runCli(['import', '--db', db, '--file', file, '--apply'])).toBe(0);
      expect(out.join('\n')).toMatch(/取り込みました: 取り込み: 国際部_返送.xlsx（1 項目、1 値、変更履歴 #2、バックアップ .*-import\.plandb）/);
      await withDb(async (s) =>
        expect(await s.q.selectFrom('change_set').select(['label', 'source']).orderBy('id', 'desc').limit(1).executeTakeFirst()).toEqual({ label: '取り込み: 国際部_返送.xlsx', source: '国際部_返送.xlsx' }),
      );
      expect(listBackups(backupFolder(dir.dir, backupKey())).map((b) => b.reason)).toContain('import');
    });

    it('--apply leaves out what deletes data (an emptied cell) unless --deletions asks for it', async () => {
      expect(await runCli(['import', '--db', db, '--file', await returned(false), '--apply'])).toBe(0);
      // A new hand-out of the same unit, returned with the value written in before emptied again.
      expect(await runCli(['handout', '--db', db, '--unit', '国際部', '--year', '2021', '--out', join(dir.dir, 'second')])).toBe(0);
      const emptied = join(dir.dir, '国際部_空欄.xlsx');
      writeFileSync(emptied, patchXlsx(readFileSync(out.at(-1)!), [{ sheet: '目標・実績', cells: { H5: '' } }]));
      const changeSets = () => withDb(async (s) => Number((await s.q.selectFrom('change_set').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n));
      const setsBefore = await changeSets();
      err = [];
      out = [];
      expect(await runCli(['import', '--db', db, '--file', emptied, '--apply'])).toBe(0);
      expect(err.join('\n')).toContain('--deletions');
      expect(out.join('\n')).toContain('変更はありませんでした');
      expect(await changeSets()).toBe(setsBefore);
      out = [];
      expect(await runCli(['import', '--db', db, '--file', emptied, '--apply', '--deletions'])).toBe(0);
      expect(out.join('\n')).toMatch(/取り込みました: .*（1 項目、\d+ 値/);
    });

    it('--apply stops on conflicts (exit 3, nothing written) until --theirs or --mine says which side wins', async () => {
      const file = await returned(true);
      const before = await sha();
      expect(await runCli(['import', '--db', db, '--file', file, '--apply'])).toBe(3);
      expect(err.join('\n')).toContain('競合が 1 件あります。--theirs（ファイルの値を取り込む）か --mine（現在の値を残す）を指定してください');
      expect(out.join('\n')).toMatch(/\[競合・変更\] 目標・実績 5行目 .*\n {4}※ .*\n {4}C5 目標: 作成時 「.*」 → 現在 「計画担当が直した目標名」 \/ ファイル 「部署が直した目標名」/);
      expect(await sha()).toEqual(before);

      expect(await runCli(['import', '--db', db, '--file', file, '--apply', '--mine'])).toBe(0);
      const labels = () => withDb(async (s) => Object.values((await readPlanState(s)).target!).map((t) => t.label));
      expect(await labels()).toContain('計画担当が直した目標名');
      expect(await runCli(['import', '--db', db, '--file', file, '--apply', '--theirs'])).toBe(0);
      expect(await labels()).toContain('部署が直した目標名');
      expect(await labels()).not.toContain('計画担当が直した目標名');
      expect(await runCli(['import', '--db', db, '--file', file, '--apply', '--theirs', '--mine'])).toBe(1);
    });

    it('exits non-zero with the Japanese and English message for a bad file', async () => {
      const missing = join(dir.dir, 'ない.xlsx');
      expect(await runCli(['import', '--db', db, '--file', missing])).toBe(1);
      expect(err.join('\n')).toContain('エラー: ファイル「ない.xlsx」が見つかりません。');
      expect(err.join('\n')).toContain('error: ');
      expect(await runCli(['import', '--db', db])).toBe(1);
      expect(err.join('\n')).toContain('--file に取り込むファイルを指定してください');
    });
  });
});
