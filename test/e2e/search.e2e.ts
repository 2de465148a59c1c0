import { existsSync, readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { goTo, openModel, searchFastest, snap } from './support/app-actions';
import { scanner } from './support/page-words';
import { writeGreyClassifier } from './support/tiny-models';

// Issue 14: the search in the UI. A short search on a small model, through the real engine: the ranked
// table, the chart, the chosen one said plainly, every built candidate downloadable.
test('a short search shows the ranked candidates, the chart and the chosen one in plain words', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const model = testInfo.outputPath('digits.onnx');
  writeGreyClassifier(model, 28);
  await openModel(page, model);
  await page.getByRole('button', { name: 'Find its best version' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find the best version' })).toBeVisible();

  await expect(page.getByRole('radio', { name: /Fastest/ })).toBeChecked();
  await page.getByLabel('Time limit (minutes)').fill('1');
  const chosen = await searchFastest(page, 'Find the best version of digits.onnx');
  const table = page.getByTestId('search-table');
  await expect(table.getByTestId('search-row')).toHaveCount(8);
  await expect(table.getByTestId('search-row').first()).toHaveClass(/chosen/);
  await expect(table.locator('tr[data-id="original"]')).toContainText('the original');
  // The likeliest winners for the goal are built first (int8 static for fastest); what the time limit left
  // unbuilt on a loaded machine is listed as not tried.
  await expect(table.locator('tr[data-id="int8-static"] td.answers')).toHaveText(/^0\.99\d+\s*$/);
  await expect(table.locator('tr[data-id="graph"]')).toContainText(/same as another|not tried/);
  await expect(page.getByTestId('search-chart').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('search-chart')).toHaveAttribute('aria-label', /^Time against file size of \d+ versions: original /);

  const download = page.waitForEvent('download', { timeout: 30_000 });
  await table.locator('tr[data-id="int8-static"]').getByRole('button', { name: 'Download int8-static' }).click();
  expect((await download).suggestedFilename()).toBe('digits.int8-static.onnx');
  const csv = page.waitForEvent('download', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Download the table (candidates.csv)' }).click();
  expect((await csv).suggestedFilename()).toBe('candidates.csv');

  const problems: string[] = [];
  await scanner(page, problems)('Search result');
  expect(problems).toEqual([]);
  await snap(page, testInfo, 'search-result.png', { doc: true });

  // The search stays with the runs: listed, and opened again with the same table and pick.
  const heading = await chosen.getByRole('heading').textContent();
  await goTo(page, 'Runs', 'Runs');
  const row = page.locator('[data-testid="run-row"][data-kind="search"]').filter({ hasText: 'digits.onnx' });
  await expect(row).toContainText('Search · Fastest');
  await row.getByRole('button', { name: 'digits.onnx' }).click();
  const details = page.getByTestId('run-details');
  await expect(details.getByTestId('search-chosen').getByRole('heading')).toHaveText(heading ?? '');
  await expect(details.getByTestId('search-table').getByTestId('search-row')).toHaveCount(8);
  await expect(details.getByTestId('run-actions')).toContainText('Run a search again from the Find the best page.');
  await scanner(page, problems)('Search run');
  expect(problems).toEqual([]);
});

// With a target device, the table gains its estimates and fit, and the pick says it rests on an estimate.
test('a search for a microcontroller shows the estimates there and what does not fit', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const model = testInfo.outputPath('wide.onnx');
  writeGreyClassifier(model, 160);
  await openModel(page, model);
  await goTo(page, 'Find the best', 'Find the best version');
  await page.getByLabel('Where will the model run?').selectOption({ label: 'Cortex-M7 microcontroller (STM32H743, 480 MHz)' });
  await page.getByLabel('Time limit (minutes)').fill('1');
  await page.getByRole('button', { name: 'Find the best version of wide.onnx' }).click();

  const chosen = page.getByTestId('search-chosen');
  await expect(chosen).toBeVisible({ timeout: 200_000 });
  const table = page.getByTestId('search-table');
  await expect(table.getByRole('columnheader', { name: /On the device/ })).toHaveAttribute('title', /Cortex-M7 microcontroller/);
  await expect(table.locator('tr[data-id="original"] td.device')).toContainText(/\d ms/);
  // Whatever fits today, the estimate's words are there: fits, or does not fit with what it needs.
  await expect(table.locator('td.device').first()).toContainText(/fits|does not fit: needs/);
  await expect(chosen).toContainText(/an estimate from a cost model, not a measurement there|the original is kept/);
  const problems: string[] = [];
  await scanner(page, problems)('Search for a device');
  expect(problems).toEqual([]);
  await snap(page, testInfo, 'search-device.png', { doc: true });
});

test('a search can be cancelled, and says so', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const model = testInfo.outputPath('stop.onnx');
  writeGreyClassifier(model, 28);
  await openModel(page, model);
  await goTo(page, 'Find the best', 'Find the best version');
  await page.getByRole('button', { name: 'Find the best version of stop.onnx' }).click();
  await expect(page.getByRole('progressbar', { name: 'Search progress' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('search-error')).toContainText('nothing was left half-written');
  // The engine removes what the cancelled search had made: no folder of it is left among the runs.
  const runs = process.env.LITHE_E2E_RUNS_DIR ?? '';
  await expect
    .poll(() => (existsSync(runs) ? readdirSync(runs) : []).filter((name) => name.includes('stop-search')), { timeout: 30_000 })
    .toEqual([]);
  await expect(page.getByRole('button', { name: 'Find the best version of stop.onnx' })).toBeEnabled();
});
