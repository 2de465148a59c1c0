import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { openModel, snap, useOneRecipe } from './support/app-actions';
import { seededValues, writeNpy } from './support/npy';

// Issue 7, "Must show" 6: goal "smallest" with real example data → size, speed (A/B) and accuracy/fidelity side by side,
// the per-layer error list, and one click that keeps the worst layer in float and runs again.
test('smallest with example data: size, speed and fidelity, the per-layer errors, and "keep in float" re-runs', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  // Eight deterministic images of the classifier's input size (3 × 48 × 192), as a float32 .npy.
  const folder = testInfo.outputPath('data');
  mkdirSync(folder, { recursive: true });
  const data = `${folder}/samples.npy`;
  writeNpy(data, [8, 3, 48, 192], seededValues(8 * 3 * 48 * 192, 7));

  await openModel(page, PPOCR_CLS_ONNX);
  await page.getByRole('button', { name: 'Optimize it' }).click();
  await page.getByRole('radio', { name: /Smaller file/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Example inputs').fill(data);
  await expect(page.getByText(/With data,/)).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await useOneRecipe(page);
  await expect(page.getByTestId('review')).toContainText('int8-static');
  await page.getByRole('button', { name: /^Optimize ch_ppocr/ }).click();

  const result = page.getByTestId('optimize-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expect(result.getByTestId('size-change')).toContainText(/579 KB → \d+ KB -\d/);
  await expect(result.getByTestId('verification-verdict')).toBeVisible();
  const evaluation = result.getByTestId('evaluation');
  await expect(evaluation).toContainText('samples.npy (8 samples)');
  await expect(evaluation.getByTestId('fidelity')).toContainText(/\d+(\.\d)? %/);
  const layers = evaluation.getByTestId('layer-errors').locator('tbody tr');
  await expect(layers.first()).toContainText(/Conv.*yes.*dB/);
  expect(await layers.count()).toBeGreaterThan(3);
  await expect(result.getByTestId('step-list')).toContainText('35 batch norms folded');
  await expect(result.getByTestId('step-list')).toContainText('1 node precomputed');

  await result.getByRole('button', { name: 'Compare speed: original vs optimized' }).click();
  await expect(result.getByTestId('ab-verdict')).toBeVisible({ timeout: 90_000 });
  await expect(result.getByTestId('ab-verdict')).toContainText(/faster|slower|No clear difference/);
  // Side by side at the top: size, speed and answers.
  const glance = result.getByTestId('at-a-glance');
  await expect(glance.getByTestId('size-change')).toContainText('579 KB →');
  await expect(glance.getByTestId('glance-speed')).toContainText(/ms → .* ms.*(faster|slower|no real difference)/);
  await expect(glance.getByTestId('glance-answers')).toContainText(/Same top answer on your data\s*\d+(\.\d)? %/);
  await snap(page, testInfo, 'wizard-smallest-data.png');

  // One click: the worst layer stays in float and the same optimization runs again on the same data.
  const worst = (await layers.first().locator('td').first().innerText()).trim();
  await layers
    .first()
    .getByRole('button', { name: `Keep ${worst} in float` })
    .click();
  await expect(page.getByRole('progressbar')).toBeVisible();
  await expect(page.getByText(`with ${worst} kept in float`)).toBeVisible();
  const rerun = page.getByTestId('optimize-result');
  await expect(rerun.getByTestId('kept-in-float')).toContainText(`Kept in float: ${worst}`, { timeout: 60_000 });
  await expect(rerun.getByTestId('keep-float-change')).toContainText(/Against the previous result: size \d+ KB → \d+ KB/);
  await expect(rerun.getByTestId('keep-float-change')).toContainText('same top answer');
  await expect(rerun.getByTestId('glance-speed')).toContainText('Not measured'); // a new model: its speed is measured again on request
  await expect(rerun.getByTestId('evaluation').getByTestId('layer-errors')).toBeVisible();
  await expect(rerun.getByTestId('evaluation').getByTestId('layer-errors').locator('tr', { hasText: worst })).not.toContainText('yes');
  await snap(page, testInfo, 'keep-in-float.png');
  await page.emulateMedia({ colorScheme: 'dark' });
  await snap(page, testInfo, 'keep-in-float-dark.png');
  await page.emulateMedia({ colorScheme: 'light' });

  // A second layer's re-run, cancelled: the previous result comes back with one click.
  const next = (await layers.nth(1).locator('td').first().innerText()).trim();
  await layers
    .nth(1)
    .getByRole('button', { name: `Keep ${next} in float` })
    .click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('optimize-error')).toBeVisible();
  await page.getByRole('button', { name: 'Back to the previous result' }).click();
  await expect(page.getByTestId('kept-in-float')).toContainText(`Kept in float: ${worst}`);
  await expect(page.getByTestId('kept-in-float')).not.toContainText(next);
});
