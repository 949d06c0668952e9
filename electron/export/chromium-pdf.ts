import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { AppError } from '../../shared/contract/errors';
import type { PdfRenderer } from './export-host';

/**
 * The print page to PDF through Playwright's Chromium (command line, browser mode, tests): the same
 * Chromium print path as Electron's printToPDF. Debian's chromium (or CHROMIUM_PATH); elsewhere
 * Playwright's own browser if one is installed.
 */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

async function launch(): Promise<Browser> {
  const executablePath = chromiumExecutable();
  try {
    return await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: launchArgs });
  } catch (e) {
    throw new AppError(
      'internal',
      'PDF を作るための Chromium を起動できません。CHROMIUM_PATH に Chromium の場所を設定してください。',
      `cannot launch Chromium (${executablePath ?? 'playwright default'}): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

export async function renderPdfWithBrowser(browser: Browser, html: string): Promise<Uint8Array> {
  const page = await browser.newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    // Lay the page out first: the font subsets load only once text needing them is laid out.
    await page.evaluate(async () => {
      document.body.getBoundingClientRect();
      await document.fonts.ready;
    });
    // Page size and margins come from the page's CSS @page rules.
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, margin: { top: '0', right: '0', bottom: '0', left: '0' } });
    return new Uint8Array(pdf);
  } finally {
    await page.close();
  }
}

/** A PDF renderer that starts Chromium for each batch of pages and closes it afterwards. */
export const chromiumPdfRenderer: PdfRenderer = async (htmlPages) => {
  const browser = await launch();
  try {
    const out: Uint8Array[] = [];
    for (const html of htmlPages) out.push(await renderPdfWithBrowser(browser, html));
    return out;
  } finally {
    await browser.close();
  }
};
