import { expect, test } from '@playwright/test';
import { cell, changeSetCount, expectStatus, focusedCell, goToCell, one, openApp } from './editing-helpers';
import { startServe, type Served } from './serve';

// Spreadsheet habits on the 中期計画 grid, against the real renderer and a real database.
let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

const GRID = 'action-plan-grid';
type ThemeRow = { id: string; text: string; row_id: string };
/** The n-th theme in document order (the grid's n-th row when no unit is chosen). */
const themeAt = (n: number) =>
  one<ThemeRow>(served.dbPath, 'select t.id, t.text, t.row_id from theme t join action_row r on r.id = t.row_id order by r.page, r.position, t.position limit 1 offset ?', n)!;
const termPlanOf = (rowId: string) => one<{ term_plan: string }>(served.dbPath, 'select term_plan from action_row where id = ?', rowId)!.term_plan;

test('typing replaces the cell, Enter saves and moves down, and the text is there after a reload', async ({ page }) => {
  await openApp(page, served.url);
  await cell(page, GRID, 0, 'theme').click();
  await page.keyboard.type('Typed theme');
  await expect(page.locator('.plan-editor textarea')).toHaveValue('Typed theme');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(await focusedCell(page)).toBe('1:theme');
  expect(themeAt(0).text).toBe('Typed theme');
  await page.reload();
  await expect(cell(page, GRID, 0, 'theme')).toHaveText('Typed theme');
});

test('F2 edits the text in place, Alt+Enter breaks the line, Tab saves and moves right', async ({ page }) => {
  await openApp(page, served.url);
  const before = themeAt(2);
  await cell(page, GRID, 2, 'theme').click();
  await page.keyboard.press('F2');
  const editor = page.locator('.plan-editor textarea');
  await expect(editor).toHaveValue(before.text);
  await page.keyboard.press('End');
  await page.keyboard.press('Alt+Enter');
  await page.keyboard.insertText('二行目');
  await page.keyboard.press('Tab');
  await expectStatus(page, '保存しました。');
  expect(themeAt(2).text).toBe(`${before.text}\n二行目`);
  expect(await focusedCell(page)).toBe('2:termPlan');
  await page.keyboard.press('Shift+Tab');
  expect(await focusedCell(page)).toBe('2:theme');
  await expect(cell(page, GRID, 2, 'theme')).toHaveText(`${before.text}\n二行目`);
});

test('a double-click opens the editor with the text; Esc cancels and nothing is saved', async ({ page }) => {
  await openApp(page, served.url);
  const before = themeAt(3);
  const sets = changeSetCount(served.dbPath);
  await cell(page, GRID, 3, 'theme').dblclick();
  const editor = page.locator('.plan-editor textarea');
  await expect(editor).toHaveValue(before.text);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('not kept');
  await page.keyboard.press('Escape');
  await expect(editor).toHaveCount(0);
  await expect(cell(page, GRID, 3, 'theme')).toHaveText(before.text);
  expect(themeAt(3).text).toBe(before.text);
  expect(changeSetCount(served.dbPath)).toBe(sets);
});

test('arrow keys after typing save and move, as in Excel; Enter on a cell opens the editor', async ({ page }) => {
  await openApp(page, served.url);
  await cell(page, GRID, 4, 'theme').click();
  await page.keyboard.type('Arrow typed');
  await page.keyboard.press('ArrowRight');
  await expectStatus(page, '保存しました。');
  expect(themeAt(4).text).toBe('Arrow typed');
  // The goal cell is shared by themes 2–4: the focus is on that one cell, which starts at row 2.
  expect(await focusedCell(page)).toBe('2:termPlan');
  await page.keyboard.press('Enter');
  await expect(page.locator('.plan-editor textarea')).toHaveValue(termPlanOf(themeAt(4).row_id));
  await page.keyboard.press('Escape');
});

test('Delete clears a cell; a theme, which must have text, is refused with a message and kept', async ({ page }) => {
  await openApp(page, served.url);
  const theme = themeAt(9);
  await goToCell(page, GRID, 9, 'yearPlan');
  await page.keyboard.press('Delete');
  await expectStatus(page, '消去しました。');
  expect(one(served.dbPath, 'select text from year_plan where row_id = ? and fiscal_year = 2020', theme.row_id)).toBeUndefined();
  await expect(cell(page, GRID, 9, 'yearPlan')).toHaveText('');

  await goToCell(page, GRID, 9, 'theme');
  await page.keyboard.press('Delete');
  await expectStatus(page, 'この欄は空にできません。');
  expect(themeAt(9).text).toBe(theme.text);
  await expect(cell(page, GRID, 9, 'theme')).toHaveText(theme.text);
});

test('a shared cell spans the themes of its table row and is edited once for all of them', async ({ page }) => {
  await openApp(page, served.url);
  const shared = cell(page, GRID, 0, 'termPlan');
  await expect(shared).toHaveAttribute('aria-rowspan', '2');
  await cell(page, GRID, 1, 'theme').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('F2');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('共有セルを書き換え');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(termPlanOf(themeAt(0).row_id)).toBe('共有セルを書き換え');
  expect(themeAt(1).row_id).toBe(themeAt(0).row_id);
  await expect(page.getByTestId(GRID).getByText('共有セルを書き換え', { exact: true })).toHaveCount(1);
});

test('Ctrl+PageDown / Ctrl+PageUp switch screens like sheets, and the new screen has the focus for typing', async ({ page }) => {
  await openApp(page, served.url);
  await cell(page, GRID, 0, 'theme').click();
  await page.keyboard.press('Control+PageDown');
  await expect(page.getByRole('tab', { name: '目標・実績' })).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => focusedCell(page)).toBe('0:label');
  await page.keyboard.press('Control+PageUp');
  await expect(page.getByRole('tab', { name: '中期計画' })).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => focusedCell(page)).toBe('0:theme');
});
