import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { RollupResult } from '../../shared/rollup/result';
import { startServe, type Served } from './serve';

let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

/** A contract call over the browser mode's HTTP transport, as the renderer makes it. */
async function call<T>(request: APIRequestContext, method: string, args: unknown): Promise<T> {
  const token = new URL(served.url).searchParams.get('token')!;
  const r = await request.post(`${served.origin}/api`, { headers: { 'x-plan-token': token }, data: { method, args } });
  const outcome = (await r.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!outcome.ok) throw new Error(`${method}: ${outcome.error?.message}`);
  return outcome.value;
}

async function openProgress(page: Page) {
  await page.goto(served.url);
  await page.getByRole('tab', { name: '進捗・集計' }).click();
  await expect(page.getByTestId('progress-screen')).toBeVisible();
}

const cell = (page: Page, rowId: string, col: string) => page.getByTestId('rollup-grid-targets').locator(`.ag-row[row-id="${rowId}"] [col-id="${col}"]`);

/** How many pixels of a canvas inside `selector` are not background: a drawn chart has many. */
async function drawnPixels(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && (data[i]! < 235 || data[i + 1]! < 235 || data[i + 2]! < 235)) n++;
    return n;
  });
}

test('進捗・集計 shows the seed targets with the plan-side figures, missing values as — and no invented actuals', async ({ page, request }) => {
  const rollup = await call<RollupResult>(request, 'rollup.get', { fiscalYear: 2020 });
  const training = rollup.targets.find((t) => t.key === 'p1-training-participants')!;
  const equalPay = rollup.targets.find((t) => t.key === 'p1-equal-pay-awareness')!;
  await openProgress(page);

  await expect(page.getByTestId('progress-screen')).toContainText('2020年度時点・全組織');
  await expect(page.getByTestId('progress-screen')).toContainText('目標 89件');
  await expect(page.getByLabel('進捗の状況')).toContainText('実績未入力 89');
  await expect(page.getByRole('columnheader', { name: '期間目標', exact: true })).toBeVisible();

  // 研修講座受講者: 25,000 over the term, 8,300 planned in FY2020.
  await expect(cell(page, training.id, 'label')).toHaveText('研修講座受講者');
  await expect(cell(page, training.id, 'termGoal')).toHaveText('25,000');
  await expect(cell(page, training.id, 'plan:2020')).toHaveText('8,300');
  await expect(cell(page, training.id, 'plan:2021')).toHaveText('—');
  await expect(cell(page, training.id, 'actual:2020')).toHaveText('—');
  await expect(cell(page, training.id, 'planGap')).toHaveText('−16,700');
  await expect(cell(page, training.id, 'planShare')).toHaveText('33.2%');
  await expect(cell(page, training.id, 'planState')).toHaveText('未計画の年度あり');
  await expect(cell(page, training.id, 'status').locator('.badge')).toHaveText('実績未入力');
  // Numbers are right-aligned.
  expect(await cell(page, training.id, 'termGoal').evaluate((e) => getComputedStyle(e).textAlign)).toBe('right');
  // A target without a term goal (同一労働同一賃金…90％以上 in FY2020) shows — for the goal and the gap, never 0.
  await expect(cell(page, equalPay.id, 'termGoal')).toHaveText('—');
  await expect(cell(page, equalPay.id, 'planGap')).toHaveText('—');
  await expect(cell(page, equalPay.id, 'planState')).toHaveText('期間目標なし');
  await page.screenshot({ path: '/tmp/progress-seed.png' });
});

test('the unit sidebar narrows the rollup, and the charts render for the selected target and the units', async ({ page, request }) => {
  await openProgress(page);
  await expect.poll(() => drawnPixels(page, 'unit-chart')).toBeGreaterThan(2000);
  await expect.poll(() => drawnPixels(page, 'target-chart')).toBeGreaterThan(2000);

  await page.getByRole('navigation', { name: '組織で絞り込み' }).getByRole('button', { name: /^人材・能力開発部/ }).click();
  const screen = page.getByTestId('progress-screen');
  await expect(screen).toContainText('2020年度時点・人材・能力開発部');
  const units = await call<{ id: string; name: string; targetCount: number }[]>(request, 'units.list', {});
  const hr = units.find((u) => u.name === '人材・能力開発部')!;
  await expect(screen).toContainText(`目標 ${hr.targetCount}件`);
  const rows = page.getByTestId('rollup-grid-targets').locator('.ag-row:has([col-id="label"])');
  await expect(rows).toHaveCount(hr.targetCount);
  await expect(rows.filter({ hasText: '研修講座受講者' }).first()).toBeVisible();
  await expect(rows.filter({ hasText: '千代田ビジネスフェア来場者' })).toHaveCount(0);

  // Choosing another row switches the target chart.
  const before = await page.getByTestId('target-chart').locator('canvas').first().evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await rows.nth(2).click();
  await expect.poll(() => page.getByTestId('target-chart').locator('canvas').first().evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(before);

  await page.getByRole('tab', { name: '組織別' }).click();
  await expect(page.getByTestId('rollup-grid-units')).toContainText('人材・能力開発部');
  await page.screenshot({ path: '/tmp/progress-unit.png' });
});

test('an actual entered through the contract changes the status shown', async ({ page, request }) => {
  const rollup = await call<RollupResult>(request, 'rollup.get', { fiscalYear: 2020 });
  const training = rollup.targets.find((t) => t.key === 'p1-training-participants')!;
  await call(request, 'edits.apply', { label: '実績の入力', edits: [{ entity: 'target', id: training.id, field: 'actualValue', value: '8,400', fiscalYear: 2020 }] });

  await openProgress(page);
  await expect(cell(page, training.id, 'actual:2020')).toHaveText('8,400');
  await expect(cell(page, training.id, 'status').locator('.badge')).toHaveText('順調');
  await expect(page.getByLabel('進捗の状況')).toContainText('順調 1');

  // As of FY2021 the FY2021 actual is missing: 実績未入力 again, not a failure.
  await page.getByRole('combobox', { name: '年度' }).selectOption('2021');
  await expect(page.getByTestId('progress-screen')).toContainText('2021年度時点');
  await expect(cell(page, training.id, 'status').locator('.badge')).toHaveText('実績未入力');

  await call(request, 'edits.apply', { label: '実績の入力', edits: [{ entity: 'target', id: training.id, field: 'actualValue', value: '7,000', fiscalYear: 2020 }] });
  await page.getByRole('combobox', { name: '年度' }).selectOption('2020');
  await expect(cell(page, training.id, 'status').locator('.badge')).toHaveText('要注意');
  await cell(page, training.id, 'label').click();
  await page.screenshot({ path: '/tmp/progress-actual.png' });
});
