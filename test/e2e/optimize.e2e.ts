import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { openModel } from './support/app-actions';

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

  const review = page.getByTestId('review');
  await expect(review).toContainText('int8-dynamic');
  await expect(page.getByTestId('recipe-note')).toContainText('Without example data, Lithe stores the weights in 8 bits');
  await expect(review).toContainText('Merge batch normalization into convolutions');
  await page.screenshot({ path: testInfo.outputPath('wizard-review.png'), fullPage: true });
  await page.getByRole('button', { name: /^Optimize ch_ppocr/ }).click();

  const result = page.getByTestId('optimize-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expect(result.getByTestId('size-change')).toContainText('579 KB → 214 KB');
  await expect(result.getByTestId('nodes-change')).toContainText('471 →');
  await expect(result.getByTestId('verification-verdict')).toContainText('Answers close to the original’s');
  await expect(result.getByTestId('verification-verdict')).toContainText('top answer agreed on 100 %');
  await expect(result.getByTestId('step-list')).toContainText('35 batch norms folded');
  await expect(result.getByTestId('run-folder')).toContainText(process.env.LITHE_E2E_RUNS_DIR ?? 'runs');
  await page.screenshot({ path: testInfo.outputPath('wizard-result.png'), fullPage: true });

  await result.getByRole('button', { name: 'Compare speed: original vs optimized' }).click();
  await expect(result.getByTestId('ab-verdict')).toBeVisible({ timeout: 60_000 });
  await expect(result.getByTestId('ab-verdict')).toContainText(/faster|slower|No significant difference/);
  await page.screenshot({ path: testInfo.outputPath('wizard-ab.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('wizard-result-dark.png'), fullPage: true, animations: 'disabled' });
});
