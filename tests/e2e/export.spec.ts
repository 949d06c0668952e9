import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { startServe, type Served } from './serve';

/** 出力・印刷 in the browser mode: the dialog, the print preview, downloads of Excel and PDF, printing. */

let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

test('the toolbar opens 出力・印刷 with the print preview of the action plan; Excel and PDF download', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: '出力・印刷…' }).click();
  const dialog = page.getByRole('dialog', { name: '出力・印刷' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /アクションプラン（中期事業計画・年度事業活動計画）/ })).toBeChecked();
  const preview = page.frameLocator('iframe[title^="印刷プレビュー"]');
  await expect(preview.locator('section.sheet')).toHaveCount(7);
  await expect(preview.locator('section.sheet').first()).toContainText('東京商工会議所 中期事業計画・２０２０年度事業活動計画 アクションプラン');
  await expect(preview.locator('section.sheet').first().locator('td[data-role="pageMark"]')).toHaveText('①');
  await expect(preview.locator('section.sheet').nth(6)).toContainText('２３支部における重点取組内容');
  await expect(dialog.getByText('7面（A4横）')).toBeVisible();
  await page.screenshot({ path: 'test-results/export-dialog.png' });

  const downloads = Promise.all([page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.xlsx')), page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.pdf'))]);
  await dialog.getByRole('button', { name: '保存…' }).click();
  await expect(dialog.getByRole('progressbar', { name: '出力しています' })).toBeVisible();
  const notice = dialog.getByRole('status', { name: '出力の結果' });
  await expect(notice).toContainText('ダウンロードしました。', { timeout: 45_000 });
  await expect(notice.getByRole('link', { name: '中期事業計画_2020年度事業活動計画_アクションプラン.xlsx' })).toBeVisible();
  await expect(notice.getByRole('link', { name: '中期事業計画_2020年度事業活動計画_アクションプラン.pdf' })).toBeVisible();
  const [xlsx, pdf] = await downloads;
  expect(xlsx.suggestedFilename()).toBe('中期事業計画_2020年度事業活動計画_アクションプラン.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await xlsx.path())!);
  expect(wb.worksheets.filter((w) => w.state === 'visible').map((w) => w.name)).toEqual(['アクションプラン①', 'アクションプラン②', 'アクションプラン③', 'アクションプラン④', 'アクションプラン⑤', 'アクションプラン⑥', '23支部⑦']);
  // The plan revision it was made from, in a sheet no one sees or prints (read back by an import).
  expect(wb.worksheets.filter((w) => w.state !== 'visible').map((w) => [w.name, w.state])).toEqual([['_meta', 'veryHidden']]);
  const info = execFileSync('pdfinfo', [(await pdf.path())!], { encoding: 'utf8' });
  expect(info).toMatch(/Pages:\s+7\b/);
});

test('the overview, a unit’s excerpt and the rollup preview as they print; 印刷… prints the preview', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: '出力・印刷…' }).click();
  const dialog = page.getByRole('dialog', { name: '出力・印刷' });
  const preview = page.frameLocator('iframe[title^="印刷プレビュー"]');

  await dialog.getByRole('radio', { name: /事業活動計画（概要）/ }).check();
  await expect(dialog.getByLabel('出力する年度')).toHaveValue('2021');
  await expect(preview.locator('section.sheet').first()).toContainText('2021年度 事業活動計画');
  await expect(preview.locator('section.sheet').first()).toContainText('挑みつつける、変わらぬ意志で。');
  await expect(dialog.getByText('3面（A3横）')).toBeVisible();

  await dialog.getByRole('radio', { name: /組織別アクションプラン/ }).check();
  await expect(dialog.getByText('組織別アクションプランは、組織を選ぶとプレビューが表示されます。')).toBeVisible();
  await expect(dialog.getByRole('button', { name: '保存…' })).toBeDisabled();
  await dialog.getByLabel('出力する組織').selectOption({ label: '国際部' });
  await expect(page.locator('iframe[title^="印刷プレビュー"]')).toHaveAttribute('title', /（国際部）/);
  await expect(preview.locator('td[data-role="units"]').first()).toContainText('国際部');

  // In a browser the page prints its preview frame (the app uses the OS dialog instead).
  await page.evaluate(() => {
    const frame = document.querySelector<HTMLIFrameElement>('iframe[title^="印刷プレビュー"]')!;
    (frame.contentWindow as Window & { print: () => void }).print = () => document.body.setAttribute('data-printed', frame.title);
  });
  await dialog.getByRole('button', { name: '印刷…' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-printed', /国際部/);

  await dialog.getByRole('radio', { name: /進捗・集計表/ }).check();
  await expect(preview.locator('section.sheet')).toHaveCount(4);
  await expect(preview.locator('section.sheet').first()).toContainText('目標（KPI）');
  await dialog.getByRole('button', { name: '閉じる' }).click();
  await expect(dialog).toBeHidden();
});

test('Ctrl+P opens 出力・印刷 instead of printing the screen, starting from the unit chosen in the sidebar', async ({ page }) => {
  await page.goto(served.url);
  await expect(page.getByTestId('action-plan-grid')).toBeVisible();
  await page.getByRole('navigation', { name: '組織で絞り込み' }).getByRole('button', { name: /^税制委員会/ }).click();
  await page.keyboard.press('Control+p');
  const dialog = page.getByRole('dialog', { name: '出力・印刷' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /組織別アクションプラン/ })).toBeChecked();
  await expect(dialog.getByLabel('出力する組織')).toHaveValue(/.+/);
  await expect(page.locator('iframe[title^="印刷プレビュー"]')).toHaveAttribute('title', /（税制委員会）/);
});

test('an export can be cancelled while it is being made: nothing is downloaded, and the next export works', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: '出力・印刷…' }).click();
  const dialog = page.getByRole('dialog', { name: '出力・印刷' });
  await expect(page.frameLocator('iframe[title^="印刷プレビュー"]').locator('section.sheet')).toHaveCount(7, { timeout: 30_000 });
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));

  // Excel and PDF: the PDF takes Chromium seconds, time enough to cancel.
  await dialog.getByRole('button', { name: '保存…' }).click();
  await expect(dialog.getByRole('progressbar', { name: '出力しています' })).toBeVisible();
  await dialog.getByRole('button', { name: '取り消し' }).click();
  await expect(dialog.getByRole('status', { name: '出力の取り消し' })).toHaveText('出力を取り消しました。', { timeout: 45_000 });
  await expect(dialog.getByRole('progressbar', { name: '出力しています' })).toBeHidden();
  expect(downloads).toEqual([]);
  await expect(dialog.getByRole('alert')).toHaveCount(0);

  await dialog.getByRole('checkbox', { name: 'PDF' }).uncheck();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: '保存…' }).click();
  await expect(dialog.getByRole('status', { name: '出力の結果' })).toContainText('ダウンロードしました。', { timeout: 45_000 });
  expect((await download).suggestedFilename()).toBe('中期事業計画_2020年度事業活動計画_アクションプラン.xlsx');
});
