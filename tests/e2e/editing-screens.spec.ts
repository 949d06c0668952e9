import { expect, test, type Page } from '@playwright/test';
import { cell, changeSetCount, expectStatus, focusedCell, gridRowCount, one, openApp, pasteText, query } from './editing-helpers';
import { startServe, type Served } from './serve';

// The other screens: 目標・実績 (numbers), 支部 and 部会・委員会 (focus texts), 年度計画 (新), and the
// unit filter that follows the user from screen to screen.
let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

async function openTab(page: Page, tab: string, testId: string) {
  await page.getByRole('tab', { name: tab }).click();
  await expect(page.getByTestId(testId).locator('.ag-row').first()).toBeVisible();
}

const firstTarget = () =>
  one<{ id: string; label: string; unit: string; kind: string }>(
    served.dbPath,
    'select t.id, t.label, t.unit, t.kind from target t join action_row r on r.id = t.row_id order by r.page, r.position, t.position limit 1',
  )!;
const planValue = (targetId: string, fy: number) =>
  one<{ plan_value: number | null }>(served.dbPath, 'select plan_value from target_value where target_id = ? and fiscal_year = ?', targetId, fy)?.plan_value ?? null;

test('目標・実績: a number typed as 2.5万 is saved as 25,000 and shown right-aligned; an invalid number is refused at the cell and nothing is saved', async ({ page }) => {
  await openApp(page, served.url);
  await openTab(page, '目標・実績', 'targets-grid');
  const target = firstTarget();
  expect(target.unit).toBe('社');
  const plan2021 = cell(page, 'targets-grid', 0, 'plan2021');
  await plan2021.click();
  await page.keyboard.type('2.5');
  await page.keyboard.insertText('万社');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(planValue(target.id, 2021)).toBe(25000);
  await expect(plan2021).toHaveText('25,000');
  await expect(plan2021).toHaveCSS('text-align', 'right');

  // Refused in the editor, with the reason, before anything is sent.
  const sets = changeSetCount(served.dbPath);
  await plan2021.click();
  await page.keyboard.type('about 300');
  await page.keyboard.press('Enter');
  const editor = page.locator('.plan-editor');
  await expect(editor).toHaveClass(/invalid/);
  await expect(editor.locator('.plan-editor-hint')).toContainText('「about 300」は数値として読めません');
  await page.keyboard.press('Escape');
  expect(planValue(target.id, 2021)).toBe(25000);
  // A number of another unit (名 in a 社 column) is refused too.
  await plan2021.click();
  await page.keyboard.type('300');
  await page.keyboard.insertText('名');
  await page.keyboard.press('Tab');
  await expect(editor.locator('.plan-editor-hint')).toContainText('単位「名」はこの欄の単位「社」と違います');
  await page.keyboard.press('Escape');
  // Pasted: the whole block is refused when one number is bad.
  await plan2021.click();
  await pasteText(page, '１万\t二千\r\n');
  await expectStatus(page, /貼り付けられません。1行目「実績」: 「二千」は数値として読めません/);
  expect(planValue(target.id, 2021)).toBe(25000);
  expect(changeSetCount(served.dbPath)).toBe(sets);
  await pasteText(page, '１万\t8,500\r\n');
  await expectStatus(page, '2セルを貼り付けました。');
  expect(planValue(target.id, 2021)).toBe(10000);
  expect(one<{ actual_value: number }>(served.dbPath, 'select actual_value from target_value where target_id = ? and fiscal_year = 2021', target.id)!.actual_value).toBe(8500);
});

test('目標・実績: the kind is chosen from a list with the keyboard', async ({ page }) => {
  await openApp(page, served.url);
  await openTab(page, '目標・実績', 'targets-grid');
  const target = firstTarget();
  expect(target.kind).toBe('cumulative');
  await cell(page, 'targets-grid', 0, 'kind').click();
  await page.keyboard.press('Enter');
  const list = page.getByRole('listbox');
  await expect(list.getByRole('option', { name: '累計（延）' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.insertText('率');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(firstTarget().kind).toBe('rate');
  await expect(cell(page, 'targets-grid', 0, 'kind')).toHaveText('率');
});

test('the unit filter shows only that unit’s rows on every screen, and survives switching screens', async ({ page }) => {
  await openApp(page, served.url);
  const unit = one<{ id: string }>(served.dbPath, "select id from unit where name = '総務統括部'")!;
  const themes = one<{ n: number }>(served.dbPath, 'select count(*) as n from theme where row_id in (select row_id from assignment where unit_id = ?)', unit.id)!.n;
  const targets = one<{ n: number }>(
    served.dbPath,
    'select count(*) as n from target where unit_id = ? or row_id in (select row_id from assignment where unit_id = ?)',
    unit.id,
    unit.id,
  )!.n;
  expect(themes).toBeGreaterThan(0);
  await page.getByRole('navigation', { name: '組織で絞り込み' }).getByRole('button', { name: /^総務統括部/ }).click();
  await expect(page.getByText('絞り込み: 総務統括部')).toBeVisible();
  await expect.poll(() => gridRowCount(page, 'action-plan-grid')).toBe(themes);

  await openTab(page, '目標・実績', 'targets-grid');
  await expect(page.getByText('絞り込み: 総務統括部')).toBeVisible();
  await expect.poll(() => gridRowCount(page, 'targets-grid')).toBe(targets);

  await page.getByRole('tab', { name: '支部' }).click();
  await expect(page.getByText('選んだ組織は支部ではありません')).toBeVisible();

  await page.getByRole('navigation', { name: '組織で絞り込み' }).getByRole('button', { name: /^港支部/ }).click();
  await expect.poll(() => gridRowCount(page, 'branches-grid')).toBe(1);
  await expect(cell(page, 'branches-grid', 0, 'name')).toHaveText('港支部');
  await page.getByRole('button', { name: '絞り込みを解除' }).click();
  await expect.poll(() => gridRowCount(page, 'branches-grid')).toBe(23);
});

test('支部: an empty year cell takes a new focus; clearing it removes the focus again', async ({ page }) => {
  await openApp(page, served.url);
  await openTab(page, '支部', 'branches-grid');
  const chiyoda = one<{ id: string }>(served.dbPath, "select id from unit where name = '千代田支部'")!;
  const focus2022 = () =>
    one<{ text: string }>(
      served.dbPath,
      "select f.text from unit_focus f join unit_focus_unit fu on fu.focus_id = f.id where fu.unit_id = ? and f.period = '2022'",
      chiyoda.id,
    )?.text;
  expect(focus2022()).toBeUndefined();
  await cell(page, 'branches-grid', 0, 'focus-2022').click();
  await page.keyboard.type('Business fair 2022');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(focus2022()).toBe('Business fair 2022');
  expect(await focusedCell(page)).toBe('1:focus-2022');
  await cell(page, 'branches-grid', 0, 'focus-2022').click();
  await page.keyboard.press('Delete');
  await expectStatus(page, '消去しました。');
  expect(focus2022()).toBeUndefined();
});

test('支部: the document’s bold phrases show in bold without their marks; a phrase typed between ** and ** is saved with them and shown bold', async ({ page }) => {
  await openApp(page, served.url);
  await openTab(page, '支部', 'branches-grid');
  const year2021 = cell(page, 'branches-grid', 0, 'focus-2021');
  await expect(year2021.locator('strong').first()).toHaveText('事業継続・発展及び事業承継に資する総合的な経営支援体制の構築');
  await expect(year2021).not.toContainText('**');
  const chiyoda = one<{ id: string }>(served.dbPath, "select id from unit where name = '千代田支部'")!;
  const focus2022 = () =>
    one<{ text: string }>(served.dbPath, "select f.text from unit_focus f join unit_focus_unit fu on fu.focus_id = f.id where fu.unit_id = ? and f.period = '2022'", chiyoda.id)?.text;
  await cell(page, 'branches-grid', 0, 'focus-2022').click();
  await page.keyboard.type('**Fair** 2022');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(focus2022()).toBe('**Fair** 2022');
  await expect(cell(page, 'branches-grid', 0, 'focus-2022').locator('strong')).toHaveText('Fair');
  await cell(page, 'branches-grid', 0, 'focus-2022').click();
  await page.keyboard.press('Delete');
  await expectStatus(page, '消去しました。');
  expect(focus2022()).toBeUndefined();
});

test('部会・委員会: a text two sections share is one cell across their rows, edited once', async ({ page }) => {
  await openApp(page, served.url);
  await openTab(page, '部会・委員会', 'unit-focus-grid');
  await expect(cell(page, 'unit-focus-grid', 0, 'name')).toHaveText('商業部会');
  await expect(cell(page, 'unit-focus-grid', 1, 'name')).toHaveText('商業卸売部会');
  const shared = cell(page, 'unit-focus-grid', 0, 'focus-2021');
  await expect(shared).toHaveAttribute('aria-rowspan', '2');
  await shared.click();
  await page.keyboard.press('F2');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('両部会の合同事業');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  const texts = query<{ name: string; text: string }>(
    served.dbPath,
    "select u.name, f.text from unit u join unit_focus_unit fu on fu.unit_id = u.id join unit_focus f on f.id = fu.focus_id where u.name in ('商業部会', '商業卸売部会') and f.period = '2021'",
  );
  expect(texts).toEqual(expect.arrayContaining([{ name: '商業部会', text: '両部会の合同事業' }, { name: '商業卸売部会', text: '両部会の合同事業' }]));
});

test('年度計画: 新 shows as a badge and toggles with Space; pasting 新 or typing 1 sets it', async ({ page }) => {
  await openApp(page, served.url);
  await page.getByRole('combobox', { name: '年度' }).selectOption('2021');
  await openTab(page, '年度計画', 'overview-grid');
  const isNew = (n: number) =>
    one<{ is_new: number }>(
      served.dbPath,
      `select i.is_new from overview_item i join overview_group g on g.id = i.group_id join overview_section s on s.id = g.section_id
       where s.fiscal_year = 2021 order by s.position, g.position, i.position limit 1 offset ?`,
      n,
    )!.is_new;
  expect(isNew(0)).toBe(0);
  const badge = cell(page, 'overview-grid', 0, 'isNew');
  await badge.click();
  await page.keyboard.press('Space');
  await expectStatus(page, '保存しました。');
  expect(isNew(0)).toBe(1);
  await expect(badge.locator('.badge-new')).toHaveText('新');
  await page.keyboard.press('Space');
  await expectStatus(page, '保存しました。');
  // The status already said so after the first toggle: the grid showing the change is what says this one is saved.
  await expect(badge.locator('.badge-new')).toHaveCount(0);
  expect(isNew(0)).toBe(0);

  await cell(page, 'overview-grid', 1, 'isNew').click();
  await pasteText(page, '新');
  await expectStatus(page, '1セルを貼り付けました。');
  await cell(page, 'overview-grid', 2, 'isNew').click();
  await page.keyboard.type('1');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(isNew(2)).toBe(1);
  expect(isNew(1)).toBe(1);
});

test('目標・実績: a typed cell is one request to the service and the grid shows the value as stored; so is its undo', async ({ page }) => {
  // The calls the page makes to the service (browser mode: POST /api), by method.
  const calls: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api') calls.push((r.postDataJSON() as { method: string }).method);
  });
  await openApp(page, served.url);
  await openTab(page, '目標・実績', 'targets-grid');
  const target = firstTarget();
  const plan2022 = cell(page, 'targets-grid', 0, 'plan2022');
  const before = (await plan2022.textContent()) ?? '';
  await plan2022.click();
  const undoButton = page.getByRole('button', { name: '↶ 元に戻す' });
  // Another call after the ones counted: every call the edit (or the undo) led to was sent before it.
  const marker = async () => {
    const history = page.waitForRequest((r) => r.method() === 'POST' && (r.postDataJSON() as { method: string } | null)?.method === 'history.cell');
    await page.keyboard.press('Control+Shift+H');
    await history;
  };

  calls.length = 0;
  await page.keyboard.type('1.5');
  await page.keyboard.insertText('万');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  expect(planValue(target.id, 2022)).toBe(15000);
  await expect(plan2022).toHaveText('15,000');
  await expect(undoButton).toHaveAttribute('title', '元に戻す: セルの編集（Ctrl+Z）');
  await marker();
  expect(calls).toEqual(['edits.apply', 'history.cell']);

  // Undo, with the history panel closed (it reads the focused cell's history again whenever rows change).
  await page.keyboard.press('Control+Shift+H');
  await expect(page.locator('.history-panel')).toHaveCount(0);
  calls.length = 0;
  await page.keyboard.press('Control+Z');
  await expectStatus(page, '元に戻しました: セルの編集');
  await expect(plan2022).toHaveText(before);
  await expect(page.getByRole('button', { name: '↷ やり直し' })).toHaveAttribute('title', 'やり直し: セルの編集（Ctrl+Y）');
  await marker();
  expect(calls).toEqual(['history.undo', 'history.cell']);
});
