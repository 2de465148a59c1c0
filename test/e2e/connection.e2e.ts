import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { startLitheServer } from './support/lithe-server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('when Lithe stops, the page says the connection is lost', async ({ page }, testInfo) => {
  const server = await startLitheServer(ROOT);
  try {
    await page.goto(server.url);
    await expect(page.getByText('Lithe 0.', { exact: false })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  } finally {
    await server.stop();
  }
  const banner = page.getByRole('alert').filter({ hasText: 'Lost connection to Lithe.' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Is Lithe still running in its terminal?');
  await page.screenshot({ path: testInfo.outputPath('connection-lost.png') });

  await page.getByLabel('Path to a model file on this computer').fill('/tmp/some-model.onnx');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('open-error')).toContainText('Lost connection to Lithe');
});
