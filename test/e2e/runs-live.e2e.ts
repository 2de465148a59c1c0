import { copyFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { goTo, openModel, optimizeForSize, snap } from './support/app-actions';

// Issue 17: the Runs page shows a run while it is going and refreshes itself when it ends; a speed check
// made from a run's page is kept with the run — after a reload it still says what was measured.
test('runs page: a running run, then its result without Refresh; a speed check kept after a reload', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  // A name only this test uses: the runs folder is shared with the other browser tests.
  const model = testInfo.outputPath('live-run.onnx');
  copyFileSync(PPOCR_CLS_ONNX, model);

  await openModel(page, model);
  await optimizeForSize(page, 'live-run.onnx');
  await goTo(page, 'Runs', 'Runs');
  await expect(page.getByTestId('runs-active')).toContainText('Optimizing live-run.onnx');
  const row = page.getByTestId('run-row').filter({ hasText: 'live-run.onnx' });
  await expect(row).toHaveCount(0);
  // No click on Refresh: the list reads the runs folder again when the run ends.
  await expect(row).toHaveCount(1, { timeout: 120_000 });
  await expect(page.getByTestId('runs-active')).toHaveCount(0);

  await row.getByRole('button', { name: 'live-run.onnx' }).click();
  await page.getByRole('button', { name: 'Compare speed: original vs optimized' }).click();
  await expect(page.getByTestId('speed-kept')).toBeVisible({ timeout: 120_000 });
  const verdict = (await page.getByTestId('ab-verdict').textContent()) ?? '';

  await page.reload();
  await goTo(page, 'Runs', 'Runs');
  await row.getByRole('button', { name: 'live-run.onnx' }).click();
  await expect(page.getByTestId('speed-stored')).toContainText('Measured on this computer on');
  // The summary at the top says the same: the measurement, not "Not measured".
  await expect(page.getByTestId('glance-speed')).not.toContainText('Not measured');
  await expect(page.getByTestId('glance-speed')).toContainText(/faster|slower|no real difference/);
  await expect(page.getByRole('button', { name: 'Measure again' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Compare speed: original vs optimized' })).toHaveCount(0);
  expect(verdict).not.toBe('');
  await expect(page.getByTestId('ab-verdict')).toHaveText(verdict);
  await snap(page, testInfo, 'run-speed-kept.png', { doc: true });
});
