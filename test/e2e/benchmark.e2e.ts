import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { goTo, openModel, snap } from './support/app-actions';

test('a benchmark from the UI shows the latency chart, the percentile table and the per-operator chart', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await openModel(page, PPOCR_CLS_ONNX);
  await goTo(page, 'Benchmark', 'Benchmark');

  await expect(page.getByLabel('Model 1')).toHaveValue(PPOCR_CLS_ONNX);
  await page.getByRole('spinbutton', { name: /^Runs/ }).fill('20');
  await page.getByLabel('Warm-up runs').fill('3');
  await page.getByRole('checkbox', { name: /time each kind of operator/ }).check();
  await page.getByRole('button', { name: 'Measure', exact: true }).click();

  const results = page.getByTestId('bench-results');
  await expect(results).toBeVisible({ timeout: 60_000 });
  await expect(results.getByTestId('latency-chart').locator('canvas')).toBeVisible();
  const table = results.getByTestId('percentile-table');
  await expect(table).toContainText('ch_ppocr_mobile_v2.0_cls_infer.onnx');
  await expect(table.getByRole('columnheader', { name: 'Median' })).toBeVisible();
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(results.getByTestId('throughput-table')).toContainText('Predictions / s');
  await expect(results.getByTestId('op-profile-chart').locator('canvas')).toBeVisible();
  await snap(page, testInfo, 'benchmark.png');

  const download = page.waitForEvent('download');
  await results.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv.split('\n')[0]).toContain('p50Ms');
  expect(csv).toContain('ch_ppocr_mobile_v2.0_cls_infer.onnx');
});

test('an A/B comparison of a model against itself finds no significant difference', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await page.emulateMedia({ colorScheme: 'dark' });
  await openModel(page, PPOCR_CLS_ONNX);
  await goTo(page, 'Benchmark', 'Benchmark');
  await page.getByRole('radio', { name: /Compare two models/ }).check();
  await page.getByLabel('Model B (judged against A)').fill(PPOCR_CLS_ONNX);
  await page.getByLabel('Pairs of runs').fill('40');
  await page.getByLabel('Warm-up runs').fill('3');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();

  const verdict = page.getByTestId('ab-verdict');
  await expect(verdict).toBeVisible({ timeout: 60_000 });
  await expect(verdict).toContainText(/No clear difference|faster|slower/);
  await expect(page.getByTestId('compare-chart').locator('canvas')).toBeVisible();
  await snap(page, testInfo, 'benchmark-ab-dark.png');
});
