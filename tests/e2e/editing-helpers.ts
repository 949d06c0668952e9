import Database from 'better-sqlite3';
import { expect, type Page } from '@playwright/test';

/** A cell of a grid by row index and column id (spanned cells sit in the row where they start). */
export function cell(page: Page, testId: string, rowIndex: number, colId: string) {
  return page.getByTestId(testId).locator(`[row-index="${rowIndex}"] [col-id="${colId}"]`).first();
}

/** The focused grid cell as "rowIndex:colId". */
export async function focusedCell(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement?.closest('[col-id]');
    const row = el?.closest('[row-index]');
    return el && row ? `${row.getAttribute('row-index')}:${el.getAttribute('col-id')}` : '';
  });
}

/** Reads the plan database the served app writes (read-only, beside the running server). */
export function query<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function one<T>(dbPath: string, sql: string, ...params: unknown[]): T | undefined {
  return query<T>(dbPath, sql, ...params)[0];
}

export const changeSetCount = (dbPath: string) => one<{ n: number }>(dbPath, 'select count(*) as n from change_set')!.n;

/** Waits until the status bar says `text` (a save, a refusal). */
export async function expectStatus(page: Page, text: string | RegExp) {
  await expect(page.getByRole('status')).toHaveText(text);
}

/** Opens the app and waits for the first grid's rows and the web font. */
export async function openApp(page: Page, url: string, testId = 'action-plan-grid') {
  await page.goto(url);
  await expect(page.getByTestId(testId).locator('.ag-row').first()).toBeVisible();
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** Puts text on the system clipboard and presses Ctrl+V, as a user pasting from Excel does. */
export async function pasteText(page: Page, text: string) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
}

export async function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

/**
 * Brings a row into view the way a user does, with the keyboard (the grid renders only the rows
 * near the viewport), then focuses the cell by clicking it.
 */
export async function goToCell(page: Page, testId: string, rowIndex: number, colId: string, via = 'theme') {
  await page.getByTestId(testId).locator('.ag-grid-viewport').evaluate((el) => el.scrollTo(0, 0));
  // Down a column without shared cells, so each ArrowDown is one row.
  await cell(page, testId, 0, via).click();
  for (let i = 0; i < rowIndex; i++) await page.keyboard.press('ArrowDown');
  await cell(page, testId, rowIndex, colId).click();
}

/** How many data rows a grid has (all of them, not only those rendered), from its ARIA row count. */
export async function gridRowCount(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((host) => {
    const grid = host.querySelector('[aria-rowcount]');
    const headerRows = new Set([...host.querySelectorAll('.ag-header [role="row"]')].map((r) => r.getAttribute('aria-rowindex'))).size;
    return Number(grid?.getAttribute('aria-rowcount') ?? 0) - headerRows;
  });
}
