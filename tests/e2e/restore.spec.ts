import { expect, test } from '@playwright/test';
import { startServe, type Served } from './serve';

let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

test('a backup taken before an edit restores the plan as it was, and keeps the edited state as a backup', async ({ page }) => {
  await page.goto(served.url);
  const grid = page.getByTestId('action-plan-grid');
  await expect(grid.getByText('「はじめてIT活用１万社プロジェクト」の推進によるIT発火', { exact: false })).toBeVisible();

  // A backup now, then an edit through the contract.
  await page.getByRole('button', { name: 'バックアップ…' }).click();
  const dialog = page.getByRole('dialog', { name: 'バックアップと復元' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: '今すぐバックアップ' }).click();
  await expect(page.getByRole('status')).toContainText('バックアップを作成しました');
  await expect(dialog.getByRole('option').filter({ hasText: '手動' })).toHaveCount(1);
  await dialog.getByRole('button', { name: '閉じる' }).click();

  const edited = await page.evaluate(async () => {
    const token = new URLSearchParams(location.search).get('token')!;
    const call = async (method: string, args: unknown) =>
      (await (await fetch('/api', { method: 'POST', headers: { 'content-type': 'application/json', 'x-plan-token': token }, body: JSON.stringify({ method, args }) })).json()) as {
        ok: boolean;
        value: { id: string; termPlan: string }[];
      };
    const rows = await call('actionRows.list', { fiscalYear: 2020 });
    const first = rows.value[0]!;
    await call('edits.apply', { label: 'テスト', edits: [{ entity: 'actionRow', id: first.id, field: 'termPlan', value: '復元で消える変更' }] });
    return first.termPlan;
  });
  await page.reload();
  await expect(grid.getByText('復元で消える変更')).toBeVisible();

  // Restore the manual backup: preview first, then confirm.
  await page.getByRole('button', { name: 'バックアップ…' }).click();
  await dialog.getByRole('option').filter({ hasText: '手動' }).click();
  await expect(dialog.getByText('中期事業計画（中期事業計画2020-2022）')).toBeVisible();
  await expect(dialog.getByText(/\d+行・\d+テーマ/)).toBeVisible();
  await page.screenshot({ path: 'test-results/restore-dialog.png' });
  await dialog.getByRole('button', { name: 'この時点に戻す…' }).click();
  await expect(dialog.getByRole('alert')).toContainText('「復元前」のバックアップとして残ります');
  await dialog.getByRole('button', { name: '戻す', exact: true }).click();

  await expect(grid.getByText('復元で消える変更')).toHaveCount(0);
  const restored = await page.evaluate(async () => {
    const token = new URLSearchParams(location.search).get('token')!;
    const r = await fetch('/api', { method: 'POST', headers: { 'content-type': 'application/json', 'x-plan-token': token }, body: JSON.stringify({ method: 'actionRows.list', args: { fiscalYear: 2020 } }) });
    return ((await r.json()) as { value: { termPlan: string }[] }).value[0]!.termPlan;
  });
  expect(restored).toBe(edited);
  await page.getByRole('button', { name: 'バックアップ…' }).click();
  await expect(dialog.getByRole('option').filter({ hasText: '復元前' })).toHaveCount(1);
});
