import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { snap } from './support/app-actions';
import { litheUrl } from './support/lithe-url';

// Issue 17: a path copied from a file manager or a terminal comes in quotes or as a file:// address.
test('a pasted path in quotes, or as a file:// address, opens the model', async ({ page }, testInfo) => {
  test.setTimeout(90_000); // three openings; each starts a worker, slow on a loaded machine
  await page.goto(litheUrl().href);
  const field = page.getByLabel('Path to a model file on this computer');
  await field.fill(`'${PPOCR_CLS_ONNX}'`);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('file-facts')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('fact-path')).toHaveText(PPOCR_CLS_ONNX);
  await expect(field).toHaveValue(PPOCR_CLS_ONNX);
  await snap(page, testInfo, 'open-quoted-path.png', { doc: true });

  await field.fill(`file://${PPOCR_CLS_ONNX.split('/').map(encodeURIComponent).join('/')}`);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('fact-path')).toHaveText(PPOCR_CLS_ONNX, { timeout: 60_000 });

  await field.fill('models/detector.onnx');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Give the full path');
});
