import { expect, test } from '@playwright/test';
import { changeSetCount, clipboardText, expectStatus, goToCell, one, openApp, pasteText, query } from './editing-helpers';
import { startServe, type Served } from './serve';

// Paste from Excel / LibreOffice and copy out as TSV, through the real system clipboard.
let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const GRID = 'action-plan-grid';
interface RowState {
  theme: string;
  term_plan: string;
  year: string | null;
  units: string | null;
}
/** Themes 9–11 in document order: three table rows with one theme each. */
const rowsNineToEleven = () =>
  query<RowState>(
    served.dbPath,
    `select t.text as theme, r.term_plan,
       (select text from year_plan y where y.row_id = r.id and y.fiscal_year = 2020) as year,
       (select group_concat(u.name, '|') from (select u.name from assignment a join unit u on u.id = a.unit_id where a.row_id = r.id order by a.position) u) as units
     from theme t join action_row r on r.id = t.row_id order by r.page, r.position, t.position limit 3 offset 9`,
  );

// As Excel writes it: a cell with a line break is quoted, inner quotes doubled, CR LF after each row.
const block =
  'テーマA\t"到達目標A\n二行目"\t年度計画A\t総務統括部\r\n' +
  'テーマB\t到達目標B\t"年度計画B ""引用"""\t"国際部\n広報部"\r\n' +
  'テーマC\t到達目標C\t年度計画C\t観光委員会\r\n';

test('a 3×4 block from Excel pastes into the focused cell and those right and below, as one change and one undo step', async ({ page }) => {
  await openApp(page, served.url);
  const before = rowsNineToEleven();
  const sets = changeSetCount(served.dbPath);
  await goToCell(page, GRID, 9, 'theme');
  await pasteText(page, block);
  await expectStatus(page, '12セルを貼り付けました。');
  expect(rowsNineToEleven()).toEqual([
    { theme: 'テーマA', term_plan: '到達目標A\n二行目', year: '年度計画A', units: '総務統括部' },
    { theme: 'テーマB', term_plan: '到達目標B', year: '年度計画B "引用"', units: '国際部|広報部' },
    { theme: 'テーマC', term_plan: '到達目標C', year: '年度計画C', units: '観光委員会' },
  ]);
  expect(changeSetCount(served.dbPath)).toBe(sets + 1);
  await expect(page.getByTestId(GRID).getByText('到達目標A\n二行目', { exact: true })).toBeVisible();

  await page.keyboard.press('Control+Z');
  await expectStatus(page, '元に戻しました: 貼り付け（12セル）');
  expect(rowsNineToEleven()).toEqual(before);
});

test('read-only cells in the pasted area are skipped with a notice; an unknown unit refuses the whole paste', async ({ page }) => {
  await openApp(page, served.url);
  // The 活動の柱 cell of themes 9–10 (one shared, read-only cell).
  await goToCell(page, GRID, 9, 'pillar');
  await pasteText(page, '柱は変えられない\t【新しい見出し】\r\n');
  await expectStatus(page, '1セルを貼り付けました。 編集できないセル 1件は飛ばしました。');
  expect(one<{ heading: string }>(served.dbPath, 'select r.heading from theme t join action_row r on r.id = t.row_id order by r.page, r.position, t.position limit 1 offset 9')!.heading).toBe('【新しい見出し】');

  const before = rowsNineToEleven();
  const sets = changeSetCount(served.dbPath);
  await goToCell(page, GRID, 9, 'theme');
  await pasteText(page, 'テーマX\t\t\t存在しない部\r\n');
  await expectStatus(page, /「存在しない部」という組織はありません/);
  expect(rowsNineToEleven()).toEqual(before);
  expect(changeSetCount(served.dbPath)).toBe(sets);
});

test('copy gives the focused cell, or the selected rows, as TSV that Excel reads back', async ({ page }) => {
  await openApp(page, served.url);
  await goToCell(page, GRID, 11, 'theme');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('F2');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('一行目');
  await page.keyboard.press('Alt+Enter');
  await page.keyboard.insertText('"二行目"');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');
  await goToCell(page, GRID, 11, 'termPlan');
  await page.keyboard.press('Control+C');
  await expectStatus(page, 'セルをコピーしました。');
  expect(await clipboardText(page)).toBe('"一行目\n""二行目"""');

  // Two rows selected with Shift+Space: every column, tab-separated, CR LF after each row.
  await goToCell(page, GRID, 10, 'theme');
  await page.keyboard.press('Shift+Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+Space');
  await page.keyboard.press('Control+C');
  await expectStatus(page, '2行をコピーしました。');
  const rows = (await clipboardText(page)).split('\r\n');
  expect(rows).toHaveLength(3);
  expect(rows[2]).toBe('');
  const [, third] = rowsNineToEleven().slice(1);
  expect(rows[1]!.startsWith(`②\t`)).toBe(true);
  expect(rows[1]).toContain(`\t${third!.theme}\t"一行目\n""二行目"""\t`);
});
