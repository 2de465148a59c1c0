import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { writeIdxFolder } from '../helpers/idx-files';
import { openModel, snap } from './support/app-actions';
import { FASHION_MNIST } from './support/machine-data';
import { writeGreyClassifier } from './support/tiny-models';

// Issue 17: the data step checks the data as it is chosen — a folder of Fashion-MNIST IDX files is
// accepted with its sample count, its labels and a preview; data of the wrong size says so before any run.

test('the data step checks a folder of IDX files as it is chosen', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const model = testInfo.outputPath('fashion-classifier.onnx');
  writeGreyClassifier(model, 28);
  // The real Fashion-MNIST files when this machine has them; otherwise a folder laid out the same way.
  const real = existsSync(`${FASHION_MNIST}/t10k-images-idx3-ubyte.gz`);
  const folder = real ? FASHION_MNIST : writeIdxFolder(testInfo.outputPath('fashion-mnist'), 50, 28);
  const wrongSize = writeIdxFolder(testInfo.outputPath('wrong-size'), 5, 32);

  await openModel(page, model);
  await page.getByRole('button', { name: 'Optimize it' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('Example inputs').fill(wrongSize);
  const check = page.getByTestId('data-check');
  await expect(check.getByTestId('data-check-problem')).toContainText('This data cannot be used with this model', { timeout: 60_000 });
  await expect(check).toContainText('Each sample holds 1024 values (32×32)');
  await expect(check).toContainText("the model's input takes 1 × 28 × 28 values");

  await page.getByLabel('Example inputs').fill(`"${folder}"`);
  const ok = check.getByTestId('data-check-ok');
  await expect(ok).toContainText(`Lithe can use this data: ${real ? '10,000' : '50'} samples, right answers found`, { timeout: 60_000 });
  await expect(ok).toContainText('Each sample is 1 × 28 × 28 values');
  await expect(ok).toContainText('Using t10k-images-idx3-ubyte.gz from this folder');
  await expect(ok.getByTestId('data-sample')).toHaveCount(6);
  await expect(ok.getByTestId('data-sample').first()).toContainText(/Answer: class \d/);
  // The picture is drawn: its canvas holds more than one colour.
  const colours = await ok
    .locator('canvas')
    .first()
    .evaluate((canvas) => {
      const { width, height } = canvas as unknown as { width: number; height: number };
      const context = (
        canvas as unknown as { getContext(kind: '2d'): { getImageData(...box: number[]): { data: ArrayLike<number> } } | null }
      ).getContext('2d');
      const data = Array.from(context?.getImageData(0, 0, width, height).data ?? []);
      return new Set(data.filter((_value, index) => index % 4 === 0)).size;
    });
  expect(colours).toBeGreaterThan(1);
  await snap(page, testInfo, 'data-step-idx.png', { doc: true });

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('review')).toBeVisible();
});
