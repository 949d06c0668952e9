import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { contract } from '../../shared/contract/methods';
import { planReason, reasonsOf, type TargetReasons, unitNamesOf } from '../../shared/rollup/reasons';
import type { RollupResult, TargetRollup } from '../../shared/rollup/result';
import { goalOf, termFigure } from '../../shared/rollup/term';
import { excelNumberFormat, formatCell, rollupTable, rollupUnitTable } from '../../shared/rollup/table';
import { engines, type PlanUnderTest, seededPlan } from '../helpers/engines';

/**
 * The rollup of the real seed plan (a SQLite file built from seeds/, and a copy of it on PostgreSQL), through the contract handler
 * as the screen calls it and through the command line. Expected values are computed by hand from
 * the source document (../shared/seeds/000_….txt), quoted beside each.
 */

describe.each(engines)('%s', (engine) => {
  let env: PlanUnderTest;
  let ws: Workspace;
  let handle: ReturnType<typeof createHandler>;

  async function call<T>(method: string, args: unknown): Promise<T> {
    const outcome = await handle(method, args);
    if (!outcome.ok) throw new Error(`${method}: ${outcome.error.logMessage}`);
    return outcome.value as T;
  }
  const rollup = (args: { fiscalYear?: number; unitId?: string } = {}) => call<RollupResult>('rollup.get', args);
  const byKey = (r: RollupResult, key: string): TargetRollup => {
    const t = r.targets.find((x) => x.key === key);
    if (!t) throw new Error(`no target ${key}`);
    return t;
  };

  beforeAll(async () => {
    env = await seededPlan(engine);
    ws = new Workspace('test');
    await ws.use(env.opened);
    handle = createHandler(ws, 'http', () => {});
  });
  afterAll(async () => {
    await ws.close();
    await env.cleanup();
  });

  describe('the seed plan, plan side: do the yearly plans reach the term goal?', () => {
    it('研修講座受講者: 25,000 over the term, 8,300 planned in FY2020 → 16,700 still to plan in FY2021–2022', async () => {
      // 000: 「・研修講座受講者25,000名（受講者満足度94％以上、企業満足度87％以上）」 (2022年度末の到達目標)
      //      「・研修講座受講者8,300名(受講者満足度94％以上、企業満足度87％以上)」 (2020年度)
      const r = await rollup({ fiscalYear: 2020 });
      expect(contract['rollup.get'].result.safeParse(r).success).toBe(true);
      const t = byKey(r, 'p1-training-participants');
      expect(t).toMatchObject({ kind: 'cumulative', termGoal: 25000 });
      expect(termFigure(t, 'plan')).toMatchObject({ value: 8300, method: 'sum', complete: false, missingYears: [2021, 2022] });
      expect(t.plan).toMatchObject({ gap: -16700, share: 33.2, state: 'incomplete' }); // 8,300 − 25,000; 8,300 ÷ 25,000 = 33.2%
      expect(planReason(t)).toContain('あと16,700名');
      // FY2020's pro-rata share is 25,000 ÷ 3 = 8,333.3: the FY2020 plan is 33.2% of the term, just under the pace.
      expect(t.years[0]).toMatchObject({ fiscalYear: 2020, plan: 8300, planShareOfGoal: 33.2, commitment: 'below_pace' });
      expect(t.years.slice(1).map((y) => y.commitment)).toEqual(['unplanned', 'unplanned']);
    });

    it('創業支援 延10,000名 / 延3,300名 and 後継者育成支援 延3,000社 / 延1,000社 (cumulative)', async () => {
      // 000: 「・延10,000名に創業支援を実施」「…延3,300名に…」
      const r = await rollup();
      expect(byKey(r, 'p2-startup-support').plan).toMatchObject({ gap: -6700, share: 33, state: 'incomplete' });
      expect(byKey(r, 'p2-startup-support').years[0]!.commitment).toBe('below_pace'); // 3,300 < 3,333.3
      // 000: 「・後継者育成支援を延3,000社で実施」「延1,000社に対する後継者支援を実施」
      expect(byKey(r, 'p1-successor-support').plan).toMatchObject({ gap: -2000, share: 33.3 });
      expect(byKey(r, 'p1-successor-support').years[0]!.commitment).toBe('on_pace'); // 1,000 = 3,000 ÷ 3
    });

    it('会員 83,000件以上 / 81,000件以上 is a level: the FY2020 figure, never a sum', async () => {
      // 000: 「・2022年度末会員83,000件以上」「…より、年度末会員81,000件以上」
      const t = byKey(await rollup(), 'p5-members');
      expect(termFigure(t, 'plan')).toMatchObject({ value: 81000, method: 'last', fromYear: 2020, complete: false });
      expect(t.plan).toMatchObject({ gap: -2000, share: 97.6, state: 'incomplete' }); // 81,000 ÷ 83,000 = 97.59%
      expect(t.years[0]!.commitment).toBe('towards');
    });

    it('貿易証明 468,000件 (FY2022) vs 456,000件 (FY2020) is a final-year volume', async () => {
      // 000: 「・貿易証明・特定原産地証明発給件数456,000件」(2020) 「…発給件数468,000件」(到達目標)
      const t = byKey(await rollup(), 'p6-certificates-issued');
      expect(t.plan).toMatchObject({ gap: -12000, share: 97.4, state: 'incomplete' }); // 456,000 ÷ 468,000 = 97.44%
    });

    it('ITツール「活用している」60% with the 2019 baseline 55.7%: a rate, gap −4.3 points exactly', async () => {
      // 000: 「「活用している」の回答60％（2019年9-10月東商調査：55.7％）」「回答割合増加（2019年9-10月調査の55.7％以上）」
      const t = byKey(await rollup(), 'p1-it-tool-usage-rate');
      expect(t.baseline).toEqual({ value: 55.7, year: 2019 });
      expect(t.plan).toMatchObject({ gap: -4.3, share: 92.8, state: 'incomplete' });
    });

    it('ビジネス関連検定試験受験者数の水準を維持 (162,500名) is a maintain target: FY2020 holds the level', async () => {
      // 000: 「…受験者数の水準162,500名を維持…」
      const t = byKey(await rollup(), 'p1-kentei-examinees');
      expect(goalOf(t)).toBe(162500);
      expect(t.plan).toMatchObject({ gap: 0, share: 100, state: 'incomplete' });
      expect(t.years[0]!.commitment).toBe('on_pace');
    });

    it('a target without plan values or without a term goal is shown as such, never as 0', async () => {
      // 000: 「・会員向け調査（省エネ取組企業の割合80％超）」: a term goal, no yearly figure in the documents.
      const r = await rollup();
      const energy = byKey(r, 'p4-energy-saving-firms-rate');
      expect(energy).toMatchObject({ direction: 'more_than', termGoal: 80 });
      expect(energy.plan).toMatchObject({ state: 'no_values', gap: null, share: null });
      expect(energy.plan.value).toBeNull();
      // ビジネス交流会（６回） of the 渋谷支部: a FY2020 figure, no term goal.
      const shibuya = byKey(r, 'br-shibuya-business-meetings');
      expect(shibuya.plan).toMatchObject({ state: 'no_goal', gap: null, share: null });
      expect(unitNamesOf(shibuya, r.names)).toEqual(['渋谷支部']);

      const table = rollupTable(r);
      const col = (key: string) => table.columns.find((c) => c.key === key)!;
      const row = table.rows.find((x) => x.id === energy.id)!;
      expect(formatCell(col('planTerm'), row)).toBe('—');
      expect(formatCell(col('plan:2020'), row)).toBe('—');
      expect(formatCell(col('termGoal'), row)).toBe('80');

      // The rollup table the exports print: Japanese headers, years grouped, numbers kept as numbers.
      expect(table.columns.map((c) => c.header).slice(0, 6)).toEqual(['目標（KPI）', '単位', '集計', '方向', '基準値', '期間目標']);
      expect(table.columns.filter((c) => c.group === '2021年度').map((c) => c.header)).toEqual(['計画', '実績']);
      const training = table.rows.find((x) => x.cells.label === '研修講座受講者')!;
      expect(training.cells).toMatchObject({ termGoal: 25000, 'plan:2020': 8300, 'actual:2020': null, planGap: -16700, planShare: 33.2, planState: '未計画の年度あり', status: '実績未入力' });
      expect(formatCell(col('planGap'), training)).toBe('−16,700');
      expect(formatCell(col('planShare'), training)).toBe('33.2%');
      expect(excelNumberFormat(col('termGoal'), training)).toBe('#,##0');
      const itRate = table.rows.find((x) => x.cells.label === 'ITツールを「活用している」と回答した会員中小企業の割合')!;
      expect(itRate.decimals).toBe(1);
      expect(formatCell(col('termGoal'), itRate)).toBe('60.0');
      expect(formatCell(col('planGap'), itRate)).toBe('−4.3');
      expect(excelNumberFormat(col('planGap'), itRate)).toBe('+#,##0.0;-#,##0.0;0');
    });
  });

  describe('the seed plan, actual side', () => {
    it('invents no actuals: every year of every target has none, and every status is 実績未入力', async () => {
      for (const fiscalYear of [2020, 2021, 2022]) {
        const r = await rollup({ fiscalYear });
        expect(r.targets.length).toBe(89);
        for (const t of r.targets) {
          expect(t.years.every((y) => y.actual === null)).toBe(true);
          expect(t.actual.value).toBeNull();
          expect(t.status.code).toBe('no_actual');
        }
        expect(r.totals.status.no_actual).toBe(89);
        expect(r.years.every((y) => y.actualsEntered === 0)).toBe(true);
      }
    });

    it('an actual entered through the contract changes the status: 8,400名 in FY2020 is on the pro-rata path (8,333.3)', async () => {
      const before = byKey(await rollup({ fiscalYear: 2020 }), 'p1-training-participants');
      await call('edits.apply', { label: '実績の入力', edits: [{ entity: 'target', id: before.id, field: 'actualValue', value: '8,400名', fiscalYear: 2020 }] });
      let t = byKey(await rollup({ fiscalYear: 2020 }), 'p1-training-participants');
      expect(t.status).toMatchObject({ code: 'on_track', figure: 8400, referenceKind: 'pro_rata' });
      expect(t.years[0]!.actual).toBe(8400);
      // As of FY2021 the FY2021 actual is missing: not judged, and not counted as 0.
      expect(byKey(await rollup({ fiscalYear: 2021 }), 'p1-training-participants').status.code).toBe('no_actual');

      await call('edits.apply', { label: '実績の入力', edits: [{ entity: 'target', id: before.id, field: 'actualValue', value: '8千', fiscalYear: 2020 }] });
      t = byKey(await rollup({ fiscalYear: 2020 }), 'p1-training-participants');
      expect(t.status.code).toBe('attention');
      const units = (await rollup({ fiscalYear: 2020 })).units;
      const hr = units.find((u) => u.name === '人材・能力開発部')!;
      expect(hr.status.attention).toBe(1);

      await call('edits.apply', { label: '実績の削除', edits: [{ entity: 'target', id: before.id, field: 'actualValue', value: null, fiscalYear: 2020 }] });
      expect(byKey(await rollup({ fiscalYear: 2020 }), 'p1-training-participants').status.code).toBe('no_actual');
    });
  });

  describe('per unit, pillar and year on the seed plan', () => {
    it("a unit's target count is the sidebar's, and narrowing to it gives exactly its targets", async () => {
      const sidebar = await call<{ id: string; name: string; targetCount: number; rowCount: number }[]>('units.list', {});
      const r = await rollup();
      for (const u of r.units) expect(u.targets, u.name).toBe(sidebar.find((s) => s.id === u.unitId)!.targetCount);
      const hr = sidebar.find((s) => s.name === '人材・能力開発部')!;
      const narrowed = await rollup({ unitId: hr.id });
      expect(narrowed.unit).toEqual({ id: hr.id, name: '人材・能力開発部' });
      expect(narrowed.targets.length).toBe(hr.targetCount);
      expect(narrowed.targets.map((t) => t.key)).toContain('p1-training-participants');
      expect(narrowed.targets.every((t) => unitNamesOf(t, narrowed.names).includes('人材・能力開発部'))).toBe(true);
      expect(narrowed.units.map((u) => u.name)).toEqual(['人材・能力開発部']);
    });

    it('FY2020 commits plans for 85 of the 89 targets; FY2021 for one (目黒支部 3つの分科会), FY2022 for none', async () => {
      const r = await rollup();
      expect(r.years.map((y) => [y.fiscalYear, y.planned])).toEqual([
        [2020, 85],
        [2021, 1],
        [2022, 0],
      ]);
      expect(r.pillars.reduce((a, p) => a + p.targets, 0)).toBe(89);
      expect(r.pillars.at(-1)).toMatchObject({ pillarId: null, targets: 4 }); // the four branch targets of page ⑦
    });

    it('the unit table lists units with their counts in Japanese headers', async () => {
      const table = rollupUnitTable(await rollup());
      expect(table.columns.map((c) => c.header)).toEqual(expect.arrayContaining(['組織', 'テーマ', '目標', '実績未入力', '未計画の年度あり']));
      const row = table.rows.find((x) => x.cells.name === '目黒支部')!;
      expect(row.cells).toMatchObject({ kind: '支部', targets: 1, 'status:no_actual': 1, 'plan:no_goal': 1 });
    });

    it('refuses a fiscal year outside the plan and an unknown unit, in Japanese', async () => {
      const outside = await handle('rollup.get', { fiscalYear: 2030 });
      expect(outside).toMatchObject({ ok: false, error: { message: '2030年度は計画期間（2020〜2022年度）の外です。' } });
      const unknown = await handle('rollup.get', { unitId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });
  });

  describe('npm run plan -- rollup', () => {
    const root = join(import.meta.dirname, '..', '..');
    const cli = (...args: string[]) =>
      spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['electron/cli/main.ts', 'rollup', '--db', env.location, ...args], { cwd: root, encoding: 'utf8' });

    it('prints the same figures as the screen gets, as JSON, narrowed by the unit name', async () => {
      const out = cli('--year', '2021', '--unit', '人材・能力開発部');
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      const printed = JSON.parse(out.stdout) as RollupResult;
      const hr = printed.unit!;
      expect(hr.name).toBe('人材・能力開発部');
      // The answer, each target with its reasons in words (the answer leaves them to whoever shows them).
      const answer = await rollup({ fiscalYear: 2021, unitId: hr.id });
      expect(printed).toEqual({ ...answer, targets: answer.targets.map((t) => ({ ...t, reasons: reasonsOf(t, 2021) })) });
      expect((byKey(printed, 'p1-training-participants') as TargetRollup & { reasons: TargetReasons }).reasons.plan).toContain('あと16,700名');
      expect(byKey(printed, 'p1-training-participants').plan.gap).toBe(-16700);
    });

    it('an unknown unit is an error in Japanese and English with a non-zero exit', () => {
      const out = cli('--year', '2020', '--unit', '存在しない部');
      expect(out.status).not.toBe(0);
      expect(out.stdout).toBe('');
      expect(out.stderr).toContain('組織「存在しない部」は見つかりません。');
      expect(out.stderr).toContain('unknown unit "存在しない部"');
    });

    // Refused before the plan is opened: the same on either engine, so run once.
    it.runIf(engine === 'sqlite')('--year is required', () => {
      const out = cli();
      expect(out.status).not.toBe(0);
      expect(out.stderr).toContain('--year');
    });
  });
});
