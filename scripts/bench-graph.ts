// The graph view's speed in Chromium on one model, through the real `lithe serve`:
// `npm run bench:graph -- <model.onnx|.tflite>` (default: the 471-node PaddleOCR classifier from npm).
// Prints the time from clicking "Graph" to the drawn graph (the model already read), the layout's share of
// it, and frame times while dragging and zooming. Headless Chromium renders in software here, so frame
// times are an upper bound for a desktop with a GPU.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { ensureFreshRendererBuild } from '../test/e2e/support/renderer-build';
import { startLitheServer } from '../test/e2e/support/lithe-server';
import { PPOCR_CLS_ONNX } from '../test/fixtures/real-models';

const ROOT = join(import.meta.dirname, '..');
const model = resolve(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? PPOCR_CLS_ONNX);
if (!existsSync(model)) {
  console.error(`bench-graph: ${model} does not exist`);
  process.exit(2);
}

await ensureFreshRendererBuild(ROOT);
const home = mkdtempSync(join(tmpdir(), 'lithe-bench-graph-'));
// The model's folder is allowed: outside the home folder (say /work/shared/models) the page could not open it otherwise.
const server = await startLitheServer(ROOT, { LITHE_RUNS_DIR: join(home, 'runs'), XDG_CONFIG_HOME: join(home, 'config') }, [
  dirname(model),
]);
const browser = await chromium.launch({
  ...(existsSync('/usr/bin/chromium') ? { executablePath: '/usr/bin/chromium' } : {}),
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
  await page.getByLabel('Path to a model file on this computer').fill(model);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByTestId('file-facts').waitFor({ timeout: 120_000 });
  const nav = (label: string) => page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: new RegExp(`^${label}`) });
  // Read the model first (the engine's part), so the measurement below is the graph view's own.
  await nav('Model').click();
  await page.getByRole('heading', { name: 'Inputs and outputs' }).waitFor({ timeout: 120_000 });

  const rounds: { firstRenderMs: number; layoutMs: number; boxes: number }[] = [];
  for (let round = 0; round < 3; round++) {
    await nav('Model').click();
    await page.getByRole('heading', { name: 'Inputs and outputs' }).waitFor();
    const started = await page.evaluate<number>('performance.now()');
    await nav('Graph').click();
    await page.getByTestId('graph-node').first().waitFor({ timeout: 120_000 });
    const painted = await page.evaluate<number>(
      'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))))',
    );
    const layoutMs = await page.evaluate<number>("performance.getEntriesByName('lithe-graph-layout').at(-1)?.duration ?? NaN");
    rounds.push({ firstRenderMs: painted - started, layoutMs, boxes: await page.getByTestId('graph-node').count() });
  }

  const canvas = page.getByTestId('graph-canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the graph canvas has no size');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // A string, not a function: the TypeScript loader would add helpers to a function that the page does not have.
  await page.evaluate(`(() => {
    const frames = [];
    window.__frames = frames;
    let last = performance.now();
    const tick = (now) => { frames.push(now - last); last = now; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  const frameStats = async (action: () => Promise<void>) => {
    await page.evaluate('window.__frames.length = 0');
    await action();
    const frames = await page.evaluate<number[]>('[...window.__frames]');
    const sorted = frames.slice(1).sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return {
      frames: sorted.length,
      medianMs: at(0.5),
      p95Ms: at(0.95),
      maxMs: sorted.at(-1) ?? NaN,
      over33: sorted.filter((ms) => ms > 33.4).length,
    };
  };
  const pan = await frameStats(async () => {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 0; i < 120; i++) {
      await page.mouse.move(cx + 200 * Math.sin(i / 10), cy + 150 * Math.cos(i / 13));
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
  });
  const zoom = await frameStats(async () => {
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 60; i++) {
      await page.mouse.wheel(0, i < 30 ? -60 : 60);
      await page.waitForTimeout(16);
    }
  });

  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  console.log(`model: ${model}`);
  console.log(`boxes drawn: ${rounds[0]?.boxes}`);
  for (const [index, round] of rounds.entries())
    console.log(`round ${index + 1}: click "Graph" → graph drawn ${ms(round.firstRenderMs)} (layout ${ms(round.layoutMs)})`);
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  console.log(
    `median of ${rounds.length}: graph drawn ${ms(median(rounds.map((round) => round.firstRenderMs)))}` +
      ` (layout ${ms(median(rounds.map((round) => round.layoutMs)))})`,
  );
  for (const [name, stats] of [
    ['drag (pan)', pan],
    ['wheel (zoom)', zoom],
  ] as const)
    console.log(
      `${name}: ${stats.frames} frames, median ${ms(stats.medianMs)}, 95th percentile ${ms(stats.p95Ms)}, worst ${ms(stats.maxMs)}, ${stats.over33} over 33 ms`,
    );
} finally {
  await browser.close();
  await server.stop();
  rmSync(home, { recursive: true, force: true });
}
