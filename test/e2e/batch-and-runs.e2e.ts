import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { FACE_SHORT_TFLITE, PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { goTo, snap } from './support/app-actions';
import { litheUrl } from './support/lithe-url';

test('a batch over a folder with two real models and a corrupt file: 2 done, 1 failed with its reason; the runs page lists it', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const folder = testInfo.outputPath('models');
  mkdirSync(join(folder, 'face'), { recursive: true });
  copyFileSync(PPOCR_CLS_ONNX, join(folder, basename(PPOCR_CLS_ONNX)));
  copyFileSync(FACE_SHORT_TFLITE, join(folder, 'face', basename(FACE_SHORT_TFLITE)));
  writeFileSync(join(folder, 'broken.onnx'), Buffer.from('this is not a protobuf model at all, only text'));

  await page.goto(litheUrl().href);
  await goTo(page, 'Batch', 'Batch');
  await expect(page.getByRole('button', { name: 'Choose folder…' })).toHaveCount(0); // the browser has no native picker: the path field is it
  await page.getByLabel('Folder of models').fill(folder);
  await page.getByRole('spinbutton', { name: /^Models at the same time/ }).fill('2');
  await page.getByRole('button', { name: 'Optimize the folder' }).click();

  const summary = page.getByTestId('batch-summary');
  await expect(summary).toBeVisible({ timeout: 90_000 });
  await expect(summary.getByTestId('count-done')).toContainText('2');
  await expect(summary.getByTestId('count-failed')).toContainText('1');
  const rows = page.getByTestId('batch-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'broken.onnx' })).toHaveAttribute('data-status', 'failed');
  await expect(rows.filter({ hasText: 'broken.onnx' }).locator('.reason')).not.toBeEmpty();
  await expect(rows.filter({ hasText: 'face_detection_short_range.tflite' })).toHaveAttribute('data-status', 'done');
  await expect(summary.getByTestId('batch-folder')).toContainText(process.env.LITHE_E2E_RUNS_DIR ?? 'runs');
  await snap(page, testInfo, 'batch.png');

  await goTo(page, 'Runs', 'Runs');
  const batchRun = page.getByTestId('run-row').filter({ hasText: 'models/' });
  await expect(batchRun).toContainText('2 done · 0 skipped · 1 failed');
  await snap(page, testInfo, 'runs.png');
  await batchRun.getByRole('button').click();
  await expect(page.getByTestId('run-details').getByTestId('batch-row')).toHaveCount(3);
  await page.getByRole('button', { name: '← All runs' }).click();
  await expect(page.getByTestId('runs-list')).toBeVisible();
});
