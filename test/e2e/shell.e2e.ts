import { expect, test } from '@playwright/test';
import { litheUrl } from './support/lithe-url';

test('the token is exchanged for a cookie and removed from the address bar', async ({ page }) => {
  await page.goto(litheUrl().href);
  await expect(page).toHaveURL(`${litheUrl().origin}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Open a model' })).toBeVisible();
});

test('every page can be opened from the navigation and says what it needs', async ({ page }) => {
  await page.goto(litheUrl().href);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await expect(nav.getByRole('button', { name: /^Open/ })).toHaveAttribute('aria-current', 'page');
  for (const label of ['Model', 'Optimize', 'Benchmark', 'Devices', 'Batch', 'Runs']) {
    const item = nav.getByRole('button', { name: new RegExp(`^${label}`) });
    await expect(item).not.toHaveAttribute('aria-disabled', 'true');
    await item.click();
    await expect(item).toHaveAttribute('aria-current', 'page');
  }
  await nav.getByRole('button', { name: /^Model/ }).click();
  await expect(page.getByTestId('no-model')).toContainText('No model is open yet');
  await page.getByTestId('no-model').getByRole('button', { name: 'Open a model' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Open a model' })).toBeVisible();
});

test('the about dialog shows the version and runtimes', async ({ page }, testInfo) => {
  await page.goto(litheUrl().href);
  await page.getByRole('button', { name: /About/ }).click();
  const dialog = page.getByRole('dialog', { name: 'About Lithe' });
  await expect(dialog).toContainText('Version');
  await expect(dialog).toContainText('ONNX Runtime');
  await page.screenshot({ path: testInfo.outputPath('about.png') });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('requests without the access token are refused with 401', async ({ request }) => {
  const { origin } = litheUrl();
  for (const path of ['/', '/index.html', '/api', '/?token=wrong-token']) {
    const response = await request.get(`${origin}${path}`, { maxRedirects: 0 });
    expect(response.status(), path).toBe(401);
  }
});
