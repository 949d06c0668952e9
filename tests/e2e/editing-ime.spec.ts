import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { cell, expectStatus, focusedCell, one, openApp } from './editing-helpers';
import { startServe, type Served } from './serve';

// Japanese input through an IME, simulated with the DevTools protocol the way Chromium receives
// it from a real IME: a keydown with keyCode 229 ("Process"), composition updates, then the
// committed text. An Enter pressed to confirm a conversion arrives as a 229 keydown too.
let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

const GRID = 'action-plan-grid';
const themeText = (n: number) =>
  one<{ text: string }>(served.dbPath, 'select t.text from theme t join action_row r on r.id = t.row_id order by r.page, r.position, t.position limit 1 offset ?', n)!.text;

/** A key the IME takes: Windows reports it as "Process", macOS with its own key name; keyCode 229 on both. */
async function imeKey(cdp: CDPSession, key: string, code: string, reportedKey = 'Process') {
  await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: reportedKey, code, windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
}

/** Types 「にほん」 with the IME, converting to 「日本」, and confirms the conversion with Enter. */
async function typeNihon(page: Page, cdp: CDPSession) {
  const steps: [string, string, string][] = [
    ['n', 'KeyN', 'ｎ'],
    ['i', 'KeyI', 'に'],
    ['h', 'KeyH', 'にｈ'],
    ['o', 'KeyO', 'にほ'],
    ['n', 'KeyN', 'にほｎ'],
    ['n', 'KeyN', 'にほん'],
  ];
  for (const [key, code, text] of steps) {
    await imeKey(cdp, key, code);
    await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  }
  // Space converts; Enter confirms the conversion: both belong to the IME, not to the grid.
  await imeKey(cdp, ' ', 'Space');
  await cdp.send('Input.imeSetComposition', { text: '日本', selectionStart: 2, selectionEnd: 2 });
  await imeKey(cdp, 'Enter', 'Enter', 'Enter');
  await cdp.send('Input.insertText', { text: '日本' });
}

test('typing with the IME on starts the edit without losing a character, and the confirming Enter does not commit the cell', async ({ page }) => {
  await openApp(page, served.url);
  const cdp = await page.context().newCDPSession(page);
  await cell(page, GRID, 1, 'theme').click();
  await typeNihon(page, cdp);
  const editor = page.locator('.plan-editor textarea');
  // The conversion's Enter left the editor open with the whole word in it.
  await expect(editor).toHaveValue('日本');
  expect(themeText(1)).not.toBe('日本');
  // A second word, then a real Enter commits the cell and moves down.
  await typeNihon(page, cdp);
  await expect(editor).toHaveValue('日本日本');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(themeText(1)).toBe('日本日本');
  expect(await focusedCell(page)).toBe('2:theme');
  await expect(cell(page, GRID, 1, 'theme')).toHaveText('日本日本');
});

test('an IME conversion inside an open editor (F2) keeps the text around it', async ({ page }) => {
  await openApp(page, served.url);
  const cdp = await page.context().newCDPSession(page);
  const before = themeText(3);
  await cell(page, GRID, 3, 'theme').click();
  await page.keyboard.press('F2');
  await page.keyboard.press('End');
  await typeNihon(page, cdp);
  await expect(page.locator('.plan-editor textarea')).toHaveValue(`${before}日本`);
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(themeText(3)).toBe(`${before}日本`);
});
