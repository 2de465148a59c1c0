import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { goTo } from './support/app-actions';
import { expectedFacts } from './support/expected-facts';
import { litheUrl } from './support/lithe-url';

// The Electron binary cannot run here, so these stand in for the preload: a `window.litheBridge` of plain
// functions, as contextBridge delivers it. They check the renderer's desktop path, not Electron itself.

type Reply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; file?: string } };

const APP_INFO = { version: '0.0.0-test', host: 'electron', node: '-', platform: 'linux', arch: '-', cpus: 1, runtimes: [] };

test('with the desktop preload, "Choose file…" uses the native picker and shows the facts', async ({ page }, testInfo) => {
  const facts = { path: PPOCR_CLS_ONNX, name: basename(PPOCR_CLS_ONNX), format: 'onnx', ...expectedFacts(PPOCR_CLS_ONNX) };
  await page.addInitScript(
    ({ answer, info }) => {
      const bridge = {
        host: 'electron',
        invoke: async (_id: string, command: string): Promise<Reply> => ({
          ok: true,
          result:
            command === 'file.identify'
              ? { path: answer.path, name: answer.name, sizeBytes: answer.sizeBytes, sha256: answer.sha256, format: answer.format }
              : info,
        }),
        cancel: () => {},
        pickModelFile: async () => answer.path,
        pickFolder: async () => null,
        pathForFile: () => answer.path,
      };
      Object.defineProperty(globalThis, 'litheBridge', { value: bridge });
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

test('with the desktop preload, opening shows progress and Cancel cancels the call by its id', async ({ page }) => {
  await page.addInitScript((info) => {
    const waiting = new Map<string, (reply: Reply) => void>();
    const cancelled: string[] = [];
    const bridge = {
      host: 'electron',
      invoke: async (id: string, command: string, _args: unknown, onProgress: (progress: object) => void): Promise<Reply> => {
        if (command !== 'file.identify') return { ok: true, result: info };
        onProgress({ stage: 'hashing', fraction: 0.4 });
        return new Promise((resolve) => waiting.set(id, resolve));
      },
      cancel: (id: string) => {
        cancelled.push(id);
        waiting.get(id)?.({ ok: false, error: { code: 'cancelled', message: 'The job was cancelled.' } });
      },
      pickModelFile: async () => '/slow/model.onnx',
      pickFolder: async () => null,
      pathForFile: () => '',
    };
    Object.defineProperty(globalThis, 'litheBridge', { value: bridge });
    Object.defineProperty(globalThis, 'cancelledIds', { value: cancelled });
  }, APP_INFO);
  await page.goto(litheUrl().href);

  await page.getByRole('button', { name: 'Choose file…' }).click();
  await expect(page.getByRole('progressbar', { name: 'Opening the model' })).toHaveAttribute('aria-valuenow', '40');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('open-error')).toContainText('Opening was cancelled');
  await expect(page.getByTestId('open-error')).toContainText('/slow/model.onnx');
  expect(await page.evaluate(() => (globalThis as unknown as { cancelledIds: string[] }).cancelledIds.length)).toBe(1);
});

test('with the desktop preload, an error reply keeps its code and file', async ({ page }) => {
  await page.addInitScript((info) => {
    const bridge = {
      host: 'electron',
      invoke: async (_id: string, command: string): Promise<Reply> =>
        command === 'file.identify'
          ? { ok: false, error: { code: 'not-found', message: '/gone/model.onnx: No such file.', file: '/gone/model.onnx' } }
          : { ok: true, result: info },
      cancel: () => {},
      pickModelFile: async () => '/gone/model.onnx',
      pickFolder: async () => null,
      pathForFile: () => '',
    };
    Object.defineProperty(globalThis, 'litheBridge', { value: bridge });
  }, APP_INFO);
  await page.goto(litheUrl().href);

  await page.getByRole('button', { name: 'Choose file…' }).click();
  const error = page.getByTestId('open-error');
  await expect(error).toContainText('Lithe can’t find this file');
  await expect(error).toContainText('/gone/model.onnx');
  await expect(error).toContainText('No such file.');
});

test('with the desktop preload, "Choose folder…" fills the batch folder and the data folder from the native picker', async ({
  page,
}, testInfo) => {
  const facts = { path: PPOCR_CLS_ONNX, name: basename(PPOCR_CLS_ONNX), format: 'onnx', ...expectedFacts(PPOCR_CLS_ONNX) };
  await page.addInitScript(
    ({ answer, info }) => {
      const titles: string[] = [];
      // Each call answers the next folder; the third is a cancel (null), which must leave the field as it was.
      const folders = ['/home/you/models', '/home/you/data/validation-images', null];
      const bridge = {
        host: 'electron',
        invoke: async (_id: string, command: string): Promise<Reply> =>
          command === 'file.identify'
            ? {
                ok: true,
                result: { path: answer.path, name: answer.name, sizeBytes: answer.sizeBytes, sha256: answer.sha256, format: answer.format },
              }
            : command === 'app.info'
              ? { ok: true, result: info }
              : { ok: false, error: { code: 'internal', message: `${command} is not part of this stand-in.` } },
        cancel: () => {},
        pickModelFile: async () => answer.path,
        pickFolder: async (title: string) => {
          titles.push(title);
          return folders.shift() ?? null;
        },
        pathForFile: () => answer.path,
      };
      Object.defineProperty(globalThis, 'litheBridge', { value: bridge });
      Object.defineProperty(globalThis, 'folderTitles', { value: titles });
    },
    { answer: facts, info: APP_INFO },
  );
  await page.goto(litheUrl().href);

  await goTo(page, 'Batch', 'Batch');
  await page.getByRole('button', { name: 'Choose folder…' }).click();
  await expect(page.getByLabel('Folder of models')).toHaveValue('/home/you/models');
  await page.screenshot({ path: testInfo.outputPath('desktop-batch-folder.png') });

  await goTo(page, 'Open', 'Open a model');
  await page.getByRole('button', { name: 'Choose file…' }).click();
  await expect(page.getByTestId('fact-sha256')).toHaveText(facts.sha256);
  await goTo(page, 'Optimize', 'Optimize');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Choose folder…' }).click();
  await expect(page.getByLabel('Example inputs')).toHaveValue('/home/you/data/validation-images');
  await page.getByRole('button', { name: 'Choose folder…' }).click();
  await expect(page.getByLabel('Example inputs')).toHaveValue('/home/you/data/validation-images');

  expect(await page.evaluate(() => (globalThis as unknown as { folderTitles: string[] }).folderTitles)).toEqual([
    'Choose a folder of models',
    'Choose a folder of example inputs',
    'Choose a folder of example inputs',
  ]);
});
