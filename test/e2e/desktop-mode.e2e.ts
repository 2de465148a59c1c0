import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { expectedFacts } from './support/expected-facts';
import { litheUrl } from './support/lithe-url';

// The Electron binary cannot run here, so these stand in for the preload: a `window.lithe` with the native
// picker. They check the renderer's desktop path, not Electron itself.

type Options = { onProgress?: (progress: object) => void; signal?: { addEventListener(type: string, listener: () => void): void } };

const APP_INFO = { version: '0.0.0-test', host: 'electron', node: '-', platform: 'linux', arch: '-', cpus: 1, runtimes: [] };

test('with the desktop preload, "Choose file…" uses the native picker and shows the facts', async ({ page }, testInfo) => {
  const facts = { path: PPOCR_CLS_ONNX, name: basename(PPOCR_CLS_ONNX), format: 'onnx', ...expectedFacts(PPOCR_CLS_ONNX) };
  await page.addInitScript(
    ({ answer, info }) => {
      const api = {
        host: 'electron',
        invoke: async (command: string) =>
          command === 'file.identify'
            ? { path: answer.path, name: answer.name, sizeBytes: answer.sizeBytes, sha256: answer.sha256, format: answer.format }
            : info,
        pickModelFile: async () => answer.path,
        pathForFile: () => answer.path,
      };
      Object.defineProperty(globalThis, 'lithe', { value: api });
    },
    { answer: facts, info: APP_INFO },
  );
  await page.goto(litheUrl().href);

  await expect(page.getByRole('heading', { name: 'Drop a model file here' })).toBeVisible();
  await expect(page.getByLabel('Path to a model file on this computer')).toHaveCount(0);
  await expect(page.getByText('Desktop app · About')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('desktop-home.png') });

  await page.getByRole('button', { name: 'Choose file…' }).click();
  await expect(page.getByTestId('fact-sha256')).toHaveText(facts.sha256);
  await expect(page.getByTestId('fact-format')).toContainText('ONNX');
});

test('with the desktop preload, opening shows progress and Cancel stops it', async ({ page }) => {
  await page.addInitScript((info) => {
    const api = {
      host: 'electron',
      invoke: async (command: string, _args: unknown, options: Options) => {
        if (command !== 'file.identify') return info;
        // Like the preload over contextBridge: progress, then a plain Error (its code lost) after a cancel.
        options.onProgress?.({ stage: 'hashing', fraction: 0.4 });
        return new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(new Error('The job was cancelled.'))));
      },
      pickModelFile: async () => '/slow/model.onnx',
    };
    Object.defineProperty(globalThis, 'lithe', { value: api });
  }, APP_INFO);
  await page.goto(litheUrl().href);

  await page.getByRole('button', { name: 'Choose file…' }).click();
  await expect(page.getByRole('progressbar', { name: 'Opening the model' })).toHaveAttribute('aria-valuenow', '40');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('open-error')).toContainText('Opening was cancelled');
  await expect(page.getByTestId('open-error')).toContainText('/slow/model.onnx');
});
