import { expect, test } from '@playwright/test';
import { FACE_SHORT_TFLITE, PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { goTo, openModel, snap } from './support/app-actions';

test('the model page shows a real ONNX model: summary, inputs, operators and a searchable node list', async ({ page }, testInfo) => {
  await openModel(page, PPOCR_CLS_ONNX);
  await page.getByRole('button', { name: 'Look inside' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ch_ppocr_mobile_v2.0_cls_infer.onnx' })).toBeVisible();

  const summary = page.getByTestId('model-summary');
  await expect(summary.getByTestId('summary-format')).toContainText('ONNX');
  await expect(summary.getByTestId('summary-format')).toContainText('ai.onnx 9');
  await expect(summary.getByTestId('summary-params')).toContainText('133,665');
  await expect(summary.getByTestId('summary-nodes')).toContainText('471');
  await expect(summary.getByTestId('summary-macs')).toContainText('open dimensions at representative sizes');
  await expect(page.getByTestId('io-table')).toContainText('softmax_0.tmp_0');
  await expect(page.getByTestId('op-histogram').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('largest-tensors')).toContainText('conv2d_44.w_0');

  await expect(page.getByTestId('node-count')).toContainText('Showing 1–50 of 471 nodes');
  await page.getByRole('searchbox', { name: 'Search' }).fill('softmax');
  await expect(page.getByTestId('node-count')).toContainText('of 1 matching node');
  await expect(page.getByTestId('node-row').first()).toContainText('Softmax');
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  await page.getByRole('combobox', { name: 'Operator' }).selectOption('Conv');
  await expect(page.getByTestId('node-count')).toContainText('of 53 matching nodes');
  await expect(page.getByTestId('node-row').first()).toContainText('kernel_shape=');
  await page.getByRole('navigation', { name: 'Node pages' }).getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('node-count')).toContainText('Showing 51–53 of 53');

  await snap(page, testInfo, 'model-page.png');
});

test('the model page reads a TFLite model too, in the dark theme', async ({ page }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openModel(page, FACE_SHORT_TFLITE);
  await goTo(page, 'Model', 'face_detection_short_range.tflite');
  await expect(page.getByTestId('summary-format')).toContainText('TFLite');
  await expect(page.getByTestId('io-table')).toContainText('1 × 128 × 128 × 3');
  await expect(page.getByTestId('op-histogram').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('node-row').first()).toBeVisible();
  await snap(page, testInfo, 'model-page-tflite-dark.png');
});
