import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { goTo, openModel, optimizeForSize } from './support/app-actions';
import { writeAddConstantModel } from './support/tiny-models';
import { scanner } from './support/page-words';
import { ALLOWED_TERMS, findJargon } from './support/vocabulary';

// Issue 17: one vocabulary. Every page of the built UI, as the browser shows it, is scanned for command-line
// flags and unexplained jargon; the allowed terms are those the glossary explains.
test('no screen shows command-line flags or unexplained jargon', async ({ page }) => {
  test.setTimeout(180_000);
  // The scan itself can fail: what it must catch, it catches.
  expect(findJargon('Run lithe optimize --data ./x; SQNR 31 dB, p95 3 ms, 1.2e-3, 1 cores')).toHaveLength(6);
  const problems: string[] = [];
  const scan = scanner(page, problems);
  await openModel(page, PPOCR_CLS_ONNX);
  await scan('Open');
  await goTo(page, 'Model', /\.onnx$/);
  await expect(page.getByRole('heading', { name: 'Nodes' })).toBeVisible({ timeout: 60_000 });
  await scan('Model');
  await goTo(page, 'Graph', 'Graph');
  await expect(page.getByTestId('graph-node').first()).toBeVisible({ timeout: 60_000 });
  await scan('Graph');
  await goTo(page, 'Optimize', 'Optimize');
  for (const step of ['Goal', 'Device', 'Data', 'Review']) {
    await scan(`Optimize · ${step}`);
    if (step !== 'Review') await page.getByRole('button', { name: 'Next' }).click();
  }
  await goTo(page, 'Find the best', 'Find the best version');
  await scan('Find the best');
  await goTo(page, 'Benchmark', /Benchmark|Speed/);
  await scan('Benchmark');
  await goTo(page, 'Devices', 'Devices');
  await page.waitForLoadState('networkidle');
  await scan('Devices');
  await goTo(page, 'Batch', /Batch/);
  await scan('Batch');
  await goTo(page, 'Runs', 'Runs');
  await scan('Runs');
  await page.getByRole('button', { name: /About/ }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await scan('About');
  console.log(`Allowed terms (explained in the glossary): ${ALLOWED_TERMS.join(', ')}`);
  console.log(`Jargon scan: ${problems.length} failures`);
  expect(problems).toEqual([]);
});

// The screens after a run are where numbers meet people: the result, the speed check, the run's page, the file browser.
test('the result, the speed check, a run’s page and the file browser show no flags or jargon either', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const problems: string[] = [];
  const scan = scanner(page, problems);
  const model = testInfo.outputPath('words.onnx');
  writeAddConstantModel(model);
  await openModel(page, model);
  await optimizeForSize(page, 'words.onnx');
  await expect(page.getByTestId('goal-verdict')).toBeVisible({ timeout: 90_000 });
  // Technical detail one click away is still read by people: open every disclosure before scanning.
  for (const summary of await page.locator('details:not([open]) > summary').all()) await summary.click();
  await scan('Result');
  await page.getByRole('button', { name: 'Compare speed: original vs optimized' }).click();
  await expect(page.getByTestId('ab-verdict')).toBeVisible({ timeout: 120_000 });
  await scan('Speed check');
  await goTo(page, 'Runs', 'Runs');
  await scan('Runs (with runs)');
  await page.getByTestId('run-row').filter({ hasText: 'words.onnx' }).getByRole('button', { name: 'words.onnx' }).click();
  await expect(page.getByTestId('run-details').getByTestId('ab-verdict')).toBeVisible();
  await scan('Run details');
  await goTo(page, 'Open', /Open a model/);
  await page.getByRole('button', { name: 'Browse this computer…' }).click();
  await page
    .getByTestId('file-browser')
    .getByRole('button', { name: /^Started in:/ })
    .click();
  await expect(page.getByTestId('file-entry').first()).toBeVisible();
  await scan('File browser');
  console.log(`Jargon scan after a run: ${problems.length} failures`);
  expect(problems).toEqual([]);
});
