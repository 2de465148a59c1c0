import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { litheUrl } from './lithe-url';

/** Loads the app and opens `path` on the Open page, as a user would. */
export async function openModel(page: Page, path: string): Promise<void> {
  await page.goto(litheUrl().href);
  await page.getByLabel('Path to a model file on this computer').fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  // Identifying starts a worker: on a loaded machine that alone can take longer than the default wait.
  await expect(page.getByTestId('file-facts')).toBeVisible({ timeout: 60_000 });
}

/** Goal "Smaller file", no data, the suggested recipe (8-bit weights): from the open model `name` to its first run. */
export async function optimizeForSize(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Optimize it' }).click();
  await page.getByRole('radio', { name: /Smaller file/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('review')).toContainText('int8-dynamic');
  await page.getByRole('button', { name: `Optimize ${name}` }).click();
}

/** Clicks a page in the left navigation and waits for its heading. */
export async function goTo(page: Page, label: string, heading: string | RegExp): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: new RegExp(`^${label}`) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/**
 * Saves a full-page screenshot with the page scrolled to the top (so the sticky sidebar sits where it belongs).
 * With `doc`, a run with LITHE_UPDATE_DOCS=1 also writes it to docs/ (the README's screenshots).
 */
export async function snap(page: Page, testInfo: TestInfo, name: string, options: { doc?: boolean } = {}): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: testInfo.outputPath(name), fullPage: true, animations: 'disabled' });
  if (options.doc && process.env.LITHE_UPDATE_DOCS)
    await page.screenshot({ path: join(DOCS, name), fullPage: true, animations: 'disabled' });
}

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));
