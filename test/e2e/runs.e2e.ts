import { statSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { goTo, openModel, optimizeForSize, snap } from './support/app-actions';
import { seededValues, writeNpy } from './support/npy';
import { writeAddConstantModel, writeCancellingModel } from './support/tiny-models';

// Issue 17: Runs lists every run — one whose step was undone as a finished run with a warning, a failed
// one with its reason — compares runs side by side, runs one again and deletes one.
test('runs: a run with an undone step, a failed run, two runs compared, one run again and deleted', async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  // Names only this test uses: the runs folder is shared with the other browser tests.
  const model = testInfo.outputPath('compare-me.onnx');
  writeAddConstantModel(model);
  const cancelling = testInfo.outputPath('undo-me.onnx');
  writeCancellingModel(cancelling);
  // Data that cannot feed the model (7 values per sample, the model takes 64): the run stops with a reason.
  const unfit = testInfo.outputPath('unfit.npy');
  writeNpy(unfit, [2, 7], seededValues(14, 3));

  await openModel(page, model);
  await optimizeForSize(page, 'compare-me.onnx');
  await expect(page.getByTestId('goal-verdict')).toContainText('Goal not met', { timeout: 90_000 });
  await page
    .getByTestId('next-actions')
    .getByRole('button', { name: /^Try: Half size/ })
    .click();
  await expect(page.getByTestId('goal-verdict')).toContainText('Goal met', { timeout: 90_000 });

  // 8-bit weights swamp this model's answer: the step is undone and the recipe finishes without it.
  await openModel(page, cancelling);
  await optimizeForSize(page, 'undo-me.onnx');
  await expect(page.getByTestId('goal-verdict')).toContainText('changed the answers too much and was undone', { timeout: 90_000 });

  await page.getByRole('button', { name: 'Optimize again' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Example inputs').fill(unfit);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Optimize undo-me.onnx' }).click();
  await expect(page.getByTestId('goal-verdict')).toContainText('The optimization did not finish', { timeout: 90_000 });

  await goTo(page, 'Runs', 'Runs');
  const undoneRow = page.getByTestId('run-row').filter({ hasText: 'undo-me.onnx' }).filter({ hasText: 'int8-dynamic' });
  await expect(undoneRow).toHaveAttribute('data-kind', 'optimize');
  await expect(undoneRow.getByTestId('run-status')).toHaveText('Finished, one step undone · changed nothing');
  const failed = page.getByTestId('run-row').filter({ hasText: 'undo-me.onnx' }).filter({ hasText: 'Optimization · failed' });
  await expect(failed).toHaveAttribute('data-kind', 'failed');
  await expect(failed).toContainText('unfit.npy: Each sample holds 7 values');
  await undoneRow.getByRole('button', { name: 'undo-me.onnx' }).click();
  await expect(page.getByTestId('run-shortfall')).toContainText('“Quantize weights to int8 (dynamic)” was undone');
  await expect(page.getByTestId('step-undone')).toContainText('this step changed the answers too much');
  await page.getByRole('button', { name: '← All runs' }).click();
  await failed.getByRole('button', { name: 'undo-me.onnx' }).click();
  await expect(page.getByTestId('run-failure')).toContainText('Optimizing undo-me.onnx with “int8-static” stopped');
  await page.getByRole('button', { name: '← All runs' }).click();

  const boxes = page.getByRole('checkbox', { name: /Compare the run of compare-me\.onnx/ });
  await expect(boxes).toHaveCount(2);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole('button', { name: 'Compare 2 runs' }).click();
  const compare = page.getByTestId('runs-compare');
  const line = (label: string) =>
    compare.getByTestId('compare-row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
  await expect(line('Recipe')).toContainText('Half size, same results (float16)');
  await expect(line('Size change')).toContainText('unchanged');
  await expect(line('Size change')).toContainText(/-\d+(\.\d)? %/);
  await expect(line('Optimized file')).toContainText('(best)');
  await expect(line('Answers')).toContainText('Same answers as the original');
  await expect(line('Result')).toContainText('Changed nothing');
  // Neither run's speed was checked: the comparison says so instead of leaving speed out.
  await expect(line('Speed change')).toContainText('Not measured');
  await snap(page, testInfo, 'runs-compare.png', { doc: true });
  await page.getByRole('button', { name: '← All runs' }).click();
  await snap(page, testInfo, 'runs-list.png', { doc: true });

  const halfSize = page.getByTestId('run-row').filter({ hasText: 'compare-me.onnx' }).filter({ hasText: 'fp16' });
  await halfSize.getByRole('button', { name: 'compare-me.onnx' }).click();
  const original = (await page.getByTestId('run-folder').innerText()).trim();
  await page.getByTestId('run-actions').getByRole('button', { name: 'Run again' }).click();
  // The new run opens when it is done: a new folder, the same recipe.
  await expect(page.getByTestId('run-folder')).not.toHaveText(original, { timeout: 120_000 });
  await expect(page.getByTestId('run-details').getByTestId('optimize-result')).toContainText('Half size');

  // Its files: the optimized model downloads with its name and every byte; the report opens in a tab.
  const files = page.getByTestId('run-files');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    files.getByRole('button', { name: 'Download the optimized model' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('compare-me.fp16.onnx');
  const saved = testInfo.outputPath('downloaded.onnx');
  await download.saveAs(saved);
  const runFolder = (await page.getByTestId('run-folder').innerText()).trim();
  expect(statSync(saved).size).toBe(statSync(`${runFolder}/compare-me.fp16.onnx`).size);
  const [report] = await Promise.all([page.context().waitForEvent('page'), files.getByRole('button', { name: 'Open the report' }).click()]);
  await expect(report.locator('body')).toContainText('compare-me.onnx');
  await report.close();
  await snap(page, testInfo, 'run-files.png', { doc: true });
  await page.getByRole('button', { name: 'Delete this run…' }).click();
  await page.getByRole('button', { name: 'Delete for good' }).click();
  await expect(page.getByTestId('runs-list')).toBeVisible();
  await expect(page.getByTestId('run-row').filter({ hasText: 'compare-me.onnx' })).toHaveCount(2);
});
