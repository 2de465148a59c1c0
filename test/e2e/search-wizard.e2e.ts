import { expect, test } from '@playwright/test';
import { goTo, openModel, searchFastest, snap, useOneRecipe } from './support/app-actions';
import { scanner } from './support/page-words';
import { writeGreyClassifier } from './support/tiny-models';

// Issue 14: the search is the wizard's default. The goal and device answered in the wizard drive a
// short search through the real engine; the result is the chosen version with its reason and the ranked
// table. One recipe stays one click away.
test('the wizard searches by default and shows the chosen version, its reason and the ranked table', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const model = testInfo.outputPath('guided.onnx');
  writeGreyClassifier(model, 28);
  await openModel(page, model);
  await page.getByRole('button', { name: 'Optimize it' }).click();
  await page.getByRole('radio', { name: /Faster predictions/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('radio', { name: /This machine/ })).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  const review = page.getByTestId('review');
  await expect(review.getByRole('radio', { name: /^Try every kind of version/ })).toBeChecked();
  await expect(page.getByTestId('search-note')).toContainText('keep the one that serves “Faster predictions”');
  const limit = review.getByLabel('Time limit (minutes)');
  await expect(limit).toHaveValue('5');
  await limit.fill('0');
  await expect(review.getByRole('alert')).toHaveText('The time limit must be more than 0 minutes.');
  await expect(page.getByRole('button', { name: 'Find the best version of guided.onnx' })).toBeDisabled();
  await limit.fill('1');
  const problems: string[] = [];
  await scanner(page, problems)('Optimize · Review (search)');
  await snap(page, testInfo, 'wizard-review-search.png', { doc: true });

  // One recipe instead: its details come back, and so does the button that runs it.
  await useOneRecipe(page);
  await expect(page.getByTestId('recipe-note')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Optimize guided.onnx' })).toBeEnabled();
  await review.getByRole('radio', { name: /^Try every kind of version/ }).check();
  await expect(page.getByTestId('recipe-note')).toBeHidden();

  const chosen = await searchFastest(page, 'Find the best version of guided.onnx');
  await expect(chosen.locator('p').first()).not.toBeEmpty();
  const rows = page.getByTestId('search-table').getByTestId('search-row');
  await expect(rows.first()).toHaveClass(/chosen/);
  expect(await rows.count()).toBeGreaterThan(4);
  await expect(page.getByTestId('search-table').locator('tr[data-id="original"]')).toContainText('the original');
  await scanner(page, problems)('Optimize · Result (search)');
  expect(problems).toEqual([]);
  await snap(page, testInfo, 'wizard-search.png', { doc: true });

  // The search the wizard ran is a run like the others, with the goal the wizard's goal became.
  await goTo(page, 'Runs', 'Runs');
  await expect(page.locator('[data-testid="run-row"][data-kind="search"]').filter({ hasText: 'guided.onnx' })).toContainText(
    'Search · Fastest',
  );
  await goTo(page, 'Optimize', 'Optimize');
  await page.getByRole('button', { name: 'Optimize again' }).click();
  await expect(page.getByRole('radio', { name: /Faster predictions/ })).toBeChecked();
});
