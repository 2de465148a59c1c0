import { expect, test } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { goTo, openModel, snap } from './support/app-actions';

test('the devices page lists the profiles and estimates the open model on each', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await openModel(page, PPOCR_CLS_ONNX);
  await goTo(page, 'Devices', 'Devices');

  const profiles = page.getByTestId('device-profiles');
  await expect(profiles.getByTestId('device-card').first()).toContainText('This computer');
  await expect(profiles).toContainText('Raspberry Pi 4');
  await profiles.getByTestId('device-card').filter({ hasText: 'Raspberry Pi 4' }).getByText('Where these figures come from').click();
  await expect(profiles).toContainText('Cortex-A72');

  await page.getByRole('button', { name: 'Estimate for ch_ppocr_mobile_v2.0_cls_infer.onnx' }).click();
  const table = page.getByTestId('estimate-table');
  await expect(table).toBeVisible({ timeout: 60_000 });
  await expect(table).toContainText('Raspberry Pi 5');
  await expect(table).toContainText('Fits');
  await expect(page.getByTestId('estimate-chart').locator('canvas')).toBeVisible();
  await expect(page.getByText('What these estimates assume')).toBeVisible();
  await snap(page, testInfo, 'devices.png');
});

test('a user adds a device profile; the form checks it with the contract’s schema', async ({ page }, testInfo) => {
  await openModel(page, PPOCR_CLS_ONNX);
  await goTo(page, 'Devices', 'Devices');
  await page.getByRole('button', { name: 'Add a device' }).click();

  const form = page.getByTestId('device-form');
  await form.getByLabel('Name', { exact: true }).fill('Test board');
  await form.getByRole('textbox', { name: /^Id/ }).fill('Test Board');
  await form.getByRole('textbox', { name: /^CPU cores/ }).fill('zero');
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(form).toContainText('Use lowercase letters, digits and dashes.');
  await expect(form).toContainText('Enter a number.');
  await snap(page, testInfo, 'device-form-errors.png');

  await form.getByRole('textbox', { name: /^Id/ }).fill('test-board');
  await form.getByRole('textbox', { name: /^CPU cores/ }).fill('4');
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Saved “Test board”.')).toBeVisible();
  const card = page.getByTestId('device-card').filter({ hasText: 'Test board' });
  await expect(card).toContainText('Your profile');
  await expect(card).toContainText('4 cores');
});
