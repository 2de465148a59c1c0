import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { goTo, openModel, snap, useOneRecipe } from './support/app-actions';

test('the wizard optimizes a real model and shows before/after, the verdict and the A/B speed check', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await openModel(page, PPOCR_CLS_ONNX);
  await page.getByRole('button', { name: 'Optimize it' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Optimize' })).toBeVisible();

  await page.getByRole('radio', { name: /Smaller file/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('radio', { name: /This machine/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /Raspberry Pi 4/ })).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(/not how accurate it is/)).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();

  await useOneRecipe(page);
  const review = page.getByTestId('review');
  await expect(review).toContainText('int8-dynamic');
  await expect(page.getByTestId('recipe-note')).toContainText('Without example data, Lithe stores the weights in 8 bits');
  await expect(review).toContainText('Merge batch normalization into convolutions');
  await snap(page, testInfo, 'wizard-review.png');
  await page.getByRole('button', { name: /^Optimize ch_ppocr/ }).click();

  const result = page.getByTestId('optimize-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  // The recipe's exact output changes as the engine improves: check the shape of the answer, not its bytes.
  await expect(result.getByTestId('size-change')).toContainText(/579 KB → \d+ KB -\d/);
  await expect(result.getByTestId('nodes-change')).toContainText('471 →');
  await expect(result.getByTestId('verification-verdict')).toContainText(/Same answers as the original|Answers close to the original’s/);
  await expect(result.getByTestId('verification-verdict')).toContainText('top answer agreed on');
  await expect(result.getByTestId('step-list')).toContainText('35 batch norms folded');
  await expect(result.getByTestId('run-folder')).toContainText(process.env.LITHE_E2E_RUNS_DIR ?? 'runs');
  await snap(page, testInfo, 'wizard-result.png');

  await result.getByRole('button', { name: 'Compare speed: original vs optimized' }).click();
  await expect(result.getByTestId('ab-verdict')).toBeVisible({ timeout: 60_000 });
  await expect(result.getByTestId('ab-verdict')).toContainText(/faster|slower|No clear difference/);
  await snap(page, testInfo, 'wizard-ab.png');
  await page.emulateMedia({ colorScheme: 'dark' });
  await snap(page, testInfo, 'wizard-result-dark.png');

  await page.emulateMedia({ colorScheme: 'light' });
  await goTo(page, 'Runs', 'Runs');
  const run = page.getByTestId('run-row').filter({ hasText: 'int8-dynamic' }).first();
  await expect(run).toContainText('579 KB →');
  await run.getByRole('button', { name: 'ch_ppocr_mobile_v2.0_cls_infer.onnx' }).click();
  await expect(page.getByTestId('run-details').getByTestId('optimize-result')).toContainText('Smaller weights (int8, no data needed)');
  await expect(page.getByTestId('run-details').getByTestId('verification-verdict')).toBeVisible();
  await snap(page, testInfo, 'run-details.png');
});
