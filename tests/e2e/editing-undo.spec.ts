import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { SHELL_COMMAND_CHANNEL, type ShellCommand } from '../../shared/contract/shell-commands';
import { cell, expectStatus, one, openApp } from './editing-helpers';
import { startServe, type Served } from './serve';

// Undo and redo read the change log: they work across a restart of the services, from the keys,
// the toolbar and the Electron Edit menu's event. The history panel shows who changed a cell.
const GRID = 'action-plan-grid';
let dir: string;
let served: Served;
test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plan-e2e-undo-'));
  served = await startServe({ dir });
});
test.afterAll(async () => {
  await served.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What the Electron menu does (shared/contract/shell-commands.ts), in browser mode: the page's window event on the command channel. */
const sendShellCommand = (page: Page, command: ShellCommand) =>
  page.evaluate(([channel, detail]) => window.dispatchEvent(new CustomEvent(channel, { detail })), [SHELL_COMMAND_CHANNEL, command] as const);

const firstTheme = () => one<{ text: string }>(served.dbPath, 'select t.text from theme t join action_row r on r.id = t.row_id order by r.page, r.position, t.position limit 1')!.text;

test('an edit is undone after the services restart, and redone, from the keys, the toolbar and the Edit menu', async ({ page }) => {
  await openApp(page, served.url);
  const original = firstTheme();
  await cell(page, GRID, 0, 'theme').click();
  await page.keyboard.type('Before restart');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(firstTheme()).toBe('Before restart');

  // The app dies and comes back: nothing is kept but the database file.
  await served.stop();
  served = await startServe({ dir });
  await openApp(page, served.url);
  await expect(cell(page, GRID, 0, 'theme')).toHaveText('Before restart');
  await expect(page.getByRole('button', { name: '↶ 元に戻す' })).toHaveAttribute('title', '元に戻す: セルの編集（Ctrl+Z）');

  await cell(page, GRID, 0, 'theme').click();
  await page.keyboard.press('Control+Z');
  await expectStatus(page, '元に戻しました: セルの編集');
  await expect(cell(page, GRID, 0, 'theme')).toHaveText(original);
  expect(firstTheme()).toBe(original);

  await page.keyboard.press('Control+Y');
  await expectStatus(page, 'やり直しました: セルの編集');
  await expect(cell(page, GRID, 0, 'theme')).toHaveText('Before restart');

  // 編集 › 元に戻す of the Electron menu.
  await sendShellCommand(page, 'undo');
  await expectStatus(page, '元に戻しました: セルの編集');
  expect(firstTheme()).toBe(original);

  await page.getByRole('button', { name: '↷ やり直し' }).click();
  await expectStatus(page, 'やり直しました: セルの編集');
  expect(firstTheme()).toBe('Before restart');
  await page.keyboard.press('Control+Shift+Z');
  await expectStatus(page, 'やり直せる操作はありません。');
});

test('Ctrl+Z inside an open editor undoes the typing, not the last saved change', async ({ page }) => {
  await openApp(page, served.url);
  const saved = firstTheme();
  await cell(page, GRID, 0, 'theme').click();
  await page.keyboard.press('F2');
  await page.keyboard.press('End');
  await page.keyboard.type('xyz');
  await page.keyboard.press('Control+Z');
  await expect(page.locator('.plan-editor textarea')).not.toHaveValue(`${saved}xyz`);
  await page.keyboard.press('Escape');
  expect(firstTheme()).toBe(saved);
});

test('the history panel shows who changed the focused cell, when, from what to what', async ({ page }) => {
  await openApp(page, served.url);
  await cell(page, GRID, 1, 'theme').click();
  const original = await cell(page, GRID, 1, 'theme').textContent();
  await page.keyboard.type('First');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  await cell(page, GRID, 1, 'theme').click();
  await page.keyboard.type('Second');
  await page.keyboard.press('Tab');
  await expectStatus(page, '保存しました。');

  await cell(page, GRID, 1, 'theme').click();
  await page.keyboard.press('Control+Shift+H');
  const panel = page.getByRole('complementary', { name: '変更履歴' });
  await expect(panel).toBeVisible();
  const entries = panel.getByRole('listitem');
  await expect(entries).toHaveCount(3);
  await expect(entries.nth(0)).toContainText('セルの編集');
  await expect(entries.nth(0).locator('.from')).toHaveText('First');
  await expect(entries.nth(0).locator('.to')).toHaveText('Second');
  await expect(entries.nth(1).locator('.from')).toHaveText(original!);
  await expect(entries.nth(2)).toContainText('初期データの作成');
  await expect(entries.nth(2).locator('.from')).toHaveText('（空欄）');

  // Moving to another cell shows that cell's history.
  await page.keyboard.press('ArrowDown');
  await expect(entries).toHaveCount(1);
  await expect(entries.nth(0)).toContainText('初期データの作成');
});
