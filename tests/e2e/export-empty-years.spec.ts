import { expect, test } from '@playwright/test';
import { startServe, type Served } from './serve';

/**
 * 出力・印刷 warns of a year whose plan is not written: on the seed plan every FY2021 row of the
 * action plan has an empty year cell (printed 「（未記入）」), FY2020 none. Saving such a year asks
 * once more; going on saves as usual.
 */

/** The preview is made by the services at each change of the choice: on a busy machine it takes seconds. */
const PREVIEW = { timeout: 30_000 };

let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

test('the export dialog warns of the 35 empty FY2021 year cells before saving, and of none in FY2020', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: '出力・印刷…' }).click();
  const dialog = page.getByRole('dialog', { name: '出力・印刷' });
  const preview = page.frameLocator('iframe[title^="印刷プレビュー"]');
  const warning = dialog.getByRole('note', { name: '空欄の年度' });

  await dialog.getByLabel('出力する年度').selectOption('2020');
  await expect(preview.locator('section.sheet')).toHaveCount(7, PREVIEW);
  await expect(preview.locator('section.sheet').first()).toContainText('2020年度（中期事業計画１年目）事業活動計画', PREVIEW);
  await expect(warning).toHaveCount(0);

  await dialog.getByLabel('出力する年度').selectOption('2021');
  await expect(preview.locator('section.sheet').first()).toContainText('2021年度（中期事業計画２年目）事業活動計画', PREVIEW);
  await expect(warning).toHaveText('2021年度の計画が空欄です（表の 35 行）。空欄は「（未記入）」と印刷されます。');
  await expect(preview.locator('td', { hasText: /^（未記入）$/ })).toHaveCount(35);

  // Saving asks first; やめる goes back without saving.
  const confirm = dialog.getByRole('group', { name: '空欄のまま出力するかの確認' });
  await dialog.getByRole('button', { name: '保存…' }).click();
  await expect(confirm).toContainText('このまま出力しますか？');
  await expect(dialog.getByRole('button', { name: '保存…' })).toBeDisabled();
  await confirm.getByRole('button', { name: 'やめる' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(dialog.getByRole('status', { name: '出力の結果' })).toHaveCount(0);

  // Going on saves the year as it is (Excel only: quick).
  await dialog.getByRole('checkbox', { name: 'PDF' }).uncheck();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: '保存…' }).click();
  await confirm.getByRole('button', { name: 'このまま保存' }).click();
  expect((await download).suggestedFilename()).toBe('中期事業計画_2021年度事業活動計画_アクションプラン.xlsx');
  await expect(dialog.getByRole('status', { name: '出力の結果' })).toContainText('ダウンロードしました。', PREVIEW);

  // Back to FY2020: no warning, and 保存… saves at once.
  await dialog.getByLabel('出力する年度').selectOption('2020');
  await expect(preview.locator('section.sheet').first()).toContainText('2020年度（中期事業計画１年目）事業活動計画', PREVIEW);
  await expect(warning).toHaveCount(0);
  const plain = page.waitForEvent('download');
  await dialog.getByRole('button', { name: '保存…' }).click();
  expect((await plain).suggestedFilename()).toBe('中期事業計画_2020年度事業活動計画_アクションプラン.xlsx');
  await expect(confirm).toHaveCount(0);
});
