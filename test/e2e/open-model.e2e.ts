import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { FACE_SHORT_TFLITE, PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { expectedFacts } from './support/expected-facts';
import { litheUrl } from './support/lithe-url';

async function openPath(page: Page, path: string): Promise<void> {
  await page.getByLabel('Path to a model file on this computer').fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

test.beforeEach(async ({ page }) => {
  await page.goto(litheUrl().href);
  await expect(page.getByRole('heading', { level: 1, name: 'Open a model' })).toBeVisible();
});

test('opens a real ONNX model and shows its format, size and sha256', async ({ page }, testInfo) => {
  const expected = expectedFacts(PPOCR_CLS_ONNX);
  await openPath(page, PPOCR_CLS_ONNX);

  const facts = page.getByTestId('file-facts');
  await expect(facts.getByTestId('fact-format')).toContainText('ONNX');
  await expect(facts.getByTestId('fact-format')).toContainText('Open Neural Network Exchange');
  await expect(facts.getByTestId('fact-size')).toContainText(expected.exactSize);
  await expect(facts.getByTestId('fact-sha256')).toHaveText(expected.sha256);
  await expect(facts.getByTestId('fact-path')).toHaveText(PPOCR_CLS_ONNX);
  await expect(page.getByRole('region', { name: 'Recent models' })).toContainText('ch_ppocr_mobile_v2.0_cls_infer.onnx');

  await page.screenshot({ path: testInfo.outputPath('open-model.png'), fullPage: true });
});

test('opens a real TFLite model and remembers it across reloads', async ({ page }, testInfo) => {
  const expected = expectedFacts(FACE_SHORT_TFLITE);
  await openPath(page, FACE_SHORT_TFLITE);

  const facts = page.getByTestId('file-facts');
  await expect(facts.getByTestId('fact-format')).toContainText('TFLite');
  await expect(facts.getByTestId('fact-size')).toContainText(expected.exactSize);
  await expect(facts.getByTestId('fact-sha256')).toHaveText(expected.sha256);

  await page.reload();
  const recent = page.getByRole('region', { name: 'Recent models' });
  await recent.getByRole('button', { name: /^face_detection_short_range\.tflite/ }).click();
  await expect(page.getByTestId('fact-sha256')).toHaveText(expected.sha256);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('open-tflite-dark.png'), fullPage: true });
});

test('a file that is not a model says so, with the reason', async ({ page }, testInfo) => {
  const notes = testInfo.outputPath('notes.txt');
  mkdirSync(dirname(notes), { recursive: true });
  writeFileSync(notes, 'These are my notes, not a neural network.\n');
  await openPath(page, notes);

  const notice = page.getByTestId('not-a-model');
  await expect(notice).toContainText('notes.txt is not a model Lithe can open');
  await expect(notice).toContainText('neither an ONNX model');
  await expect(page.getByTestId('file-facts')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('not-a-model.png'), fullPage: true });
});

test('a missing file shows an error naming the file', async ({ page }, testInfo) => {
  const missing = testInfo.outputPath('no-such-model.onnx');
  await openPath(page, missing);

  const error = page.getByTestId('open-error');
  await expect(error).toContainText('Lithe can’t find this file');
  await expect(error).toContainText(missing);
  await expect(error).toContainText('No such file.');
  await page.screenshot({ path: testInfo.outputPath('missing-file.png'), fullPage: true });
});

test('a folder shows an error naming the folder', async ({ page }) => {
  const folder = dirname(PPOCR_CLS_ONNX);
  await openPath(page, folder);

  const error = page.getByTestId('open-error');
  await expect(error).toContainText(folder);
  await expect(error).toContainText('This is a folder, not a file.');
});

test('a big file shows hashing progress and can be cancelled', async ({ page }, testInfo) => {
  // A sparse 8 GB file: takes no disk space but several seconds to hash.
  const big = testInfo.outputPath('big-download.bin');
  mkdirSync(dirname(big), { recursive: true });
  writeFileSync(big, '');
  truncateSync(big, 8 * 1024 ** 3);
  await openPath(page, big);

  const progress = page.getByRole('progressbar', { name: 'Opening the model' });
  await expect(progress).toBeVisible();
  await expect(page.getByText(/computing its fingerprint/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('hashing-progress.png'), fullPage: true });
  await page.getByRole('button', { name: 'Cancel' }).click();

  const notice = page.getByTestId('open-error');
  await expect(notice).toContainText('Opening was cancelled');
  await expect(notice).toContainText(big);
  await expect(progress).toHaveCount(0);
});
