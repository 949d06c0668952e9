import { expect, test } from '@playwright/test';
import { startServe, type Served } from './serve';

let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

test('the browser mode shows the real plan in a grid, and an edit survives a reload', async ({ page }) => {
  await page.goto(served.url);
  await expect(page.getByRole('heading', { name: '計画ワークベンチ' })).toBeVisible();
  const grid = page.getByTestId('action-plan-grid');
  await expect(grid.getByText('「はじめてIT活用１万社プロジェクト」の推進によるIT発火', { exact: false })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: '2020年度（中期事業計画1年目）事業活動計画' })).toBeVisible();

  const cell = grid.locator('[row-index="0"] [col-id="termPlan"]');
  await cell.dblclick();
  const editor = page.locator('.ag-large-text textarea, textarea').first();
  await expect(editor).toBeVisible();
  await editor.fill('・ブラウザから書き換えた到達目標');
  await editor.press('Tab');
  await expect(page.getByRole('status')).toHaveText('保存しました。');

  await page.reload();
  await expect(grid.locator('[row-index="0"] [col-id="termPlan"]')).toHaveText('・ブラウザから書き換えた到達目標');
  await page.screenshot({ path: 'test-results/foundation-grid.png' });
});

test('the API refuses a call without the token', async ({ request }) => {
  const r = await request.post(`${served.origin}/api`, { data: { method: 'plan.summary', args: {} } });
  expect(r.status()).toBe(401);
});
