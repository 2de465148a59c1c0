import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { expectedFacts } from './support/expected-facts';
import { litheUrl } from './support/lithe-url';

// The Electron binary cannot run here, so this stands in for the preload: a `window.lithe` with the native
// picker, answering file.identify with facts computed by the test. It checks the renderer's desktop path.
test('with the desktop preload, "Choose file…" uses the native picker and shows the facts', async ({ page }, testInfo) => {
  const facts = { path: PPOCR_CLS_ONNX, name: basename(PPOCR_CLS_ONNX), format: 'onnx', ...expectedFacts(PPOCR_CLS_ONNX) };
  await page.addInitScript((answer) => {
    const api = {
      host: 'electron',
      invoke: async (command: string) => {
        if (command === 'file.identify') return { path: answer.path, name: answer.name, sizeBytes: answer.sizeBytes, sha256: answer.sha256, format: answer.format };
        return { version: '0.0.0-test', host: 'electron', node: '-', platform: '-', arch: '-', cpus: 1, runtimes: [] };
      },
      pickModelFile: async () => answer.path,
      pathForFile: () => answer.path,
    };
    Object.defineProperty(globalThis, 'lithe', { value: api });
  }, facts);
  await page.goto(litheUrl().href);

  await expect(page.getByRole('heading', { name: 'Drop a model file here' })).toBeVisible();
  await expect(page.getByLabel('Path to a model file on this computer')).toHaveCount(0);
  await expect(page.getByText('Desktop app · About')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('desktop-home.png') });

  await page.getByRole('button', { name: 'Choose file…' }).click();
  await expect(page.getByTestId('fact-sha256')).toHaveText(facts.sha256);
  await expect(page.getByTestId('fact-format')).toContainText('ONNX');
});
