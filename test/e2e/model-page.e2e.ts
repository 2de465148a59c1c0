import { existsSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { goTo, openModel, snap } from './support/app-actions';
import { SHARED_MODELS } from './support/machine-data';
import { writeRepeatedNamesModel } from './support/tiny-models';

const SILERO = `${SHARED_MODELS}/onnx/silero_vad_v5.onnx`;

async function expectModelPage(page: Page, errors: string[]): Promise<void> {
  await goTo(page, 'Model', /\.onnx$/);
  await expect(page.getByRole('heading', { name: 'Largest weight tensors' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Nodes' })).toBeVisible();
  expect(errors).toEqual([]);
}

// Issue 17: the model page hung at "Reading … · Starting…" (Svelte's each_key_duplicate) when weights of
// different subgraphs share a name, as in the Silero voice-activity models.
test('the model page shows a model whose subgraphs repeat weight names', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const model = testInfo.outputPath('repeated-names.onnx');
  writeRepeatedNamesModel(model);
  await openModel(page, model);
  await expectModelPage(page, errors);
  await expect(page.getByTestId('largest-tensors')).toContainText('weight');
});

test('the Silero voice-activity model page opens (real model, when ../shared/models is here)', async ({ page }, testInfo) => {
  test.skip(!existsSync(SILERO), `${SILERO} is not on this machine`);
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openModel(page, SILERO);
  await expectModelPage(page, errors);
  await expect(page.getByText('2.3 MB').first()).toBeVisible();
  await snap(page, testInfo, 'model-page-silero.png', { doc: true });
});
