import { expect, test } from '@playwright/test';
import { focusedCell, one, openApp, query } from './editing-helpers';
import { startServe, type Served } from './serve';

// Find (Ctrl+F) over the texts of the current screen, with next and previous.
let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

test('Ctrl+F finds every cell holding the text; Enter and Shift+Enter step through them; Esc leaves the focus on the match', async ({ page }) => {
  await openApp(page, served.url);
  // Cells of the 中期計画 screen (FY2020) that hold 「検定」: themes, goal cells, year cells, 主な担当.
  const themes = one<{ n: number }>(served.dbPath, "select count(*) as n from theme where text like '%検定%'")!.n;
  const goals = one<{ n: number }>(served.dbPath, "select count(*) as n from action_row where term_plan like '%検定%'")!.n;
  const years = one<{ n: number }>(served.dbPath, "select count(*) as n from year_plan where fiscal_year = 2020 and text like '%検定%'")!.n;
  const units = query<{ row_id: string }>(served.dbPath, "select distinct a.row_id from assignment a join unit u on u.id = a.unit_id where u.name like '%検定%'").length;
  const expected = themes + goals + years + units;
  expect(expected).toBeGreaterThan(3);

  await page.getByTestId('action-plan-grid').locator('[row-index="0"] [col-id="theme"]').click();
  await page.keyboard.press('Control+F');
  const bar = page.getByRole('search', { name: '検索' });
  await expect(bar.getByRole('searchbox')).toBeFocused();
  await page.keyboard.insertText('検定');
  await expect(bar).toContainText(`${expected}件`);

  await page.keyboard.press('Enter');
  await expect(bar).toContainText(`1 / ${expected}件`);
  const current = page.locator('.cell-find-current');
  await expect(current).toHaveCount(1);
  await expect(current).toContainText('検定');
  const first = await current.textContent();
  await page.keyboard.press('Enter');
  await expect(bar).toContainText(`2 / ${expected}件`);
  await expect(current).not.toHaveText(first!);
  await page.keyboard.press('Shift+Enter');
  await expect(bar).toContainText(`1 / ${expected}件`);
  await expect(current).toHaveText(first!);

  await page.keyboard.press('Escape');
  await expect(bar).toBeHidden();
  const focused = await focusedCell(page);
  expect(focused).not.toBe('');
  await expect(page.locator('.ag-cell-focus').first()).toContainText('検定');
});

test('find ignores full-width/half-width differences and says when nothing is found', async ({ page }) => {
  await openApp(page, served.url);
  await page.keyboard.press('Control+F');
  const bar = page.getByRole('search', { name: '検索' });
  await page.keyboard.insertText('ＩＴ活用');
  await expect(bar).not.toContainText('見つかりません');
  await page.keyboard.press('Enter');
  await expect(page.locator('.cell-find-current')).toContainText('IT活用');
  await page.getByRole('searchbox', { name: '検索する文字' }).fill('存在しない言葉ＸＹＺ');
  await expect(bar).toContainText('見つかりません');
});
