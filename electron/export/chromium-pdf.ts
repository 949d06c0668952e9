import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AppError } from '../../shared/errors/app-error';
import { withPrivateTemp } from '../files/private-temp';
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

/**
 * Chromium with its profile and Playwright's artifacts inside one private temp folder of ours: a
 * normal end removes it, a killed export leaves it to the sweep of the next start
 * (electron/files/private-temp.ts). Chromium's own TMPDIR stays the system's: its singleton socket
 * path must stay under 108 bytes, and Chromium removes that folder itself when its parent dies.
 */
async function launch(dir: string): Promise<BrowserContext> {
  const executablePath = chromiumExecutable();
  try {
    return await chromium.launchPersistentContext(join(dir, 'profile'), {
      ...(executablePath ? { executablePath } : {}),
      args: launchArgs,
      artifactsDir: join(dir, 'artifacts'),
    });
  } catch (e) {
    throw new AppError(
      'internal',
      'PDF を作るための Chromium を起動できません。CHROMIUM_PATH に Chromium の場所を設定してください。',
      `cannot launch Chromium (${executablePath ?? 'playwright default'}): ${e instanceof Error ? e.message.split('\n', 1)[0] : String(e)}`,
    );
  }
}

/** A browser or a browser context: anything that opens a page. */
export interface PageOpener {
  newPage(): Promise<Page>;
}

export async function renderPdfWithBrowser(browser: PageOpener, html: string): Promise<Uint8Array> {
  const page = await browser.newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    // Lay the page out first: the font subsets load only once text needing them is laid out.
    await page.evaluate(async () => {
      document.body.getBoundingClientRect();
      await document.fonts.ready;
    });
    // Page size and margins come from the page's CSS @page rules; so does the page counter, where the
    // layout has one (Chromium's own header and footer would print a second one, and the page's title and date).
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, displayHeaderFooter: false, margin: { top: '0', right: '0', bottom: '0', left: '0' } });
    return new Uint8Array(pdf);
  } finally {
    await page.close();
  }
}

/** A PDF renderer that starts Chromium for each batch of pages and closes it afterwards. */
export const chromiumPdfRenderer: PdfRenderer = (htmlPages) =>
  withPrivateTemp('pdf-chromium', async (dir) => {
    const context = await launch(dir);
    try {
      const out: Uint8Array[] = [];
      for (const html of htmlPages) out.push(await renderPdfWithBrowser(context, html));
      return out;
    } finally {
      await context.close();
    }
  });
