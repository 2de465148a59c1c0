import { expect, test, type Page } from '@playwright/test';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { goTo, openModel } from './support/app-actions';
import { ALLOWED_TERMS, findJargon } from './support/vocabulary';

/** Everything a person can read on the page now: visible text, titles and accessible labels. */
async function pageText(page: Page): Promise<string> {
  return page.evaluate(
    `document.body.innerText + '\\n' + [...document.querySelectorAll('[title],[aria-label],[placeholder]')]
      .map((el) => [el.getAttribute('title'), el.getAttribute('aria-label'), el.getAttribute('placeholder')].filter(Boolean).join('\\n'))
      .join('\\n')`,
  );
}

// Issue 17: one vocabulary. Every page of the built UI, as the browser shows it, is scanned for command-line
// flags and unexplained jargon; the allowed terms are those the glossary explains.
test('no screen shows command-line flags or unexplained jargon', async ({ page }) => {
  test.setTimeout(180_000);
  // The scan itself can fail: what it must catch, it catches.
  expect(findJargon('Run lithe optimize --data ./x; SQNR 31 dB, p95 3 ms, 1.2e-3, 1 cores')).toHaveLength(6);
  const problems: string[] = [];
  const scan = async (where: string): Promise<void> => {
    for (const found of findJargon(await pageText(page))) problems.push(`${where}: ${found}`);
  };
  await openModel(page, PPOCR_CLS_ONNX);
  await scan('Open');
  await goTo(page, 'Model', /\.onnx$/);
  await expect(page.getByRole('heading', { name: 'Nodes' })).toBeVisible({ timeout: 60_000 });
  await scan('Model');
  await goTo(page, 'Graph', 'Graph');
  await expect(page.getByTestId('graph-node').first()).toBeVisible({ timeout: 60_000 });
  await scan('Graph');
  await goTo(page, 'Optimize', 'Optimize');
  for (const step of ['Goal', 'Device', 'Data', 'Review']) {
    await scan(`Optimize · ${step}`);
    if (step !== 'Review') await page.getByRole('button', { name: 'Next' }).click();
  }
  await goTo(page, 'Benchmark', /Benchmark|Speed/);
  await scan('Benchmark');
  await goTo(page, 'Devices', 'Devices');
  await page.waitForLoadState('networkidle');
  await scan('Devices');
  await goTo(page, 'Batch', /Batch/);
  await scan('Batch');
  await goTo(page, 'Runs', 'Runs');
  await scan('Runs');
  await page.getByRole('button', { name: /About/ }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await scan('About');
  console.log(`Allowed terms (explained in the glossary): ${ALLOWED_TERMS.join(', ')}`);
  console.log(`Jargon scan: ${problems.length} failures`);
  expect(problems).toEqual([]);
});
