import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { snap } from './support/app-actions';
import { litheUrl } from './support/lithe-url';
import { writeAddConstantModel } from './support/tiny-models';

const ROOT = join(import.meta.dirname, '..', '..');

// Issue 17: in the browser, files are chosen like in a desktop app — a file browser on this machine,
// limited to home and the folders Lithe may use — and a dropped model is uploaded into the workspace.
test('choosing a model through the file browser opens it', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  // A folder inside the one Lithe started in (a place the page may read): a real model, a text file, a hidden file.
  const folder = testInfo.outputPath('models');
  mkdirSync(folder, { recursive: true });
  copyFileSync(PPOCR_CLS_ONNX, join(folder, 'text-direction.onnx'));
  writeFileSync(join(folder, 'notes.txt'), 'not a model');
  writeFileSync(join(folder, '.secret.onnx'), 'hidden');

  await page.goto(litheUrl().href);
  await page.getByRole('button', { name: 'Browse this computer…' }).click();
  const dialog = page.getByTestId('file-browser');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Home' })).toBeVisible();

  // From the folder Lithe started in, down to the test's folder, one double-click per folder.
  await dialog.getByRole('button', { name: `Started in: ${basename(ROOT)}` }).click();
  for (const part of relative(ROOT, folder).split('/')) {
    await dialog.getByRole('option', { name: part, exact: true }).dblclick();
    await expect(dialog.getByRole('navigation', { name: 'Folder path' })).toContainText(part);
  }
  const entries = dialog.getByTestId('file-entry');
  await expect(entries).toHaveCount(2);
  const model = dialog.getByRole('option', { name: /text-direction\.onnx/ });
  await expect(model).toHaveClass(/model/);
  await expect(model).toContainText('579 KB');
  await expect(dialog.getByRole('option', { name: /notes\.txt/ })).not.toHaveClass(/model/);

  // Hidden files appear only when asked, and cannot be opened.
  await dialog.getByLabel('Show hidden files').check();
  await expect(entries).toHaveCount(3);
  await expect(dialog.getByRole('option', { name: /\.secret\.onnx/ })).toHaveAttribute('aria-disabled', 'true');
  await dialog.getByLabel('Show hidden files').uncheck();
  await expect(entries).toHaveCount(2);

  // Keyboard: Backspace goes up a folder, Enter goes back in; arrows pick the model, Enter opens it.
  const list = dialog.getByRole('listbox');
  await list.focus();
  await page.keyboard.press('Backspace');
  await expect(dialog.getByRole('option', { name: 'models', exact: true })).toBeVisible();
  await dialog.getByRole('option', { name: 'models', exact: true }).click();
  await list.press('Enter');
  await expect(entries).toHaveCount(2);
  await list.press('End');
  await list.press('Home');
  await expect(dialog.getByRole('option', { name: /notes\.txt/ })).toHaveAttribute('aria-selected', 'true');
  await list.press('ArrowDown');
  await expect(model).toHaveAttribute('aria-selected', 'true');
  await snap(page, testInfo, 'file-browser.png', { doc: true });
  await list.press('Enter');

  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('file-facts')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('fact-path')).toHaveText(join(folder, 'text-direction.onnx'));
});

test('a folder outside home and the chosen folders is refused in the file browser', async ({ page }) => {
  await page.goto(litheUrl().href);
  await page.getByRole('button', { name: 'Browse this computer…' }).click();
  const dialog = page.getByTestId('file-browser');
  await expect(dialog.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Home' })).toBeVisible();
  // The page asks for /etc as a hand-made request would: the host refuses it and says why.
  // A string, not a function: the Node side's types have no DOM (and the TypeScript loader would add helpers).
  const answer = await page.evaluate<{ ok: boolean; error?: { code: string; message: string } }>(`(async () => {
    const token = sessionStorage.getItem('lithe.accessToken') ?? '';
    const socket = new WebSocket('ws://' + location.host + '/api?token=' + encodeURIComponent(token));
    await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
    const reply = new Promise((resolve) => socket.addEventListener('message', (event) => resolve(String(event.data)), { once: true }));
    socket.send(JSON.stringify({ type: 'request', id: 'x1', command: 'files.list', args: { path: '/etc' } }));
    return JSON.parse(await reply);
  })()`);
  expect(answer.ok).toBe(false);
  expect(answer.error?.code).toBe('not-allowed');
  expect(answer.error?.message).toMatch(/opens only files in/);
});

test('a model dropped on the page is uploaded into the workspace and opened, never over another file', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const built = testInfo.outputPath('add-constant.onnx');
  writeAddConstantModel(built);
  const bytes = readFileSync(built);
  await page.goto(litheUrl().href);

  const drop = async (): Promise<void> => {
    const transfer = await page.evaluateHandle(`(() => {
      const dt = new DataTransfer();
      const data = new Uint8Array(${JSON.stringify(Array.from(bytes))});
      dt.items.add(new File([data], 'add-constant.onnx', { type: 'application/octet-stream' }));
      return dt;
    })()`);
    await page.dispatchEvent('body', 'dragenter', { dataTransfer: transfer });
    await page.dispatchEvent('body', 'dragover', { dataTransfer: transfer });
    await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
  };

  await drop();
  await expect(page.getByTestId('file-facts')).toBeVisible({ timeout: 60_000 });
  const firstPath = (await page.getByTestId('fact-path').textContent()) ?? '';
  expect(basename(firstPath)).toBe('add-constant.onnx');
  expect(readFileSync(firstPath)).toEqual(bytes);
  await snap(page, testInfo, 'upload-opened.png');

  // The same name again: a free name, and the first copy stays as it was.
  await drop();
  await expect(page.getByTestId('fact-path')).toHaveText(/add-constant \(2\)\.onnx$/, { timeout: 60_000 });
  expect(existsSync(firstPath)).toBe(true);
  expect(readFileSync(firstPath)).toEqual(bytes);
});
