import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { litheUrl } from './lithe-url';

/** Loads the app and opens `path` on the Open page, as a user would. */
export async function openModel(page: Page, path: string): Promise<void> {
  await page.goto(litheUrl().href);
  await page.getByLabel('Path to a model file on this computer').fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  // Identifying starts a worker: on a loaded machine that alone can take longer than the default wait.
  await expect(page.getByTestId('file-facts')).toBeVisible({ timeout: 60_000 });
}

/** On the wizard's review: one recipe instead of the search (the default), with the recipe's details shown. */
export async function useOneRecipe(page: Page): Promise<void> {
  await page.getByRole('radio', { name: /^Use one recipe/ }).check();
}

/** Goal "Smaller file", no data, the suggested recipe (8-bit weights): from the open model `name` to its first run. */
export async function optimizeForSize(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Optimize it' }).click();
  await page.getByRole('radio', { name: /Smaller file/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await useOneRecipe(page);
  await expect(page.getByTestId('review')).toContainText('int8-dynamic');
  await page.getByRole('button', { name: `Optimize ${name}` }).click();
}

/**
 * Starts a search of the goal "fastest" with the button `start` and waits for its pick: a candidate, or the
 * original kept (which wins on a loaded machine is for the measurement to say; either is said plainly).
 */
export async function searchFastest(page: Page, start: string): Promise<Locator> {
  await page.getByRole('button', { name: start }).click();
  await expect(page.getByRole('progressbar', { name: 'Search progress' })).toBeVisible();
  const chosen = page.getByTestId('search-chosen');
  await expect(chosen).toBeVisible({ timeout: 200_000 });
  await expect(chosen.getByRole('heading')).toHaveText(
    /^Chosen: |^No faster candidate: the original is kept$|^No candidate measured in time: the original is kept$/,
  );
  return chosen;
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
