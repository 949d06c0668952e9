import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect, type Page, test } from '@playwright/test';
import { backupFolder, listBackups } from '../../electron/db/backup';
import { createDatabase } from '../../electron/workspace/create-database';
import { scaleBundle } from '../bench/synthetic';
import { realSeeds } from '../helpers/seeded-db';
import { patchXlsx } from '../helpers/xlsx-patch';
import { cell, changeSetCount, expectStatus, goToCell, one, openApp } from './editing-helpers';
import { startServe, type Served } from './serve';

/**
 * Hand-out and return in the browser mode: a unit's fill-in workbook is made in the app, filled in
 * with another program (the sheet XML inside the zip rewritten, not exceljs), taken back with the
 * file chooser or by dropping it on the window, reviewed change by change, applied and undone; a
 * conflict is never applied without a choice; bad files are refused and change nothing.
 */

let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

const GRID = 'action-plan-grid';
const UNIT = '地域振興部';

async function chooseUnitAndYear(page: Page) {
  await openApp(page, served.url);
  await page.getByRole('navigation', { name: '組織で絞り込み' }).getByRole('button', { name: new RegExp(UNIT) }).click();
  await page.getByRole('combobox', { name: '年度', exact: true }).selectOption('2021');
  await expect(page.getByRole('columnheader', { name: /2021年度（中期事業計画2年目）/ })).toBeVisible();
}

/** Makes the unit's fill-in workbook in the dialog and returns its bytes and the ids in it. */
async function handOut(page: Page) {
  await page.getByRole('button', { name: '取り込み…' }).click();
  const dialog = page.getByRole('dialog', { name: '取り込み' });
  await expect(dialog.getByLabel('記入用ブックの組織')).toHaveValue(one<{ id: string }>(served.dbPath, 'select id from unit where name = ?', UNIT)!.id);
  await expect(dialog.getByLabel('記入用ブックの年度')).toHaveValue('2021');
  const downloaded = page.waitForEvent('download');
  await dialog.getByRole('button', { name: '記入用ブックを作成…' }).click();
  const download = await downloaded;
  expect(download.suggestedFilename()).toBe(`記入用_${UNIT}_2021年度.xlsx`);
  await expect(dialog.getByRole('status')).toHaveText(`ダウンロードしました: 記入用_${UNIT}_2021年度.xlsx`);
  const bytes = readFileSync((await download.path())!);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const targets = wb.getWorksheet('目標・実績')!;
  let last = 5;
  while (targets.getCell(last + 1, 1).value) last++;
  return { bytes, dialog, rowId: String(wb.getWorksheet('アクションプラン')!.getCell('A5').value), targetId: String(targets.getCell('A5').value), targetUnit: String(targets.getCell('D5').value ?? ''), lastTarget: last };
}

/** Drops a file on the window as the OS does when a file is dragged from the desktop. */
async function dropFile(page: Page, name: string, bytes: Buffer, only: 'drop' | 'hover' = 'drop') {
  await page.evaluate(
    ({ name, b64, only }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name));
      const types = only === 'hover' ? ['dragenter', 'dragover'] : ['dragenter', 'dragover', 'drop'];
      for (const type of types) document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { name, b64: bytes.toString('base64'), only },
  );
}

const dbAtRest = (dbPath = served.dbPath) => ({
  main: createHash('sha256').update(readFileSync(dbPath)).digest('hex'),
  wal: existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0,
  sets: changeSetCount(dbPath),
});

test('a returned workbook, edited with another program, is reviewed change by change, applied as one step and undone', async ({ page }) => {
  await chooseUnitAndYear(page);
  const { bytes, dialog, rowId, targetId, targetUnit, lastTarget } = await handOut(page);
  const n = lastTarget + 1;
  const returned = join(served.dir, `記入用_${UNIT}_2021年度_返送.xlsx`);
  writeFileSync(
    returned,
    patchXlsx(bytes, [
      { sheet: 'アクションプラン', cells: { D5: '・商店街と連携したイベントを開催\n・空き店舗の活用を支援' } },
      { sheet: '目標・実績', cells: { H5: 2, [`C${n}`]: '商店街イベント来場者', [`D${n}`]: '名', [`H${n}`]: '1.2万' } },
    ]),
  );

  // Hold the analysis until the progress is seen (no timing: the request waits for the test).
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api', async (route) => {
    if ((route.request().postData() ?? '').includes('"import.analyze"')) await held;
    await route.continue();
  });
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'ファイルを選ぶ…' }).click();
  await (await chooser).setFiles(returned);
  await expect(dialog.getByRole('progressbar', { name: '読み込んでいます' })).toBeVisible();
  await expect(dialog.getByText(`記入用_${UNIT}_2021年度_返送.xlsx`)).toBeVisible();
  await page.screenshot({ path: 'test-results/import-progress.png' });
  release();

  const review = dialog.getByRole('region', { name: '取り込みの確認' });
  await expect(review).toBeVisible();
  await expect(dialog.getByRole('heading', { name: `取り込みの確認 — 記入用ブック（${UNIT}・2021年度）` })).toBeVisible();
  await expect(review.locator('.counts')).toHaveText(/変更 2件\s*追加 1件\s*削除 0件\s*競合 0件/);
  const plan = review.getByRole('region', { name: 'シート「アクションプラン」' });
  await expect(plan.getByRole('listitem')).toHaveCount(1);
  await expect(plan.getByRole('listitem')).toContainText('D5');
  await expect(plan.getByRole('listitem')).toContainText('2021年度 事業活動計画');
  await expect(plan.locator('td.mine')).toContainText('（空欄）');
  await expect(plan.locator('td.theirs')).toHaveText('ファイル・商店街と連携したイベントを開催\n・空き店舗の活用を支援');
  const targets = review.getByRole('region', { name: 'シート「目標・実績」' });
  await expect(targets.getByRole('listitem')).toHaveCount(2);
  await expect(targets.getByRole('listitem').first()).toContainText('H5');
  await expect(targets.getByRole('listitem').first().locator('td.theirs')).toHaveText(`ファイル2${targetUnit}`);
  await expect(targets.getByRole('listitem').nth(1)).toContainText('目標の追加');
  await expect(targets.getByRole('listitem').nth(1)).toContainText('商店街イベント来場者');
  await expect(targets.getByRole('listitem').nth(1)).toContainText('12,000名');
  await page.screenshot({ path: 'test-results/import-review.png' });

  const before = changeSetCount(served.dbPath);
  await dialog.getByRole('button', { name: '全て取り込む' }).click();
  await expectStatus(page, `取り込みました: 記入用_${UNIT}_2021年度_返送.xlsx（3項目）。元に戻す（Ctrl+Z）で取り消せます。`);
  await expect(dialog).toBeHidden();
  // The grid shows what the database now holds.
  await expect(cell(page, GRID, 0, 'yearPlan')).toContainText('商店街と連携したイベントを開催');
  expect(changeSetCount(served.dbPath)).toBe(before + 1);
  expect(one(served.dbPath, 'select label, source from change_set order by id desc limit 1')).toEqual({ label: `取り込み: 記入用_${UNIT}_2021年度_返送.xlsx`, source: `記入用_${UNIT}_2021年度_返送.xlsx` });
  expect(one(served.dbPath, 'select plan_value from target_value where target_id = ? and fiscal_year = 2021', targetId)).toEqual({ plan_value: 2 });
  expect(one(served.dbPath, "select count(*) as n from target where label = '商店街イベント来場者'")).toEqual({ n: 1 });
  expect(listBackups(backupFolder(served.dir, served.dbPath)).some((b) => b.reason === 'import')).toBe(true);

  // One undo takes the whole import back.
  await page.getByRole('button', { name: '↶ 元に戻す' }).click();
  await expectStatus(page, `元に戻しました: 取り込み: 記入用_${UNIT}_2021年度_返送.xlsx`);
  await expect(cell(page, GRID, 0, 'yearPlan')).not.toContainText('商店街');
  expect(one(served.dbPath, 'select count(*) as n from year_plan where row_id = ? and fiscal_year = 2021', rowId)).toEqual({ n: 0 });
  expect(one(served.dbPath, "select count(*) as n from target where label = '商店街イベント来場者'")).toEqual({ n: 0 });
});

test('a cell changed here after the hand-out is a conflict: nothing lands until the user chooses, then the choice holds', async ({ page }) => {
  await chooseUnitAndYear(page);
  const { bytes, dialog } = await handOut(page);
  await dialog.getByRole('button', { name: '閉じる' }).click();
  // The planner writes the same cell in the grid after handing the workbook out.
  await goToCell(page, GRID, 0, 'yearPlan');
  await page.keyboard.press('F2');
  await page.keyboard.type('・計画担当の記入');
  await page.keyboard.press('Enter');
  await expectStatus(page, '保存しました。');

  const returned = patchXlsx(bytes, [{ sheet: 'アクションプラン', cells: { D5: '・部署の記入' } }]);
  await dropFile(page, 'hover.xlsx', returned, 'hover');
  await expect(page.getByText('ここにドロップして取り込む（.xlsx / .plandb）')).toBeVisible();
  await page.screenshot({ path: 'test-results/import-drop.png' });
  await dropFile(page, '部署からの返送.xlsx', returned);
  const review = dialog.getByRole('region', { name: '取り込みの確認' });
  await expect(review.locator('.counts')).toHaveText(/競合 1件/);
  const item = review.locator('.review-item.conflict');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('ファイルを作ったあとで、こちらでも同じところが別の値に変更されています。');
  await expect(item.locator('td.base')).toHaveText('作成時（空欄）');
  await expect(item.locator('td.mine')).toHaveText('現在・計画担当の記入');
  await expect(item.locator('td.theirs')).toHaveText('ファイル・部署の記入');
  await expect(dialog.getByRole('button', { name: '全て取り込む' })).toBeDisabled();
  await expect(dialog.getByText('競合 1件を選ぶと取り込めます')).toBeVisible();
  await page.screenshot({ path: 'test-results/import-conflict.png' });

  const sets = changeSetCount(served.dbPath);
  await item.getByRole('radio', { name: '現在の値を残す' }).check();
  await dialog.getByRole('button', { name: '全て取り込む' }).click();
  await expectStatus(page, '取り込む変更はありませんでした（部署からの返送.xlsx）。');
  expect(changeSetCount(served.dbPath)).toBe(sets);
  await expect(cell(page, GRID, 0, 'yearPlan')).toHaveText('・計画担当の記入');

  // The same file again: this time the file's value is taken.
  await dropFile(page, '部署からの返送.xlsx', returned);
  await review.locator('.review-item.conflict').getByRole('radio', { name: '取り込む' }).check();
  await dialog.getByRole('button', { name: '全て取り込む' }).click();
  await expectStatus(page, '取り込みました: 部署からの返送.xlsx（1項目）。元に戻す（Ctrl+Z）で取り消せます。');
  await expect(cell(page, GRID, 0, 'yearPlan')).toHaveText('・部署の記入');
});

test('bad files dropped on the window are refused with a clear message, and the database stays byte-identical', async ({ page }) => {
  await chooseUnitAndYear(page);
  const { bytes, dialog } = await handOut(page);
  await dialog.getByRole('button', { name: '閉じる' }).click();
  const folder = join(import.meta.dirname, '..', 'fixtures', 'bad-files');
  const atRest = dbAtRest();
  const cases: [string, Buffer, string][] = [
    ['zip-bomb.xlsx', readFileSync(join(folder, 'zip-bomb.xlsx')), '「zip-bomb.xlsx」は展開すると 200 MB を超えます（圧縮爆弾の疑い）。取り込めません。'],
    ['another-layout.xlsx', readFileSync(join(folder, 'another-layout.xlsx')), '（「事業活動計画（概要）」の様式です）'],
    ['not-ours.plandb', readFileSync(join(folder, 'not-ours.plandb')), '計画ワークベンチのデータベースではありません'],
    ['数式入り.xlsx', patchXlsx(bytes, [{ sheet: '目標・実績', cells: { H5: { formula: 'F5*2' } } }]), 'シート「目標・実績」のセル H5（2021年度 計画）: 数式が入っています。'],
  ];
  for (const [name, data, message] of cases) {
    await dropFile(page, name, data);
    await expect(dialog.getByRole('alert')).toContainText(message);
    await expect(dialog.getByRole('region', { name: '取り込みの確認' })).toHaveCount(0);
    if (name === '数式入り.xlsx') await page.screenshot({ path: 'test-results/import-bad-file.png' });
    expect(dbAtRest(), name).toEqual(atRest);
  }
});

test('reading a dropped file can be cancelled: back to the start, nothing changed, and the next file is read', async ({ page }) => {
  // A plan ten times the seed's size and a colleague's copy of it: reading and comparing takes
  // seconds, long enough to press 取り消し while it runs (the seed plan is read before a click lands).
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'plan-e2e-large-'));
  const dbPath = join(dir, 'plan.plandb');
  await createDatabase(dbPath, scaleBundle(realSeeds(), 10)).db.close();
  const large = await startServe({ dir, dbPath });
  try {
    await openApp(page, large.url);
    const before = dbAtRest(dbPath);
    await page.getByRole('button', { name: '取り込み…' }).click();
    const dialog = page.getByRole('dialog', { name: '取り込み' });
    await dropFile(page, '同僚の計画.plandb', readFileSync(dbPath));
    await expect(dialog.getByRole('progressbar', { name: '読み込んでいます' })).toBeVisible();
    await dialog.getByRole('button', { name: '取り消し' }).click();
    await expect(page.getByRole('status').filter({ hasText: '取り込みを取り消しました。' })).toBeVisible({ timeout: 30_000 });
    await expect(dialog.getByRole('button', { name: 'ファイルを選ぶ…' })).toBeVisible();
    await expect(dialog.getByRole('alert')).toHaveCount(0);
    expect(dbAtRest(dbPath)).toEqual(before);

    await dropFile(page, '同僚の計画.plandb', readFileSync(dbPath));
    await expect(dialog.getByRole('heading', { name: /取り込みの確認/ })).toBeVisible({ timeout: 90_000 });
    await dialog.getByRole('button', { name: '取り込まない' }).click();
    expect(dbAtRest(dbPath)).toEqual(before);
  } finally {
    await large.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
