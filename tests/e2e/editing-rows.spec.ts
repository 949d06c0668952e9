import { expect, test } from '@playwright/test';
import { cell, expectStatus, focusedCell, goToCell, gridRowCount, one, openApp, query } from './editing-helpers';
import { startServe, type Served } from './serve';

// Adding, deleting (with confirmation) and moving rows, and choosing 主な担当, by keyboard.
let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

const GRID = 'action-plan-grid';
const themes = () =>
  query<{ id: string; text: string; row_id: string }>(served.dbPath, 'select t.id, t.text, t.row_id from theme t join action_row r on r.id = t.row_id order by r.page, r.position, t.position');

test('Ctrl++ adds a theme below in the same table row, and the new row is ready to type into', async ({ page }) => {
  await openApp(page, served.url);
  const before = themes();
  await cell(page, GRID, 0, 'theme').click();
  await page.keyboard.press('Control+Equal'); // the + key (Ctrl+; on a JIS keyboard works too)
  await expectStatus(page, 'テーマを追加しました。');
  expect(await focusedCell(page)).toBe('1:theme');
  await page.keyboard.type('Added theme');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  const after = themes();
  expect(after).toHaveLength(before.length + 1);
  expect(after[1]).toMatchObject({ text: 'Added theme', row_id: before[0]!.row_id });
  // Shared cells now span three themes.
  await expect(cell(page, GRID, 0, 'termPlan')).toHaveAttribute('aria-rowspan', '3');
});

test('Ctrl+- asks before deleting, Esc keeps the row, Enter deletes it, and Ctrl+Z brings it back whole', async ({ page }) => {
  await openApp(page, served.url);
  const before = themes();
  // The first table row with one theme and with targets: deleting its theme deletes the table row.
  const index = before.findIndex(
    (t) => before.filter((o) => o.row_id === t.row_id).length === 1 && one<{ n: number }>(served.dbPath, 'select count(*) as n from target where row_id = ?', t.row_id)!.n > 0,
  );
  const victim = before[index]!;
  const targetsOfRow = () => one<{ n: number }>(served.dbPath, 'select count(*) as n from target where row_id = ?', victim.row_id)!.n;
  const targetCount = targetsOfRow();
  expect(targetCount).toBeGreaterThan(0);
  await goToCell(page, GRID, index, 'theme');
  await page.keyboard.press('Control+Minus');
  const dialog = page.getByRole('dialog', { name: 'テーマの削除' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`目標 ${targetCount}件（計画値・実績値を含む）`);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(themes()).toHaveLength(before.length);
  expect(await focusedCell(page)).toBe(`${index}:theme`);

  await page.keyboard.press('Control+Minus');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Enter');
  await expectStatus(page, '削除しました。');
  expect(themes().map((t) => t.id)).not.toContain(victim.id);
  expect(targetsOfRow()).toBe(0);
  await expect.poll(() => gridRowCount(page, GRID)).toBe(before.length - 1);

  await page.keyboard.press('Control+Z');
  await expectStatus(page, '元に戻しました: テーマの削除');
  expect(themes()).toEqual(before);
  expect(targetsOfRow()).toBe(targetCount);
});

test('Alt+Shift+↓ moves a theme down within its table row, then the whole table row past the next', async ({ page }) => {
  await openApp(page, served.url);
  const before = themes();
  const firstRow = before[0]!.row_id;
  const inFirstRow = before.filter((t) => t.row_id === firstRow).length;
  const nextRow = before[inFirstRow]!.row_id;
  const inNextRow = before.filter((t) => t.row_id === nextRow).length;
  expect(inFirstRow).toBeGreaterThan(1);
  await cell(page, GRID, 0, 'theme').click();
  await page.keyboard.press('Alt+Shift+ArrowDown');
  await expectStatus(page, '下へ移動しました。');
  expect(themes().slice(0, 2).map((t) => t.id)).toEqual([before[1]!.id, before[0]!.id]);
  // The focus follows the theme, so the next press moves it again.
  for (let i = 1; i < inFirstRow - 1; i++) {
    await expect.poll(() => focusedCell(page)).toBe(`${i}:theme`);
    await page.keyboard.press('Alt+Shift+ArrowDown');
  }
  await expect.poll(() => themes().findIndex((t) => t.id === before[0]!.id)).toBe(inFirstRow - 1);
  await expect.poll(() => focusedCell(page)).toBe(`${inFirstRow - 1}:theme`);
  // At the bottom of its table row: the whole table row moves below the next one.
  await page.keyboard.press('Alt+Shift+ArrowDown');
  await expect.poll(() => themes()[0]!.row_id).toBe(nextRow);
  const after = themes();
  expect(after.slice(0, inNextRow).every((t) => t.row_id === nextRow)).toBe(true);
  expect(after.slice(inNextRow, inNextRow + inFirstRow).every((t) => t.row_id === firstRow)).toBe(true);
  await expect.poll(() => focusedCell(page)).toBe(`${inNextRow + inFirstRow - 1}:theme`);
});

test('主な担当 is chosen in a multi-select list: type to filter, Space ticks, Enter saves', async ({ page }) => {
  await openApp(page, served.url);
  const rowId = themes()[0]!.row_id;
  const assigned = () =>
    query<{ name: string }>(served.dbPath, 'select u.name from assignment a join unit u on u.id = a.unit_id where a.row_id = ? order by a.position', rowId).map((u) => u.name);
  const before = assigned();
  expect(before).not.toContain('広報部');
  await cell(page, GRID, 0, 'units').click();
  await page.keyboard.press('Enter');
  const list = page.getByRole('listbox');
  await expect(list).toBeVisible();
  for (const name of before) await expect(list.getByRole('option', { name: `☑ ${name}` })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.insertText('広報');
  await expect(list.getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(assigned()).toEqual([...before, '広報部'].sort((a, b) => order(a) - order(b)));
  await expect(cell(page, GRID, 0, 'units')).toContainText('広報部');
});

/** Committees are listed before departments in 主な担当. */
function order(name: string): number {
  const u = one<{ kind: string; position: number }>(served.dbPath, 'select kind, position from unit where name = ?', name)!;
  return (u.kind === 'committee' ? 0 : 1000) + u.position;
}
